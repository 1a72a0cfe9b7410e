"""Library members and their borrowing limits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    member_id: str
    name: str
    max_loans: int = 5
    suspended: bool = False


class MemberRegistry:
    def __init__(self) -> None:
        self._members: dict[str, Member] = {}

    def register(self, member: Member) -> None:
        if member.member_id in self._members:
            raise ValueError(f"member {member.member_id} already registered")
        self._members[member.member_id] = member

    def get(self, member_id: str) -> Member:
        try:
            return self._members[member_id]
        except KeyError:
            raise KeyError(f"unknown member {member_id}") from None

    def suspend(self, member_id: str) -> None:
        member = self.get(member_id)
        self._members[member_id] = Member(member.member_id, member.name, member.max_loans, True)

"""Errors reported to the user of the build tool."""


class BuildGraphError(Exception):
    """Base class for build graph errors."""


class UnknownTargetError(BuildGraphError):
    """A target or dependency name that is not declared."""


class CycleError(BuildGraphError):
    """Targets that depend on each other in a loop."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__("dependency cycle: " + " -> ".join(cycle))

"""Progress on stderr: a rich bar on a terminal, plain lines otherwise (CI logs, pipes).

Shown: attempts done of the total, the pass rate so far, the paid spend so far and an
ETA from the mean time per attempt.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, Self, TextIO

from routr_cli.bench.runner import RunTotals
from routr_cli.store.records import AttemptRecord


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _model(record: AttemptRecord) -> str:
    """The model as people see it: simulated ones always carry their label."""
    from routr_cli.providers.sim.catalog import display_name

    return display_name(record.model, record.simulated)


def summary_line(totals: RunTotals) -> str:
    rate = totals.pass_rate
    rate_text = "-" if rate is None else f"{rate:.0%}"
    return (
        f"{totals.done}/{totals.total} done, {totals.total - totals.done} left, "
        f"pass {rate_text}, spend ${totals.spend_usd:.4f}, eta {_eta(totals.eta_s())}"
    )


class PlainProgress:
    """One line per finished attempt: greppable, no control characters."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    def attempt_done(self, record: AttemptRecord, totals: RunTotals) -> None:
        self.stream.write(
            f"[{totals.done}/{totals.total}] {record.task_id} e{record.epoch} {_model(record)}: "
            f"{record.status} | {summary_line(totals)}\n"
        )
        self.stream.flush()

    def note(self, message: str) -> None:
        self.stream.write(message + "\n")
        self.stream.flush()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class RichProgress:
    """A live bar on the terminal's stderr; finished attempts scroll above it."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = Console(stderr=True, highlight=False)
        self.progress = Progress(
            TextColumn("bench"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            console=self.console,
            transient=False,
        )
        self.task_id: Any = self.progress.add_task("bench", total=total, status="starting")

    def attempt_done(self, record: AttemptRecord, totals: RunTotals) -> None:
        mark = "[green]solved[/]" if record.solved else f"[red]{record.status}[/]"
        self.progress.console.print(
            f"{record.task_id} e{record.epoch} {_model(record)}: {mark}", highlight=False
        )
        rate = totals.pass_rate
        status = (
            f"pass {'-' if rate is None else f'{rate:.0%}'} · ${totals.spend_usd:.4f} "
            f"· eta {_eta(totals.eta_s())}"
        )
        self.progress.update(self.task_id, completed=totals.done, status=status)

    def note(self, message: str) -> None:
        self.progress.console.print(message, markup=False, highlight=False)

    def __enter__(self) -> Self:
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()


def make_progress(total: int) -> PlainProgress | RichProgress:
    return RichProgress(total) if sys.stderr.isatty() else PlainProgress()

"""Progress bars for long commands: one `(stage, done, total)` callback, one rich bar per stage."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

ProgressFn = Callable[[str, int, "int | None"], None]


@contextmanager
def progress_bars(console: Console) -> Iterator[ProgressFn]:
    """A `(stage, done, total)` callback drawing one rich bar per stage."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True) as bars:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage.capitalize(), total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield report

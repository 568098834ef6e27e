"""Progress display for long commands, on stderr so stdout stays machine-readable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

stderr = Console(stderr=True)


@contextmanager
def steps(title: str) -> Iterator[Callable[[str], None]]:
    """Yield a callback that shows the current step of a long job, with elapsed time."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[title]}[/]: {task.description}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", title=title, total=None)

        def show(step: str) -> None:
            bar.update(task, description=step)

        yield show

"""`veelocity sync`: run a sync in the foreground and show its progress in the terminal.

The runs go through the same orchestration as the service's (`sync.runs`): a run the service
is already doing is followed instead of started twice, and this process waits for the job's
lock while a replica holds it. Ctrl-C cancels the runs at their next page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from veelocity.api.context import AppContext
from veelocity.audit import Actor, record_event
from veelocity.core.errors import VeelocityError
from veelocity.models import SyncRun
from veelocity.sync.readiness import source_title
from veelocity.sync.runs import FINISHED, SyncOrchestrator

#: exit codes: every run succeeded / one stopped at its request budget / one failed or was
#: cancelled / the sync could not start (bad input, not configured)
EXIT_OK, EXIT_FAILED, EXIT_NOT_STARTED, EXIT_BUDGET = 0, 1, 2, 3


class SyncNotStarted(Exception):
    """The sync could not start; the message says why."""


@dataclass(frozen=True)
class RunView:
    id: int
    source: str
    status: str
    current_stream: str | None
    items: int
    requests_used: int
    rate_limit_remaining: int | None
    error_code: str | None
    error_message: str | None
    trigger: str
    started_at: float | None

    @classmethod
    def of(cls, run: SyncRun) -> RunView:
        return cls(
            run.id,
            run.source,
            run.status,
            run.current_stream,
            run.items,
            run.requests_used,
            run.rate_limit_remaining,
            run.error_code,
            run.error_message,
            run.trigger,
            run.started_at.timestamp() if run.started_at else None,
        )


def _detail(run: RunView) -> str:
    parts = [f"{run.items:,} items", f"{run.requests_used:,} requests"]
    if run.rate_limit_remaining is not None:
        parts.append(f"{run.rate_limit_remaining:,} left in the rate limit")
    return " · ".join(parts)


def _label(run: RunView) -> str:
    title = source_title(run.source)
    if run.status == "queued":
        return f"{title}: waiting for the job's lock"
    return f"{title}: {run.current_stream or 'starting'}"


def final_line(run: RunView, seconds: float) -> str:
    title = source_title(run.source)
    if run.status == "succeeded":
        return (
            f"{title}: synced {run.items:,} items with {run.requests_used:,} requests "
            f"in {seconds:.1f} s"
        )
    if run.status == "cancelled":
        return f"{title}: cancelled after {run.items:,} items; the next sync continues from there"
    if run.status == "budget_exhausted":
        return (
            f"{title}: stopped at its request budget after {run.items:,} items — "
            f"{run.error_message} The next sync continues from there."
        )
    return f"{title}: failed — {run.error_message or run.error_code or 'no details'}"


def exit_code(runs: list[RunView]) -> int:
    statuses = {run.status for run in runs}
    if statuses <= {"succeeded"}:
        return EXIT_OK
    if statuses <= {"succeeded", "budget_exhausted"}:
        return EXIT_BUDGET
    return EXIT_FAILED


def run_sync(context: AppContext, sync: SyncOrchestrator, source: str | None) -> int:
    """Start (or follow) the runs, show their progress, print how each ended."""
    console = Console(highlight=False)
    try:
        with context.session_factory.begin() as session:
            triggered = sync.trigger(session, source=source, trigger="cli", requested_by=None)
            for item in triggered:
                record_event(
                    session,
                    actor=Actor(user_id=None, email=None, client_address="cli"),
                    action="sync.triggered",
                    target=item.run.source,
                    details={"run_id": item.run.id, "job": item.run.job, "new_run": item.created},
                )
    except VeelocityError as exc:
        raise SyncNotStarted(exc.message) from None
    for item in triggered:
        if not item.created:
            console.print(
                f"{source_title(item.run.source)}: a sync is already {item.run.status} "
                f"(run {item.run.id}, {item.run.trigger}); following it"
            )
    sync.start_in_background([item.run.id for item in triggered if item.created])
    ids = [item.run.id for item in triggered]
    started = time.monotonic()
    views = _follow(context, sync, ids, console)
    for view in views:
        console.print(final_line(view, time.monotonic() - started), soft_wrap=True)
    return exit_code(views)


def _read(context: AppContext, ids: list[int]) -> list[RunView]:
    with context.session_factory() as session:
        return [RunView.of(run) for run in (session.get(SyncRun, run_id) for run_id in ids) if run]


def _follow(
    context: AppContext, sync: SyncOrchestrator, ids: list[int], console: Console
) -> list[RunView]:
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    tasks = {run_id: progress.add_task("", total=None, detail="") for run_id in ids}
    cancelled = False
    with progress:
        while True:
            try:
                views = _read(context, ids)
                for view in views:
                    progress.update(tasks[view.id], description=_label(view), detail=_detail(view))
                if all(view.status in FINISHED for view in views):
                    return views
                time.sleep(0.2)
            except KeyboardInterrupt:
                if cancelled:
                    raise
                cancelled = True
                console.print(
                    "cancelling: the runs stop after their current page (Ctrl-C again to quit)"
                )
                with context.session_factory.begin() as session:
                    for view in _read(context, ids):
                        if view.status not in FINISHED:
                            sync.cancel(session, view.id)

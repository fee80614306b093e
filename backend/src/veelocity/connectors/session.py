"""What every run of a source's sync opens: its HTTP policy (budgets counted against the
hour's earlier runs, the outbound guard, retries, progress per response) and its checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from veelocity.connectors.http import (
    HttpPolicy,
    RequestBudget,
    RetryPolicy,
    TokenPool,
    Upstream,
    rate_limit_of,
)
from veelocity.connectors.progress import StreamProgress
from veelocity.connectors.storage import CheckpointStore, requests_in_last_hour
from veelocity.core.security.outbound import OutboundPolicy
from veelocity.sync.context import SourceRunContext


@contextmanager
def source_session(
    context: SourceRunContext,
    *,
    source: str,
    upstream: Upstream,
    secret: str,
    max_per_sync: int,
    max_per_hour: int,
    retry: RetryPolicy,
    transport: httpx.BaseTransport | None = None,
) -> Iterator[tuple[HttpPolicy, CheckpointStore, StreamProgress]]:
    """The policy, checkpoints and progress of one run of SOURCE with one SECRET."""
    usage = requests_in_last_hour(context.session_factory, [source], context.run_id)
    budget = RequestBudget(
        max_per_sync=max_per_sync,
        max_per_hour=max_per_hour,
        used_this_hour_before=usage.requests,
        hour_frees_at=usage.frees_at,
        upstream=upstream.name,
        per_sync_setting=f"the {upstream.name} connector's limit per sync",
        per_hour_setting=f"the {upstream.name} connector's limit per hour",
    )
    progress = StreamProgress(context.reporter, rate_limit_of)
    http = HttpPolicy(
        tokens=TokenPool([secret], upstream),
        budget=budget,
        outbound=OutboundPolicy.from_settings(context.settings),
        retry=retry,
        on_response=progress.response,
        transport=transport,
        check_continue=context.check_continue,
    )
    with http:
        yield http, CheckpointStore(source, context.session_factory, context.settings), progress

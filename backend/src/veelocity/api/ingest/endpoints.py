"""Push ingest: `POST /api/v1/ingest/{deployments,incidents,pull-requests}`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from veelocity.api import API_PREFIX
from veelocity.api.deps import Context, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.ingest.auth import IngestCaller, IngestTokenAuth
from veelocity.api.ingest.cdevents_endpoints import router as cdevents_router
from veelocity.api.ingest.dora_endpoints import router as dora_router
from veelocity.api.ingest.schemas import IngestCounts, logged_counts
from veelocity.ingest.payloads import (
    MAX_BATCH_ITEMS,
    DeploymentBatch,
    IncidentBatch,
    IngestItem,
    PullRequestBatch,
)
from veelocity.ingest.service import IngestKind, ingest_items

router = APIRouter(
    prefix=f"{API_PREFIX}/ingest",
    tags=["ingest"],
    responses={
        401: {"model": ErrorResponse, "description": "No valid ingest token."},
        413: {"model": ErrorResponse, "description": "The body is over the size limit."},
        422: {
            "model": ErrorResponse,
            "description": "An item is not valid; the message names `items.N.field`. "
            "Nothing was written.",
        },
    },
)

_DESCRIPTION = (
    f'Send one item as the body, or up to {MAX_BATCH_ITEMS} as `{{"items": [...]}}`. '
    "Items are keyed by `(source, external_id)`: sending one again updates it, never "
    "duplicates it. A batch is all-or-nothing. Authenticate with an ingest token "
    "(`Authorization: Bearer vlc_ing_…`); a user's access token is refused with 401."
)

_DEPLOYMENT = {
    "source": "jenkins",
    "external_id": "api-deploy-1842",
    "repository": "acme/api",
    "environment": "production",
    "status": "success",
    "started_at": "2025-03-03T09:00:00Z",
    "finished_at": "2025-03-03T09:07:12Z",
    "commit_sha": "9fceb02d0ae598e95dc970b74767f19372d61af8",
}
_INCIDENT = {
    "source": "pagerduty",
    "external_id": "Q1ZT8H",
    "title": "Checkout errors",
    "service": "checkout",
    "repository": "acme/api",
    "severity": "sev2",
    "started_at": "2025-03-03T10:15:00Z",
    "resolved_at": "2025-03-03T11:02:00Z",
    "deployment": {"source": "jenkins", "external_id": "api-deploy-1842"},
}
_PULL_REQUEST = {
    "source": "gitlab",
    "external_id": "acme/api!311",
    "repository": "acme/api",
    "number": 311,
    "title": "Export invoices as CSV",
    "author": "alice",
    "head_branch": "feature/invoice-export",
    "created_at": "2025-03-01T08:30:00Z",
    "merged_at": "2025-03-02T16:05:00Z",
    "merge_commit_sha": "9fceb02d0ae598e95dc970b74767f19372d61af8",
    "additions": 120,
    "deletions": 8,
    "labels": ["feature"],
    "commits": [
        {"sha": "1a410efbd13591db07496601ebc7a059dd55cfe9", "authored_at": "2025-02-28T17:00:00Z"}
    ],
    "events": [
        {"kind": "review", "actor": "bob", "at": "2025-03-02T09:12:00Z", "state": "APPROVED"}
    ],
}


def _examples(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "one": {"summary": "One item", "value": item},
        "batch": {
            "summary": f"A batch (up to {MAX_BATCH_ITEMS} items)",
            "value": {"items": [item]},
        },
    }


def _ingest(
    kind: IngestKind,
    items: list[IngestItem],
    session: DbSession,
    context: Context,
    caller: IngestCaller,
) -> IngestCounts:
    report = ingest_items(session, context.settings, kind, items, loc_root=("body",))
    return logged_counts(report, kind.value, caller.token_id)


@router.post("/deployments", summary="Push deployments from a CI/CD tool", description=_DESCRIPTION)
def push_deployments(
    caller: IngestTokenAuth,
    body: Annotated[DeploymentBatch, Body(openapi_examples=_examples(_DEPLOYMENT))],
    session: DbSession,
    context: Context,
) -> IngestCounts:
    return _ingest(IngestKind.DEPLOYMENTS, list(body.items), session, context, caller)


@router.post("/incidents", summary="Push incidents", description=_DESCRIPTION)
def push_incidents(
    caller: IngestTokenAuth,
    body: Annotated[IncidentBatch, Body(openapi_examples=_examples(_INCIDENT))],
    session: DbSession,
    context: Context,
) -> IngestCounts:
    return _ingest(IngestKind.INCIDENTS, list(body.items), session, context, caller)


@router.post("/pull-requests", summary="Push pull (merge) requests", description=_DESCRIPTION)
def push_pull_requests(
    caller: IngestTokenAuth,
    body: Annotated[PullRequestBatch, Body(openapi_examples=_examples(_PULL_REQUEST))],
    session: DbSession,
    context: Context,
) -> IngestCounts:
    return _ingest(IngestKind.PULL_REQUESTS, list(body.items), session, context, caller)


# The standard formats' routes share this router's prefix, tag and error responses.
router.include_router(cdevents_router)
router.include_router(dora_router)

"""`POST /api/v1/ingest/dora/deployment` and `/dora/failure`: events in the shape of the
widely used commercial DORA metrics API, so a pipeline that already sends them needs only a
new address and token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from sqlalchemy.orm import Session

from veelocity.api.deps import Context, DbSession
from veelocity.api.ingest.auth import IngestTokenAuth
from veelocity.api.ingest.schemas import IngestCounts, logged_counts
from veelocity.api.ingest.source_param import source_query
from veelocity.core.config import Settings
from veelocity.ingest.dora_events import translate_dora_deployment, translate_dora_failure
from veelocity.ingest.team_deployments import latest_team_deployment_repository
from veelocity.ingest.translated import Translated, ingest_translated

router = APIRouter()

_DEPLOYMENT = {
    "data": {
        "attributes": {
            "id": "api-deploy-1842",
            "service": "api",
            "env": "production",
            "version": "v1.12.7",
            "started_at": 1741021200000000000,
            "finished_at": 1741021632000000000,
            "git": {
                "repository_url": "https://github.com/acme/api",
                "commit_sha": "9fceb02d0ae598e95dc970b74767f19372d61af8",
            },
        }
    }
}
_FAILURE = {
    "data": {
        "attributes": {
            "id": "INC-7",
            "services": ["api"],
            "env": "production",
            "name": "Checkout errors",
            "severity": "High",
            "started_at": 1741025700000000000,
            "finished_at": 1741028520000000000,
            "git": {"repository_url": "https://github.com/acme/api"},
        }
    }
}

_DESCRIPTION = (
    '`{"data": {"attributes": {…}}}` (or the attributes alone). Times are Unix times in '
    "seconds, milliseconds or nanoseconds, or ISO 8601 with a time zone. "
    "`git.repository_url` names the repository; "
    "`env` defaults to production; `id` (or, without it, a digest of the attributes) keys "
    "the event with `source`, so sending it again updates it. Same ingest token and "
    "all-or-nothing writes as the native routes; see docs/ingest.md."
)


def _answer(
    translated: Translated, kind: str, session: Session, settings: Settings, token_id: int
) -> IngestCounts:
    report = ingest_translated(session, settings, translated)
    return logged_counts(report, kind, token_id)


@router.post(
    "/dora/deployment",
    summary="Push a deployment event shaped like the common DORA metrics API",
    description="A deployment: `service`, `started_at`, `finished_at`, `git.repository_url`, "
    "`git.commit_sha`, `env`, `version`. " + _DESCRIPTION,
)
def push_dora_deployment(
    caller: IngestTokenAuth,
    body: Annotated[dict[str, Any], Body(openapi_examples={"deployment": {"value": _DEPLOYMENT}})],
    source: Annotated[str, Depends(source_query("dora"))],
    session: DbSession,
    context: Context,
) -> IngestCounts:
    translated = translate_dora_deployment(body, source)
    return _answer(translated, "dora-deployment", session, context.settings, caller.token_id)


@router.post(
    "/dora/failure",
    summary="Push a failure (incident) event shaped like the common DORA metrics API",
    description="A failure: `services` (the first is the incident's service), "
    "`git.repository_url`, or `team` (the Veelocity team of that name: the failure follows "
    "its latest production deployment before `started_at`), `started_at`, `finished_at` "
    "(its resolution; leave out while it is open), `name`, `severity`, `env`. " + _DESCRIPTION,
)
def push_dora_failure(
    caller: IngestTokenAuth,
    body: Annotated[dict[str, Any], Body(openapi_examples={"failure": {"value": _FAILURE}})],
    source: Annotated[str, Depends(source_query("dora"))],
    session: DbSession,
    context: Context,
) -> IngestCounts:
    translated = translate_dora_failure(
        body,
        source,
        team_repository=lambda team, before: latest_team_deployment_repository(
            session, team, before
        ),
    )
    return _answer(translated, "dora-failure", session, context.settings, caller.token_id)

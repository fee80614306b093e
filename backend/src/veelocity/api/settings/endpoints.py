"""Source settings, deployment and incident patterns. Anyone signed in reads; admins change."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, Context, CurrentUser, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.api.settings import schemas
from veelocity.audit import record_event
from veelocity.core.errors import InvalidInput
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.credentials import store
from veelocity.credentials.catalogue import SOURCES, SourceName
from veelocity.derive import derive_issue_incidents

router = APIRouter(
    prefix=f"{API_PREFIX}/settings",
    tags=["settings"],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)

_OUT_MODELS: dict[SourceName, type[BaseModel]] = {
    SourceName.GITHUB: schemas.GitHubOut,
    SourceName.LINEAR: schemas.LinearOut,
    SourceName.SENTRY: schemas.SentryOut,
    SourceName.CURSOR: schemas.CursorOut,
    SourceName.GREPTILE: schemas.GreptileOut,
}


def _source_out(session: DbSession, context: Context, source: SourceName) -> dict[str, Any]:
    view = store.source_view(session, context.cipher, source)
    return {
        name: (
            schemas.SecretOut(configured=value.configured, last4=value.last4)
            if isinstance(value, store.SecretView)
            else value
        )
        for name, value in view.items()
    }


@router.get("", summary="All settings; secrets as {configured, last4} only")
def read_settings(session: DbSession, context: Context, _: CurrentUser) -> schemas.SettingsOut:
    return schemas.SettingsOut(
        encryption_available=True,
        oauth_available=context.settings.github_oauth_available,
        unreadable_secrets=context.unreadable_secrets,
        deployment_patterns=store.deployment_patterns(
            session, context.settings.deployment_patterns
        ),
        incident_patterns=store.incident_patterns(session, context.settings.incident_patterns),
        sources=schemas.SourcesOut.model_validate(
            {source.value: _source_out(session, context, source) for source in SourceName}
        ),
        synced_sources=context.sync.catalogue.sources if context.sync else [],
    )


def _save_source(
    source: SourceName,
    body: BaseModel,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> dict[str, Any]:
    fields = SOURCES[source]
    given = {name: getattr(body, name) for name in body.model_fields_set}
    secrets = {name: value for name, value in given.items() if name in fields.secrets}
    options = {
        name: value for name, value in given.items() if name in fields.options and value is not None
    }
    outbound = OutboundPolicy.from_settings(context.settings)
    for name, value in options.items():
        if name.endswith("_url"):
            try:
                options[name] = outbound.check_base_url(value)
            except ForbiddenURL as exc:
                raise InvalidInput(f"{name}: {exc}") from None
    changes = store.update_source(
        session, context.cipher, source, options=options, secrets=secrets, actor_id=admin.id
    )
    if changes:
        record_event(
            session,
            actor=actor_for(request, admin),
            action="settings.source_updated",
            target=source.value,
            details=changes,
        )
    return _source_out(session, context, source)


_update_responses: dict[int | str, dict[str, Any]] = {422: {"model": ErrorResponse}}


@router.put("/sources/github", summary="Save GitHub settings", responses=_update_responses)
def save_github(
    body: schemas.GitHubUpdate,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.GitHubOut:
    return schemas.GitHubOut.model_validate(
        _save_source(SourceName.GITHUB, body, request, session, context, admin)
    )


@router.put("/sources/linear", summary="Save Linear settings", responses=_update_responses)
def save_linear(
    body: schemas.LinearUpdate,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.LinearOut:
    return schemas.LinearOut.model_validate(
        _save_source(SourceName.LINEAR, body, request, session, context, admin)
    )


@router.put("/sources/sentry", summary="Save Sentry settings", responses=_update_responses)
def save_sentry(
    body: schemas.SentryUpdate,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.SentryOut:
    return schemas.SentryOut.model_validate(
        _save_source(SourceName.SENTRY, body, request, session, context, admin)
    )


@router.put("/sources/cursor", summary="Save Cursor settings", responses=_update_responses)
def save_cursor(
    body: schemas.CursorUpdate,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.CursorOut:
    return schemas.CursorOut.model_validate(
        _save_source(SourceName.CURSOR, body, request, session, context, admin)
    )


@router.put("/sources/greptile", summary="Save Greptile settings", responses=_update_responses)
def save_greptile(
    body: schemas.GreptileUpdate,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.GreptileOut:
    return schemas.GreptileOut.model_validate(
        _save_source(SourceName.GREPTILE, body, request, session, context, admin)
    )


def _audit_pattern_change(
    session: DbSession,
    request: Request,
    admin: AdminUser,
    kind: str,
    before: list[str],
    after: list[str],
) -> None:
    """Audit a saved pattern list, only when it changed."""
    if before != after:
        record_event(
            session,
            actor=actor_for(request, admin),
            action=f"settings.{kind}_patterns_updated",
            details={"from": before, "to": after},
        )


@router.put(
    "/deployment-patterns",
    summary="Set the patterns that mark deployment workflows",
    responses=_update_responses,
)
def save_deployment_patterns(
    body: schemas.DeploymentPatterns,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.DeploymentPatterns:
    before = store.deployment_patterns(session, context.settings.deployment_patterns)
    store.set_deployment_patterns(session, body.patterns)
    _audit_pattern_change(session, request, admin, "deployment", before, body.patterns)
    return body


@router.put(
    "/incident-patterns",
    summary="Set the labels that mark incidents",
    description="Issues whose labels match one of these patterns (case-insensitive) are "
    "incidents. Saving a changed list decides again, at once, which stored issues are "
    "incidents, and the deployments they are attributed to.",
    responses=_update_responses,
)
def save_incident_patterns(
    body: schemas.IncidentPatterns,
    request: Request,
    session: DbSession,
    context: Context,
    admin: AdminUser,
) -> schemas.IncidentPatterns:
    before = store.incident_patterns(session, context.settings.incident_patterns)
    store.set_incident_patterns(session, body.patterns)
    _audit_pattern_change(session, request, admin, "incident", before, body.patterns)
    if before != body.patterns:
        # Issues are kept whole, so which of them are incidents changes with the patterns.
        derive_issue_incidents(session, store.derive_config(session, context.settings))
    return body

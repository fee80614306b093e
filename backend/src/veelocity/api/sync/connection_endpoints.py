"""Settings' "test connection": try a source's configuration with one or two upstream calls."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ValidationError

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, Context, DbSession
from veelocity.api.errors import ErrorResponse
from veelocity.api.settings import schemas as settings_schemas
from veelocity.api.sync.schemas import ConnectionCheckOut
from veelocity.core.errors import InvalidInput, NotFound
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.credentials.catalogue import SOURCES, SourceName
from veelocity.credentials.unsaved import UnsavedSettings, sessions_with_unsaved
from veelocity.sync.context import SilentReporter, SourceRunContext
from veelocity.sync.readiness import source_title

router = APIRouter(
    prefix=f"{API_PREFIX}/settings",
    tags=["settings"],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)

_UPDATE_MODELS: dict[SourceName, type[BaseModel]] = {
    SourceName.GITHUB: settings_schemas.GitHubUpdate,
    SourceName.LINEAR: settings_schemas.LinearUpdate,
    SourceName.SENTRY: settings_schemas.SentryUpdate,
    SourceName.CURSOR: settings_schemas.CursorUpdate,
    SourceName.GREPTILE: settings_schemas.GreptileUpdate,
}


def _unsaved_values(
    source: SourceName, body: dict[str, Any], outbound: OutboundPolicy
) -> tuple[dict[str, Any], dict[str, str | None]]:
    """The body's options and secrets, validated like the PUT of the source's settings."""
    try:
        update = _UPDATE_MODELS[source].model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_input=False)
        )
        raise InvalidInput(problems) from None
    fields = SOURCES[source]
    given = {name: getattr(update, name) for name in update.model_fields_set}
    # A secret left out (or null) means "use the stored one" here: nothing is cleared.
    secrets = {k: v for k, v in given.items() if k in fields.secrets and v is not None}
    options = {k: v for k, v in given.items() if k in fields.options and v is not None}
    for name, value in options.items():
        if name.endswith("_url"):
            try:
                options[name] = outbound.check_base_url(value)
            except ForbiddenURL as exc:
                raise InvalidInput(f"{name}: {exc}") from None
    return options, secrets


@router.post(
    "/sources/{source}/test",
    summary="Test a source's connection with its stored or unsaved settings",
    description="Makes one or two cheap upstream calls. With a body (the same as the PUT of "
    "that source's settings) the unsaved values are tried instead of the stored ones, and "
    "nothing is saved; a secret left out uses the stored one. Sources Veelocity cannot sync "
    "yet answer `ok: false` saying so.",
    responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)
def check_source_connection(
    source: str,
    context: Context,
    session: DbSession,
    _: AdminUser,
    body: Annotated[dict[str, Any] | None, Body()] = None,
) -> ConnectionCheckOut:
    try:
        name = SourceName(source)
    except ValueError:
        raise NotFound(f"There is no source named {source!r}.") from None
    catalogue = context.sync.catalogue if context.sync else None
    check = catalogue.connection_tests.get(name.value) if catalogue else None
    if check is None:
        return ConnectionCheckOut(
            ok=False,
            message=f"Testing the connection to {source_title(name.value)} is not supported "
            "yet: Veelocity cannot sync it yet.",
            details={},
        )
    options, secrets = _unsaved_values(
        name, body or {}, OutboundPolicy.from_settings(context.settings)
    )
    # No transaction stays open while the upstream is called, however slowly it answers: the
    # request's own (it only read who is asking) ends here, and the check's sessions see the
    # unsaved values only while they read the configuration.
    session.close()
    unsaved = UnsavedSettings(name, context.cipher, options, dict(secrets))
    result = check(
        SourceRunContext(
            session_factory=sessions_with_unsaved(context.engine, unsaved),
            settings=context.settings,
            cipher=context.cipher,
            reporter=SilentReporter(),
        )
    )
    return ConnectionCheckOut(ok=result.ok, message=result.message, details=dict(result.details))

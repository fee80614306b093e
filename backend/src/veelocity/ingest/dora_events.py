"""Deployment and failure events in the shape of the widely used commercial DORA metrics API
(Datadog's `POST /api/v2/dora/deployment` and `/failure`), translated to native items.

- The body is `{"data": {"attributes": {...}}}` as that API takes it, or the attributes alone.
- Times are Unix times in seconds, milliseconds or nanoseconds, as that API takes them, or
  ISO 8601 strings with a time zone.
- `git.repository_url` names the repository (Veelocity keys delivery by repository), and
  `git.commit_sha` the deployed commit. `env` defaults to production.
- `id` keys the event with the `source`; without one, a digest of the event's attributes
  does, so a retry of the same event is still recognised.
- A failure is an incident: `started_at` to `finished_at` (its resolution; left out while
  it is open), `name` its title, the first of `services` its service.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from veelocity.core.errors import InvalidInput
from veelocity.ingest.payloads import Timestamp
from veelocity.ingest.repository_names import repository_from_url
from veelocity.ingest.translated import Translated, TranslatedItem

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Unix times as that API takes them: seconds, milliseconds or nanoseconds, told apart by
#: size (seconds stay below 10^11 until the year 5138; milliseconds below 10^14).
_SECONDS_BELOW = 10**11
_MILLISECONDS_BELOW = 10**14
_NANOSECONDS_FROM = 10**17


def _unix_time_or_text(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    if value < 0 or _MILLISECONDS_BELOW <= value < _NANOSECONDS_FROM:
        raise PydanticCustomError(
            "timestamp_unit",
            "expected a Unix time in seconds, milliseconds or nanoseconds (e.g. "
            "1741000000000000000); this number is none of them",
        )
    if value < _SECONDS_BELOW:
        microseconds = value * 1_000_000
    elif value < _MILLISECONDS_BELOW:
        microseconds = value * 1000
    else:
        microseconds = value // 1000
    moment = _EPOCH + timedelta(microseconds=microseconds)
    return moment.isoformat().replace("+00:00", "Z")


EventTime = Annotated[int | str, BeforeValidator(_unix_time_or_text)]
_MOMENT = TypeAdapter(Timestamp)


def _moment(value: int | str, field: str) -> datetime:
    try:
        return _MOMENT.validate_python(value)
    except ValidationError as exc:
        raise InvalidInput(f"{field}: {exc.errors()[0]['msg']}") from exc


class GitInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    repository_url: str | None = None
    commit_sha: str | None = None


class _Attributes(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | int | None = Field(default=None, description="The event's id; keys it.")
    env: str | None = Field(default=None, description="Default: production.")
    git: GitInfo | None = None
    version: str | None = None
    team: str | None = None
    started_at: EventTime
    finished_at: EventTime | None = None


class DoraDeploymentAttributes(_Attributes):
    service: str = Field(min_length=1, max_length=200)
    finished_at: EventTime


class DoraFailureAttributes(_Attributes):
    services: list[str] | None = None
    name: str | None = Field(default=None, description="The failure's title.")
    severity: str | None = None


AttributesT = TypeVar("AttributesT", bound=_Attributes)


def _parsed(model: type[AttributesT], body: Any) -> tuple[AttributesT, dict[str, Any]]:
    """The attributes of `{"data": {"attributes": …}}` (or of the body itself, without the
    envelope), validated; problems are named as the sender wrote them."""
    enveloped = isinstance(body, dict) and isinstance(body.get("data"), dict)
    raw = body["data"].get("attributes") if enveloped else body
    prefix = ["data", "attributes"] if enveloped else []
    if not isinstance(raw, dict):
        raise InvalidInput(
            'expected a JSON object: {"data": {"attributes": {…}}} or the attributes alone'
        )
    try:
        return model.model_validate(raw), raw
    except ValidationError as exc:
        details = [
            {"loc": ["body", *prefix, *e["loc"]], "msg": e["msg"], "type": e["type"]}
            for e in exc.errors()
        ]
        first = details[0]
        where = ".".join(str(part) for part in first["loc"][1:])
        raise InvalidInput(f"{where}: {first['msg']}", details=details) from None


def _external_id(attributes: _Attributes, raw: dict[str, Any]) -> str:
    if attributes.id is not None:
        return str(attributes.id)
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


def _repository(attributes: _Attributes) -> str | None:
    url = attributes.git.repository_url if attributes.git else None
    if url is None:
        return None
    # An address that names no repository is passed on as given, refused with its value.
    return repository_from_url(url) or url


_GIT_ORIGINS = {
    "repository": "git.repository_url",
    "commit_sha": "git.commit_sha",
    "environment": "env",
    "external_id": "id",
}


def translate_deployment(
    attributes: DoraDeploymentAttributes, raw: dict[str, Any], source: str
) -> TranslatedItem:
    version = f" {attributes.version}" if attributes.version else ""
    data: dict[str, Any] = {
        "source": source,
        "external_id": _external_id(attributes, raw),
        "repository": _repository(attributes),
        "environment": attributes.env,
        "status": "success",
        "started_at": attributes.started_at,
        "finished_at": attributes.finished_at,
        "commit_sha": attributes.git.commit_sha if attributes.git else None,
        "name": f"{attributes.service}{version}",
    }
    if data["repository"] is None:
        raise InvalidInput(
            "git.repository_url: Veelocity counts deployments by repository; add "
            "git.repository_url (e.g. https://github.com/acme/api) and git.commit_sha"
        )
    return TranslatedItem(
        {k: v for k, v in data.items() if v is not None},
        {**_GIT_ORIGINS, "name": "service"},
    )


#: The repository of a team's latest production deployment at or before a moment.
TeamRepositoryLookup = Callable[[str, datetime], str]


def translate_failure(
    attributes: DoraFailureAttributes,
    raw: dict[str, Any],
    source: str,
    team_repository: TeamRepositoryLookup | None = None,
) -> TranslatedItem:
    services = [s for s in attributes.services or () if s.strip()]
    data: dict[str, Any] = {
        "source": source,
        "external_id": _external_id(attributes, raw),
        "title": attributes.name or "",
        "repository": _repository(attributes),
        "service": services[0] if services else None,
        "severity": attributes.severity,
        "started_at": attributes.started_at,
        "resolved_at": attributes.finished_at,
    }
    origins = {**_GIT_ORIGINS, "title": "name", "service": "services.0"}
    team = (attributes.team or "").strip()
    if data["repository"] is None and data["service"] is None:
        if not team or team_repository is None:
            raise InvalidInput(
                "services: a failure needs services, git.repository_url or team, to know "
                "which deployment it follows"
            )
        data["repository"] = team_repository(team, _moment(attributes.started_at, "started_at"))
        origins["repository"] = "team"
    return TranslatedItem(
        {k: v for k, v in data.items() if v is not None},
        {**origins, "resolved_at": "finished_at"},
    )


def translate_dora_deployment(body: Any, source: str) -> Translated:
    attributes, raw = _parsed(DoraDeploymentAttributes, body)
    return Translated(deployments=[translate_deployment(attributes, raw, source)])


def translate_dora_failure(
    body: Any, source: str, team_repository: TeamRepositoryLookup | None = None
) -> Translated:
    attributes, raw = _parsed(DoraFailureAttributes, body)
    return Translated(incidents=[translate_failure(attributes, raw, source, team_repository)])

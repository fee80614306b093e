"""OpenTelemetry's attribute names for deployments, accepted in the native JSON.

Tools that already describe a deployment with OpenTelemetry's semantic conventions
(`deployment.*`, `vcs.*`, `cicd.*`) can send those attributes as they are. Each maps to one
native field; its values are translated where the conventions name them differently
(`deployment.status: succeeded` is `status: success`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_core import PydanticCustomError

from veelocity.ingest.repository_names import repository_from_url


def _status(value: Any) -> Any:
    statuses = {
        # deployment.status
        "succeeded": "success",
        "failed": "failure",
        # cicd.pipeline.result
        "success": "success",
        "failure": "failure",
        "error": "failure",
        "timeout": "failure",
    }
    if isinstance(value, str) and value.strip().lower() in ("cancellation", "skip"):
        raise PydanticCustomError(
            "otel_result",
            "a cancelled or skipped run deployed nothing; send only runs that succeeded or failed",
        )
    return statuses.get(value.strip().lower(), value) if isinstance(value, str) else value


def _repository(value: Any) -> Any:
    return (repository_from_url(value) or value) if isinstance(value, str) else value


def _pull_requests(value: Any) -> Any:
    number = str(value).strip().lstrip("#!")
    return [int(number)] if number.isdigit() else [value]


def _same(value: Any) -> Any:
    return value


#: OpenTelemetry attribute → (native field, value translation), in order of preference:
#: the first attribute given for a field wins over later ones only if they agree.
DEPLOYMENT_ALIASES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "deployment.id": ("external_id", _same),
    "cicd.pipeline.run.id": ("external_id", _same),
    "deployment.environment.name": ("environment", _same),
    "deployment.status": ("status", _status),
    "cicd.pipeline.result": ("status", _status),
    "deployment.name": ("name", _same),
    "cicd.pipeline.name": ("name", _same),
    "vcs.repository.url.full": ("repository", _repository),
    "vcs.ref.head.revision": ("commit_sha", _same),
    "vcs.change.id": ("pull_requests", _pull_requests),
    "cicd.pipeline.run.url.full": ("url", _same),
}


def with_native_names(data: Any) -> Any:
    """The item with OpenTelemetry attribute names replaced by native fields. Two names for
    one field must agree (`deployment.id` and `cicd.pipeline.run.id` may both be sent only
    with the same value); a native field given as well wins only when it agrees too."""
    if not isinstance(data, dict) or not any(key in DEPLOYMENT_ALIASES for key in data):
        return _owner_and_name(data)
    native = {key: value for key, value in data.items() if key not in DEPLOYMENT_ALIASES}
    origin: dict[str, str] = {}
    for attribute, (field, translate) in DEPLOYMENT_ALIASES.items():
        if attribute not in data:
            continue
        value = translate(data[attribute])
        if field in native and native[field] != value and field not in origin:
            raise PydanticCustomError(
                "alias_conflict",
                "{attribute} and {field} are both given, with different values; send one",
                {"attribute": attribute, "field": field},
            )
        if field in origin and native[field] != value:
            raise PydanticCustomError(
                "alias_conflict",
                "{attribute} and {other} name the same field with different values; send one",
                {"attribute": attribute, "other": origin[field]},
            )
        native.setdefault(field, value)
        origin.setdefault(field, attribute)
    return _owner_and_name(native)


def _owner_and_name(data: Any) -> Any:
    """`vcs.owner.name` with `vcs.repository.name` is a repository too."""
    if not isinstance(data, dict) or "vcs.repository.name" not in data:
        return data
    rest = {k: v for k, v in data.items() if k not in ("vcs.owner.name", "vcs.repository.name")}
    owner, name = data.get("vcs.owner.name"), data["vcs.repository.name"]
    full = f"{owner}/{name}" if owner and "/" not in str(name) else name
    if "repository" in rest and rest["repository"] != full:
        raise PydanticCustomError(
            "alias_conflict",
            "vcs.repository.name and repository are both given, with different values; send one",
        )
    rest.setdefault("repository", full)
    return rest

"""The `source` query parameter of the standard formats' routes: it names the sending tool,
as `source` does in the native JSON, and keys the records with the events' ids."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Query
from pydantic import TypeAdapter, ValidationError

from veelocity.core.errors import InvalidInput
from veelocity.ingest.payloads import Source

_SOURCE: TypeAdapter[str] = TypeAdapter(Source)


def source_query(default: str) -> Callable[[str], str]:
    """A dependency reading `?source=`, checked like the native `source`."""
    # Annotations are evaluated here, not postponed: FastAPI reads them from the closure.
    parameter = Query(
        max_length=64,
        description="The sending tool (e.g. argocd), as `source` in the native JSON; with the "
        f"event ids it keys the records. Default: {default}.",
    )

    def source(source: Annotated[str, parameter] = default) -> str:
        try:
            return _SOURCE.validate_python(source)
        except ValidationError as exc:
            raise InvalidInput(f"source: {exc.errors()[0]['msg']}") from None

    return source

"""Refuse NUL characters in every string a request carries.

PostgreSQL cannot store or compare text containing NUL, and no field of this API needs one,
so one app-wide dependency refuses them in the path, the query string and JSON bodies before
any handler (or the database) sees them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

_NUL = "\x00"
#: How JSON writes NUL inside a string; a body without it has no NUL once decoded.
_JSON_ESCAPED_NUL = b"\\u0000"
_MESSAGE = "must not contain NUL characters"


def _strings_with_nul(value: Any, location: tuple[str | int, ...]) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        if _NUL in value:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            if _NUL in key:
                yield (*location, key.replace(_NUL, "\\u0000"))
            yield from _strings_with_nul(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_with_nul(item, (*location, index))


def _is_json(content_type: str) -> bool:
    """application/json and its structured-syntax relatives such as application/cloudevents+json."""
    media_type = content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _error(location: tuple[Any, ...]) -> dict[str, Any]:
    return {"loc": location, "msg": f"Value {_MESSAGE}", "type": "string_nul_character"}


async def refuse_nul_characters(request: Request) -> None:
    """Raise a 422 naming the first field that holds a NUL character."""
    errors = [
        _error(("path", name))
        for name, value in request.path_params.items()
        if isinstance(value, str) and _NUL in value
    ]
    errors += [
        _error(("query", name.replace(_NUL, "\\u0000")))
        for name, value in request.query_params.multi_items()
        if _NUL in name or _NUL in value
    ]
    if _is_json(request.headers.get("content-type", "")):
        body = await request.body()  # already read and cached for routes that take a body
        if _JSON_ESCAPED_NUL in body:
            try:
                document = json.loads(body)
            except ValueError:
                document = None  # the route's own parsing reports the malformed body
            errors += [_error(loc) for loc in _strings_with_nul(document, ("body",))]
    if errors:
        raise RequestValidationError(errors)

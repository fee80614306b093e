"""Which methods the API answers at a path, for 405 answers and their `Allow` header.

Starlette names only the methods of the first route whose path matches, and the web app's
catch-all answers every GET; asking every documented route for each method gives the full list.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Match
from starlette.types import Scope

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def documented_methods_at(app: Starlette, scope: Scope) -> list[str]:
    """The methods some route of the API description answers at this scope's path."""
    routes = [route for route in app.router.routes if getattr(route, "include_in_schema", True)]
    return [
        method
        for method in _METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]

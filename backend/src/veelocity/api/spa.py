"""Single-process mode: the backend serves the built SPA at / and `/health` → `ok`."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from veelocity.api.allowed_methods import documented_methods_at
from veelocity.api.errors import error_response

#: Hashed file names never change content, so browsers may keep them for a year.
_IMMUTABLE = "public, max-age=31536000, immutable"


class _HashedAssets(StaticFiles):
    async def get_response(self, path: str, scope):  # type: ignore[no-untyped-def]
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["cache-control"] = _IMMUTABLE
        return response


def _looks_like_a_file(path: str) -> bool:
    segments = [segment for segment in path.split("/") if segment]
    return any(segment.startswith(".") for segment in segments) or (
        bool(segments) and "." in segments[-1]
    )


def mount_spa(app: FastAPI, spa_dir: Path) -> None:
    @app.get("/health", include_in_schema=False)
    def frontend_health() -> PlainTextResponse:
        return PlainTextResponse("ok")

    index = spa_dir / "index.html"
    if not index.is_file():
        return
    if (spa_dir / "assets").is_dir():
        app.mount("/assets", _HashedAssets(directory=spa_dir / "assets"), name="spa-assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> Response:
        if path.startswith("api/") or path == "api":
            # This catch-all answers every GET, so a GET on a POST-only route lands here.
            allowed = documented_methods_at(app, request.scope)
            if allowed:
                return error_response(
                    405,
                    "method_not_allowed",
                    "Method Not Allowed",
                    headers={"Allow": ", ".join(allowed)},
                )
            return error_response(404, "not_found", "No such API route.")
        candidate = (spa_dir / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(spa_dir.resolve()):
            return FileResponse(candidate)
        if _looks_like_a_file(path):
            return error_response(404, "not_found", "Not found.")
        # Deep links into the app get the app; it routes on the client.
        return FileResponse(index, headers={"cache-control": "no-cache"})

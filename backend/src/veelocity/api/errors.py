"""Every error leaves the API in one shape: {"error": {"code", "message", "request_id"}}."""

from __future__ import annotations

from typing import Any

from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from veelocity.api.allowed_methods import documented_methods_at
from veelocity.core.errors import VeelocityError
from veelocity.core.logging import get_logger

log = get_logger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


_FASTAPI_BODY_PARSE_ERROR = "There was an error parsing the body"


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str | None = None
    details: Any = None


class ErrorResponse(BaseModel):
    """The shape of every error response."""

    error: ErrorBody


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": correlation_id.get()}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only location, message and type: echoing the input could reflect a submitted secret.
    return [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]


def _validation_message(details: list[dict[str, Any]]) -> str:
    if not details:
        return "The request is not valid."
    first = details[0]
    where = ".".join(str(part) for part in first["loc"] if part != "body")
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(VeelocityError)
    async def _veelocity_error(_: Request, exc: VeelocityError) -> JSONResponse:
        return error_response(
            exc.status_code, exc.code, exc.message, details=exc.details, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        return error_response(
            422, "validation_error", _validation_message(details), details=details
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        headers = getattr(exc, "headers", None)
        if exc.status_code == 400 and message == _FASTAPI_BODY_PARSE_ERROR:
            # e.g. JSON nested too deeply to parse: a problem with the request's content.
            return error_response(422, "validation_error", "The request body could not be parsed.")
        if exc.status_code == 405:
            allowed = documented_methods_at(request.app, request.scope)
            headers = {**(headers or {}), "Allow": ", ".join(allowed)} if allowed else headers
        return error_response(exc.status_code, code, message, headers=headers)

    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable", path=request.url.path, error=type(exc).__name__)
        return error_response(
            503,
            "database_unavailable",
            "The database is unavailable. Try again shortly.",
            headers={"Retry-After": "5"},
        )

    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(PoolTimeoutError, _database_unavailable)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return await _database_unavailable(request, exc)
        log.error("database error", path=request.url.path, error=type(exc.orig).__name__)
        return error_response(500, "internal_error", "Something went wrong on the server.")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        return error_response(500, "internal_error", "Something went wrong on the server.")

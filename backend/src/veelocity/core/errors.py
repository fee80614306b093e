"""The project's error hierarchy. Each error carries its HTTP status and a stable code.

The API turns every one into `{"error": {"code", "message", "request_id"}}`.
"""

from __future__ import annotations

from typing import Any


class VeelocityError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}


class BadRequest(VeelocityError):
    status_code = 400
    code = "bad_request"


class NotAuthenticated(VeelocityError):
    status_code = 401
    code = "not_authenticated"


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"


class Forbidden(VeelocityError):
    status_code = 403
    code = "forbidden"


class NotFound(VeelocityError):
    status_code = 404
    code = "not_found"


class Conflict(VeelocityError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(VeelocityError):
    status_code = 413
    code = "payload_too_large"


class InvalidInput(VeelocityError):
    status_code = 422
    code = "validation_error"


class TooManyAttempts(VeelocityError):
    status_code = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after_seconds)})
        self.retry_after_seconds = retry_after_seconds


class DatabaseUnavailable(VeelocityError):
    status_code = 503
    code = "database_unavailable"

    #: Seconds a client should wait before asking again (the `Retry-After` header).
    retry_after_seconds = 5

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"Retry-After": str(self.retry_after_seconds)})


class EncryptionUnavailable(VeelocityError):
    status_code = 503
    code = "encryption_unavailable"

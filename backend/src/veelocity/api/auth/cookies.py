"""The refresh token travels only in an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request, Response

COOKIE_PATH = "/api/v1/auth"
PLAIN_NAME = "veelocity_refresh"
SECURE_NAME = "__Secure-veelocity_refresh"


def read_refresh_cookie(request: Request) -> str | None:
    return request.cookies.get(SECURE_NAME) or request.cookies.get(PLAIN_NAME)


def set_refresh_cookie(
    request: Request, response: Response, token: str, *, expires_at: datetime, now: datetime
) -> None:
    https = request.url.scheme == "https"
    response.set_cookie(
        SECURE_NAME if https else PLAIN_NAME,
        token,
        max_age=max(0, int((expires_at - now).total_seconds())),
        path=COOKIE_PATH,
        secure=https,
        httponly=True,
        samesite="strict",
    )


def clear_refresh_cookie(response: Response) -> None:
    for name, secure in ((PLAIN_NAME, False), (SECURE_NAME, True)):
        response.delete_cookie(
            name, path=COOKIE_PATH, secure=secure, httponly=True, samesite="strict"
        )

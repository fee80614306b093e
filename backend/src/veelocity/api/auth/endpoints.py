"""Sign-in, first-run setup, token refresh, sign-out and password change."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status

from veelocity.accounts import sessions
from veelocity.accounts.login import LoginResult, check_current_password, check_login
from veelocity.accounts.users import (
    claim_first_run_setup,
    count_users,
    create_user,
    set_password,
)
from veelocity.api import API_PREFIX
from veelocity.api.auth.cookies import clear_refresh_cookie, read_refresh_cookie, set_refresh_cookie
from veelocity.api.auth.schemas import (
    Credentials,
    PasswordChange,
    SetupStatus,
    TokenResponse,
    UserOut,
)
from veelocity.api.deps import (
    AuthenticatedSession,
    Context,
    CurrentUser,
    DbSession,
    actor_for,
    client_address,
)
from veelocity.api.errors import ErrorResponse
from veelocity.audit import record_event
from veelocity.core.errors import (
    InvalidCredentials,
    InvalidInput,
    NotAuthenticated,
    TooManyAttempts,
)
from veelocity.core.time import utcnow
from veelocity.models import User, UserRole

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])

_errors: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse},
    422: {"model": ErrorResponse},
}


def _token_response(
    request: Request, response: Response, issued: sessions.IssuedTokens
) -> TokenResponse:
    now = utcnow()
    set_refresh_cookie(
        request, response, issued.refresh_token, expires_at=issued.session_expires_at, now=now
    )
    return TokenResponse(
        access_token=issued.access_token,
        expires_in=int(issued.access_lifetime.total_seconds()),
        user=UserOut.model_validate(issued.user),
    )


@router.get("/setup", summary="Whether the first admin account still has to be created")
def setup_status(session: DbSession) -> SetupStatus:
    return SetupStatus(needs_setup=count_users(session) == 0)


@router.post(
    "/setup",
    status_code=status.HTTP_201_CREATED,
    summary="Create the first admin account (only while no account exists) and sign in",
    description="Works once per installation: of several setups sent at the same time exactly "
    "one succeeds, and every other (and every later) one gets 409.",
    responses={409: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
)
def first_run_setup(
    body: Credentials, request: Request, response: Response, session: DbSession, context: Context
) -> TokenResponse:
    claim_first_run_setup(session, now=utcnow())
    user = create_user(session, email=body.email, password=body.password, role=UserRole.ADMIN)
    record_event(
        session,
        actor=actor_for(request, user),
        action="user.created",
        target=user.email,
        details={"role": user.role.value, "via": "first-run setup"},
    )
    issued = sessions.start_session(
        session, context.token_policy, user, client_address=client_address(request), now=utcnow()
    )
    return _token_response(request, response, issued)


@router.post(
    "/login",
    summary="Sign in with email and password",
    description="Limited to 5 failed attempts a minute per client address and per account; "
    "past that the answer is 429 with `Retry-After`. The refresh token is set as an HttpOnly "
    "cookie; the access token is in the body.",
    responses={**_errors, 429: {"model": ErrorResponse}},
)
def login(
    body: Credentials, request: Request, response: Response, session: DbSession, context: Context
) -> TokenResponse:
    now = utcnow()
    address = client_address(request)
    outcome = check_login(
        session, email=body.email, password=body.password, client_address=address, now=now
    )
    if outcome.result is LoginResult.THROTTLED:
        record_event(
            session,
            actor=actor_for(request, None),
            action="auth.login_throttled",
            target=outcome.account,
        )
        session.commit()
        raise TooManyAttempts(
            f"Too many sign-in attempts. Try again in {outcome.retry_after_seconds} seconds.",
            retry_after_seconds=outcome.retry_after_seconds,
        )
    if outcome.result is LoginResult.WRONG_CREDENTIALS or outcome.user is None:
        record_event(
            session,
            actor=actor_for(request, None),
            action="auth.login_failed",
            target=outcome.account,
        )
        # The failed attempt must count even though this request fails.
        session.commit()
        raise InvalidCredentials("Incorrect email or password.")
    user = outcome.user
    issued = sessions.start_session(
        session, context.token_policy, user, client_address=address, now=now
    )
    record_event(session, actor=actor_for(request, user), action="auth.login", target=user.email)
    return _token_response(request, response, issued)


@router.post(
    "/refresh",
    summary="Trade the refresh cookie for a new access token and a new refresh cookie",
    description="Each refresh token works once. Presenting a used one again ends the session.",
    responses={401: {"model": ErrorResponse}},
)
def refresh(
    request: Request, response: Response, session: DbSession, context: Context
) -> TokenResponse:
    token = read_refresh_cookie(request)
    if not token:
        raise NotAuthenticated("No session to refresh. Sign in.")
    try:
        issued = sessions.refresh_session(session, context.token_policy, token, now=utcnow())
    except sessions.RefreshTokenReused:
        record_event(
            session,
            actor=actor_for(request, None),
            action="auth.refresh_token_reused",
        )
        session.commit()
        raise
    return _token_response(request, response, issued)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out: ends the session, its refresh token and its access tokens",
)
def logout(request: Request, session: DbSession, context: Context) -> Response:
    now = utcnow()
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_refresh_cookie(response)
    ended = None
    token = read_refresh_cookie(request)
    if token:
        ended = sessions.revoke_session_by_refresh_token(session, token, now=now)
    header = request.headers.get("authorization", "")
    if ended is None and header.lower().startswith("bearer "):
        try:
            auth = sessions.authenticate_access_token(
                session, context.token_policy, header[7:], now=now
            )
        except NotAuthenticated:
            return response
        sessions.revoke_session(session, auth.auth_session, reason="logout", now=now)
        ended = auth.auth_session
    if ended is not None:
        user = session.get(User, ended.user_id)
        record_event(session, actor=actor_for(request, user), action="auth.logout")
    return response


@router.get("/me", summary="The signed-in user", responses={401: {"model": ErrorResponse}})
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user)


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Change your password (ends every session of yours)",
    description="A wrong current password counts as a failed sign-in of your account: past "
    "the sign-in limits (5 failures a minute per client address and per account, 100 an hour "
    "per account) the answer is 429 with `Retry-After`.",
    responses={**_errors, 429: {"model": ErrorResponse}},
)
def change_password(
    body: PasswordChange, request: Request, session: DbSession, auth: AuthenticatedSession
) -> Response:
    user = auth.user
    outcome = check_current_password(
        session,
        user,
        password=body.current_password,
        client_address=client_address(request),
        now=utcnow(),
    )
    if outcome.result is LoginResult.THROTTLED:
        record_event(
            session,
            actor=actor_for(request, user),
            action="auth.password_change_throttled",
            target=user.email,
        )
        session.commit()
        raise TooManyAttempts(
            f"Too many wrong passwords. Try again in {outcome.retry_after_seconds} seconds.",
            retry_after_seconds=outcome.retry_after_seconds,
        )
    if outcome.result is LoginResult.WRONG_CREDENTIALS:
        record_event(
            session,
            actor=actor_for(request, user),
            action="auth.password_change_failed",
            target=user.email,
        )
        # The failed attempt must count even though this request fails.
        session.commit()
        raise InvalidInput("The current password is not correct.")
    set_password(session, user, body.new_password)
    sessions.revoke_all_sessions(session, user.id, reason="password_changed", now=utcnow())
    record_event(session, actor=actor_for(request, user), action="auth.password_changed")
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_refresh_cookie(response)
    return response

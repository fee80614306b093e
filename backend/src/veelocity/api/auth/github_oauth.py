"""Connect with GitHub: start (an admin, from Settings) and the callback GitHub redirects to.

The callback is a browser redirect that carries no access token, so it lives under the
public `/api/v1/auth/` prefix and proves who started it with the state cookie instead.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from veelocity.api import API_PREFIX
from veelocity.api.deps import AdminUser, AuthenticatedSession, Context, DbSession, actor_for
from veelocity.api.errors import ErrorResponse
from veelocity.audit import record_event
from veelocity.core.config import Settings
from veelocity.core.errors import NotFound
from veelocity.core.logging import get_logger
from veelocity.core.security.outbound import OutboundPolicy
from veelocity.core.time import utcnow
from veelocity.credentials import github_oauth, store
from veelocity.credentials.catalogue import SourceName
from veelocity.models import AuthSession, User, UserRole

log = get_logger("veelocity.github_oauth")

COOKIE = "veelocity_github_oauth"
COOKIE_PATH = f"{API_PREFIX}/auth/github"

start_router = APIRouter(prefix=f"{API_PREFIX}/settings", tags=["settings"])
callback_router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])


class OAuthStart(BaseModel):
    authorize_url: str


def _redirect_uri(settings: Settings, request: Request) -> str:
    base = settings.oauth_backend_base_url or str(request.base_url).rstrip("/")
    return base + github_oauth.CALLBACK_PATH


def _secret(settings: Settings) -> str:
    assert settings.jwt_secret_key is not None
    return settings.jwt_secret_key.get_secret_value()


@start_router.post(
    "/sources/github/oauth",
    summary="Start Connect with GitHub: returns the GitHub URL to send the browser to",
    description="Only when GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET are set. "
    "Sets a short-lived HttpOnly cookie that the callback checks against `state`.",
    responses={
        401: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
    },
)
def start(
    request: Request,
    response: Response,
    context: Context,
    admin: AdminUser,
    auth: AuthenticatedSession,
) -> OAuthStart:
    settings = context.settings
    if not settings.github_oauth_available:
        raise NotFound("Connect with GitHub is not configured on this server.")
    assert settings.github_oauth_client_id is not None
    flow = github_oauth.start_flow(
        signing_key=_secret(settings),
        user_id=admin.id,
        session_id=auth.auth_session.id,
        now=utcnow(),
    )
    url = github_oauth.authorize_url(
        base_url=settings.github_oauth_base_url,
        client_id=settings.github_oauth_client_id,
        redirect_uri=_redirect_uri(settings, request),
        state=flow.state,
    )
    # SameSite=Lax: the cookie must come back on GitHub's top-level redirect to the callback.
    response.set_cookie(
        COOKIE,
        flow.cookie_value,
        max_age=int(github_oauth.STATE_LIFETIME.total_seconds()),
        path=COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return OAuthStart(authorize_url=url)


def _frontend_redirect(settings: Settings, outcome: str, reason: str | None = None) -> str:
    target = settings.oauth_frontend_redirect_url or "/settings"
    query = {"github_oauth": outcome, **({"reason": reason} if reason else {})}
    return f"{target}{'&' if '?' in target else '?'}{urlencode(query)}"


def _finish(settings: Settings, outcome: str, reason: str | None = None) -> RedirectResponse:
    response = RedirectResponse(_frontend_redirect(settings, outcome, reason), status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax")
    return response


@callback_router.get(
    "/github/callback",
    summary="Where GitHub sends the browser back; stores the token, then redirects to the app",
    description="Redirects (303) to OAUTH_FRONTEND_REDIRECT_URL with `github_oauth=connected`, "
    "or `github_oauth=error&reason=…`. Never shows the token.",
    response_class=RedirectResponse,
    status_code=303,
)
def callback(
    request: Request,
    session: DbSession,
    context: Context,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
) -> RedirectResponse:
    settings = context.settings
    if not settings.github_oauth_available:
        return _finish(settings, "error", "not_configured")
    if error:
        return _finish(settings, "error", "denied" if error == "access_denied" else "github")
    now = utcnow()
    try:
        claims = github_oauth.check_state(
            signing_key=_secret(settings),
            cookie_value=request.cookies.get(COOKIE),
            state=state,
            now=now,
        )
    except github_oauth.OAuthStateError as exc:
        log.warning("Connect with GitHub refused: bad state", reason=str(exc))
        return _finish(settings, "error", "state")
    auth_session = session.get(AuthSession, claims.session_id)
    user = session.get(User, claims.user_id)
    if (
        auth_session is None
        or auth_session.user_id != claims.user_id
        or auth_session.revoked_at is not None
        or auth_session.expires_at <= now
        or user is None
        or not user.is_active
        or user.role != UserRole.ADMIN
    ):
        return _finish(settings, "error", "session")
    assert settings.github_oauth_client_id is not None
    assert settings.github_oauth_client_secret is not None
    # No transaction stays open while GitHub is called; the token is stored in a new one.
    session.close()
    try:
        token = github_oauth.exchange_code(
            base_url=settings.github_oauth_base_url,
            client_id=settings.github_oauth_client_id,
            client_secret=settings.github_oauth_client_secret.get_secret_value(),
            code=code or "",
            redirect_uri=_redirect_uri(settings, request),
            outbound=OutboundPolicy.from_settings(settings),
        )
    except github_oauth.OAuthExchangeError as exc:
        log.warning("Connect with GitHub failed", reason=str(exc))
        return _finish(settings, "error", "exchange")
    store.update_source(
        session,
        context.cipher,
        SourceName.GITHUB,
        options={},
        secrets={"token": token},
        actor_id=user.id,
    )
    record_event(
        session,
        actor=actor_for(request, user),
        action="settings.github_oauth_connected",
        target=SourceName.GITHUB.value,
        details={"token": "set", "via": "oauth"},
    )
    return _finish(settings, "connected")

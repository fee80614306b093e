"""The one HTTP policy every upstream call goes through, whichever the vendor (`Upstream`).

- Budgets: every attempt (retries included) takes one request from the run's budget
  (`RATE_LIMIT_MAX_PER_SYNC`) and from the hour's (`RATE_LIMIT_MAX_PER_HOUR`, counting earlier
  runs), and calls are spaced at least `RATE_LIMIT_DELAY_MS` apart across all workers.
  Reaching a budget raises `BudgetExhausted`; pages already written stay written.
- Retries with jittered exponential backoff (tenacity) on 5xx, timeouts, connection resets and
  bodies that are not the JSON they claim to be.
- Rate limits: `retry-after` is waited out; a token whose `x-ratelimit-remaining` reached 0
  (REST 403/429, or a GraphQL `RATE_LIMITED` error sent with HTTP 200) is set aside until its
  `x-ratelimit-reset` and the next token takes over; with none left the run stops with
  `rate_limited` and the time it resets. Each further wait of the same request grows
  (`retry-after` is the least, then doubling, with jitter); after
  `RetryPolicy.rate_limit_waits` waits the run stops with `rate_limited` and the time to come
  back, and every other worker stops waiting too.
- Waits are interruptible: they check the run's cancel flag and lock every tenth of a second,
  so a cancel or Ctrl-C ends a run that is waiting within about a second.
- Errors people act on become `SyncError`s: 401 → bad_credentials, 403 naming scopes →
  missing_scopes. A 404 is `UpstreamNotFound` for the caller to name what was missing.
- A points budget the upstream reports in its headers (Linear's complexity) is read after
  every answer: a query that would cost more than what is left waits for the refill, or
  stops the run with `budget_exhausted` and the reset time when that is too far away, so
  the upstream never has to refuse it.

What differs between vendors (their name in messages, the `Authorization` form, the rate
limit headers, how a rate-limited answer looks) is an `Upstream`; GITHUB is the default.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

import httpx
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from veelocity.connectors.base import QueryTooHeavy, UpstreamNotFound
from veelocity.core.security.outbound import ForbiddenURL, OutboundPolicy
from veelocity.core.security.outbound_client import (
    SYNC_LIMITS,
    CallLimits,
    ResponseTooLarge,
    no_answer_message,
    outbound_client,
)
from veelocity.core.time import utcnow
from veelocity.sync.context import BudgetExhausted, SyncError

RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


class _Transient(Exception):
    """A failure worth another attempt; `reason` ends up in the final error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RateLimitSnapshot:
    remaining: int | None
    reset_at: datetime | None
    #: a points budget per window (Linear's complexity), when the upstream reports one
    points_remaining: int | None = None
    #: when the points are all back (Linear's buckets refill steadily until then)
    points_reset_at: datetime | None = None
    points_limit: int | None = None


def _never_limited(_response: httpx.Response) -> bool:
    return False


@dataclass(frozen=True)
class Upstream:
    """What the policy needs to know of a vendor."""

    #: named in every message: "GitHub", "Linear"
    name: str
    #: what the secret is called, and where people set it
    credential: str
    settings_page: str
    #: the `Authorization` header for a secret
    authorization: Callable[[str], str]
    rate_limit: Callable[[httpx.Response], RateLimitSnapshot]
    #: an answer whose body says it was rate limited, whatever its status
    body_rate_limited: Callable[[httpx.Response], bool] = _never_limited
    #: statuses that may carry a rate limit (GitHub uses 403 for its secondary limits)
    limit_statuses: frozenset[int] = frozenset({429})


@dataclass
class RequestBudget:
    """Requests this run may still make, and the spacing between them (thread-safe)."""

    max_per_sync: int
    max_per_hour: int
    #: requests earlier runs made in the last hour, and when the oldest of them leaves it
    used_this_hour_before: int = 0
    hour_frees_at: datetime | None = None
    delay_seconds: float = 0.0
    used: int = 0
    #: named in messages, with the settings that set the two budgets
    upstream: str = "GitHub"
    per_sync_setting: str = "RATE_LIMIT_MAX_PER_SYNC"
    per_hour_setting: str = "RATE_LIMIT_MAX_PER_HOUR"
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _next_slot: float = 0.0

    def take(self) -> None:
        with self._lock:
            if self.used >= self.max_per_sync:
                raise BudgetExhausted(
                    f"This sync used its budget of {self.max_per_sync} {self.upstream} requests "
                    f"({self.per_sync_setting}); the next sync continues where it stopped."
                )
            if self.used_this_hour_before + self.used >= self.max_per_hour:
                resets = self.hour_frees_at or utcnow() + timedelta(hours=1)
                raise BudgetExhausted(
                    f"The hourly budget of {self.max_per_hour} {self.upstream} requests "
                    f"({self.per_hour_setting}) is used up until {resets:%H:%M} UTC; "
                    "the next sync continues where this one stopped.",
                    resets_at=resets,
                )
            self.used += 1
            now = time.monotonic()
            wait = max(0.0, self._next_slot - now)
            self._next_slot = max(now, self._next_slot) + self.delay_seconds
        if wait:
            time.sleep(wait)


@dataclass
class _Token:
    value: str
    position: int
    exhausted_until: datetime | None = None


class TokenPool:
    """Several tokens used in turn: the next one takes over when one runs out."""

    def __init__(self, tokens: Sequence[str], upstream: Upstream | None = None) -> None:
        self.upstream = upstream or GITHUB
        cleaned = [t.strip() for t in tokens if t.strip()]
        if not cleaned:
            raise SyncError(
                "not_configured",
                f"No {self.upstream.name} {self.upstream.credential} is configured in "
                f"{self.upstream.settings_page}.",
            )
        self._tokens = [_Token(value, i + 1) for i, value in enumerate(cleaned)]
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tokens)

    def current(self) -> _Token:
        with self._lock:
            now = utcnow()
            for token in self._tokens:
                if token.exhausted_until is None or token.exhausted_until <= now:
                    token.exhausted_until = None
                    return token
            resets = min(t.exhausted_until for t in self._tokens if t.exhausted_until)
            credential = self.upstream.credential
            plural = (
                f"every configured {credential}" if len(self._tokens) > 1 else f"the {credential}"
            )
            raise SyncError(
                "rate_limited",
                f"{self.upstream.name}'s rate limit for {plural} is used up until "
                f"{resets:%H:%M:%S} UTC; "
                "the next sync continues where this one stopped.",
                resets_at=resets,
            )

    def set_aside(self, token: _Token, until: datetime) -> None:
        with self._lock:
            token.exhausted_until = until

    def describe(self, token: _Token) -> str:
        """Names a token without revealing it: "the token" or "token 2 of 3"."""
        credential = self.upstream.credential
        if len(self._tokens) == 1:
            return f"the {credential}"
        return f"{credential} {token.position} of {len(self._tokens)}"


def rate_limit_of(response: httpx.Response) -> RateLimitSnapshot:
    """GitHub's rate limit headers (resets in epoch seconds)."""
    remaining = response.headers.get("x-ratelimit-remaining")
    reset = response.headers.get("x-ratelimit-reset")
    return RateLimitSnapshot(
        int(remaining) if remaining and remaining.isdigit() else None,
        datetime.fromtimestamp(int(reset), UTC) if reset and reset.isdigit() else None,
    )


#: Called after every attempt with the response (None when no answer came).
ResponseHook = Callable[[httpx.Response | None], None]


def rate_limit_wait(policy: RetryPolicy, least: float, taken: int, jitter: float) -> float:
    """Seconds to wait before sending again a request that was rate-limited `taken` times
    already: at least what the upstream asked (`least`) and base·2^taken, plus `jitter` (0 to 1)
    of half that growth, so workers limited together do not come back together; never more
    than the policy's longest wait unless the upstream asked for more."""
    growth: float = policy.rate_limit_backoff * 2.0**taken
    return min(max(least, growth) + jitter * growth / 2, max(least, policy.max_wait))


@dataclass
class _RateLimitWaits:
    """How often one request has waited for a rate limit (its retries included)."""

    taken: int = 0


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    #: backoff: random between 0 and base·2^n seconds, capped
    backoff_base: float = 0.5
    backoff_cap: float = 20.0
    #: longest wait for a `retry-after` or a token's reset before giving up on the run
    max_wait: float = 60.0
    #: wait after a secondary limit that names no time (GitHub says: at least a minute)
    secondary_wait: float = 60.0
    #: rate-limit waits one request may take before the run stops with `rate_limited`
    rate_limit_waits: int = 5
    #: the n-th wait of a request is at least base·2^n seconds (and at least what GitHub
    #: asked), plus up to half as much again of jitter, so workers do not come back together
    rate_limit_backoff: float = 1.0
    #: seconds actually waited per second a wait asks for (tests shorten the clock)
    time_scale: float = 1.0
    timeout: float = 30.0


class HttpPolicy:
    """Sends requests for one run of one source; safe to share between worker threads."""

    def __init__(
        self,
        *,
        tokens: TokenPool,
        budget: RequestBudget,
        outbound: OutboundPolicy,
        retry: RetryPolicy | None = None,
        on_response: ResponseHook | None = None,
        limits: CallLimits = SYNC_LIMITS,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = "Veelocity",
        check_continue: Callable[[], None] | None = None,
    ) -> None:
        self.tokens = tokens
        self.upstream = tokens.upstream
        self.budget = budget
        self.retry = retry or RetryPolicy()
        self._on_response = on_response or (lambda _response: None)
        #: raises (SyncCancelled) when the run was cancelled or lost its lock
        self._check_continue = check_continue or (lambda: None)
        #: set when one request gave the run up: every other wait ends at once
        self._halted = threading.Event()
        self._halt_reason: SyncError | None = None
        #: the points budget the last answer reported, if the upstream has one
        self._points = RateLimitSnapshot(None, None)
        # every connection checked, bodies capped, each call within a deadline
        self._client = outbound_client(
            outbound,
            replace(limits, read_seconds=min(limits.read_seconds, self.retry.timeout)),
            headers={"User-Agent": user_agent},
            max_connections=16,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpPolicy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- the one entry point ------------------------------------------------------------
    def send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        graphql: bool = False,
        too_heavy_signal: bool = False,
        accept: tuple[int, ...] = (),
        points: float | None = None,
    ) -> httpx.Response:
        """One logical request, retried as the policy says. Returns 2xx and 304 answers;
        the parsed body is `json_body(response)` (parsed once, when it was checked).

        `too_heavy_signal`: a GraphQL 502/504 raises QueryTooHeavy at once, so the caller can
        ask again with smaller pages instead of repeating a query the upstream cannot answer.
        `accept`: error statuses the caller handles itself (e.g. 409 for an empty repository).
        `points`: what the request costs of the upstream's points budget, when it has one."""
        self._raise_if_halted()
        if points is not None:
            self._wait_for_points(points)
        waits = _RateLimitWaits()
        retrying = Retrying(
            retry=retry_if_exception_type(_Transient),
            wait=wait_random_exponential(
                multiplier=self.retry.backoff_base, max=self.retry.backoff_cap
            ),
            stop=stop_after_attempt(self.retry.attempts),
            sleep=self._pause,
            reraise=False,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._attempt(
                        method,
                        url,
                        params,
                        json_body,
                        headers,
                        graphql,
                        too_heavy_signal,
                        accept,
                        waits,
                    )
        except RetryError as exc:
            last = exc.last_attempt.exception()
            reason = last.reason if isinstance(last, _Transient) else str(last)
            raise SyncError(
                "upstream_unavailable",
                f"{self.upstream.name} did not answer {method} {httpx.URL(url).path} after "
                f"{self.retry.attempts} attempts (last: {reason}); the next sync tries again.",
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
        graphql: bool,
        too_heavy_signal: bool,
        accept: tuple[int, ...],
        waits: _RateLimitWaits,
    ) -> httpx.Response:
        while True:  # loops only to switch tokens or wait out a limit, not to retry
            token = self.tokens.current()
            self.budget.take()
            request_headers = {"Authorization": self.upstream.authorization(token.value)}
            request_headers.update(headers or {})
            try:
                response = self._client.request(
                    method, url, params=params, json=json_body, headers=request_headers
                )
            except httpx.RequestError:
                # one text for refused, silent and non-HTTP ports: errors map no network
                self._on_response(None)
                raise _Transient(no_answer_message(url)) from None
            except ForbiddenURL as exc:
                self._on_response(None)
                raise SyncError(
                    "not_configured", f"{self.upstream.name} cannot be called: {exc}."
                ) from None
            except ResponseTooLarge as exc:
                self._on_response(None)
                raise SyncError("upstream_invalid", f"{exc}.") from None
            self._on_response(response)
            self._note_points(response)
            if self._limited(response, token, graphql, waits):
                continue
            if response.status_code in accept:
                return response
            return self._checked(response, token, graphql, too_heavy_signal)

    def _limited(
        self, response: httpx.Response, token: _Token, graphql: bool, waits: _RateLimitWaits
    ) -> bool:
        """Handle rate limits: True when the request should be sent again."""
        status = response.status_code
        name = self.upstream.name
        snapshot = self.upstream.rate_limit(response)
        body_limited = graphql and self.upstream.body_rate_limited(response)
        if status not in self.upstream.limit_statuses and not body_limited:
            return False
        retry_after = response.headers.get("retry-after")
        if retry_after and retry_after.strip().isdigit():
            self._wait(response, waits, float(retry_after), f"{name} asked to wait (retry-after)")
            return True
        if snapshot.remaining == 0 or snapshot.points_remaining == 0 or body_limited:
            reset = _spent_until(snapshot) or utcnow() + timedelta(minutes=1)
            self.tokens.set_aside(token, reset)
            if len(self.tokens) == 1:
                wait = (reset - utcnow()).total_seconds()
                if wait <= self.retry.max_wait:
                    self._wait(response, waits, max(wait, 0.0), f"{name}'s rate limit is spent")
                    self.tokens.set_aside(token, utcnow())
            return True
        if "secondary rate limit" in response.text.lower():
            self._wait(response, waits, self.retry.secondary_wait, f"{name}'s secondary rate limit")
            return True
        return False

    def _note_points(self, response: httpx.Response) -> None:
        snapshot = self.upstream.rate_limit(response)
        if snapshot.points_remaining is not None:
            self._points = snapshot

    def _wait_for_points(self, points: float) -> None:
        """Before a request that costs `points`: when the upstream said fewer are left, wait
        for its refill if it comes soon, or stop the run before the upstream refuses."""
        last = self._points
        if last.points_remaining is None or last.points_remaining >= points:
            return
        name = self.upstream.name
        now = utcnow()
        full_at = last.points_reset_at or now + timedelta(minutes=1)
        wait = (full_at - now).total_seconds()
        missing = (last.points_limit or 0) - last.points_remaining
        if missing > 0 and points <= (last.points_limit or 0):
            # a leaky bucket refills steadily: only the points this query lacks are waited for
            wait *= (points - last.points_remaining) / missing
        resets = now + timedelta(seconds=max(wait, 0.0))
        if wait > self.retry.max_wait:
            self._halt(
                BudgetExhausted(
                    f"{name}'s complexity allowance has {last.points_remaining:,} points left, "
                    f"fewer than the next query costs ({points:,.0f}); it refills by "
                    f"{resets:%H:%M:%S} UTC and the next sync continues where this one stopped.",
                    resets_at=resets,
                )
            )
        self._pause(max(wait, 0.0) * self.retry.time_scale)
        self._points = RateLimitSnapshot(None, None)

    def _wait(
        self, response: httpx.Response, waits: _RateLimitWaits, least: float, why: str
    ) -> None:
        """Wait out a rate limit before sending the request again: at least `least` seconds,
        more each time the same request is limited again, and never past the policy's cap."""
        policy = self.retry
        if least > policy.max_wait:
            resets = utcnow() + timedelta(seconds=least)
            self._halt(
                SyncError(
                    "rate_limited",
                    f"{why}: {int(least)} s, longer than a sync waits; the next sync continues "
                    f"after {resets:%H:%M:%S} UTC.",
                    resets_at=resets,
                )
            )
        jitter = random.random()  # noqa: S311 (spreads workers out; no secret)
        seconds = rate_limit_wait(policy, least, waits.taken, jitter)
        if waits.taken >= policy.rate_limit_waits:
            resets = utcnow() + timedelta(seconds=seconds)
            request = response.request
            self._halt(
                SyncError(
                    "rate_limited",
                    f"{why}: {self.upstream.name} answered HTTP {response.status_code} to "
                    f"{request.method} "
                    f"{request.url.path} after {waits.taken} waits in a row; the sync stops "
                    f"here and the next one continues after {resets:%H:%M:%S} UTC.",
                    resets_at=resets,
                )
            )
        waits.taken += 1
        self._pause(seconds * policy.time_scale)

    def _pause(self, seconds: float) -> None:
        """Sleep, waking every tenth of a second to stop at once when the run is cancelled,
        loses its lock, or another request gave the run up."""
        deadline = time.monotonic() + seconds
        while True:
            self._check_continue()
            self._raise_if_halted()
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._halted.wait(min(left, 0.1))

    def _halt(self, reason: SyncError) -> NoReturn:
        """Give the run up: this request raises `reason`, and so does every other one."""
        if self._halt_reason is None:
            self._halt_reason = reason
        self._halted.set()
        raise reason

    def _raise_if_halted(self) -> None:
        reason = self._halt_reason
        if isinstance(reason, BudgetExhausted):
            raise BudgetExhausted(reason.message, resets_at=reason.resets_at)
        if reason is not None:
            raise SyncError(reason.code, reason.message, resets_at=reason.resets_at)

    def _checked(
        self, response: httpx.Response, token: _Token, graphql: bool, too_heavy_signal: bool
    ) -> httpx.Response:
        status = response.status_code
        path = response.request.url.path
        if status == 304:
            return response
        if status in RETRYABLE_STATUSES:
            if graphql and too_heavy_signal and status in (502, 504):
                raise QueryTooHeavy(path)
            raise _Transient(f"HTTP {status} on {path}")
        upstream = self.upstream
        if status == 401:
            raise SyncError(
                "bad_credentials",
                f"{upstream.name} rejected {self.tokens.describe(token)} (401 Bad credentials): "
                f"it is wrong, expired or revoked. Paste a valid {upstream.credential} in "
                f"{upstream.settings_page}.",
            )
        if status == 403:
            raise _forbidden(response, self.tokens.describe(token))
        if status == 404:
            raise UpstreamNotFound(path)
        if status >= 400:
            raise SyncError(
                "upstream_invalid",
                f"{upstream.name} refused {response.request.method} {path} with HTTP {status}: "
                f"{_message_of(response)}",
            )
        if status in (202, 204):
            return response
        try:
            json_body(response)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise _Transient(f"a body that is not valid JSON on {path}") from None
        return response


_PARSED = "veelocity.parsed_json"


def json_body(response: httpx.Response) -> Any:
    """The response's JSON, parsed once: a page of 100 pull requests is large, and the
    policy, the rate-limit check and the client all read it."""
    if _PARSED not in response.extensions:
        response.extensions[_PARSED] = response.json()
    return response.extensions[_PARSED]


def _graphql_rate_limited(response: httpx.Response) -> bool:
    try:
        body = json_body(response)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    errors = body.get("errors") if isinstance(body, dict) else None
    return any(
        isinstance(e, dict) and str(e.get("type", "")).upper() in {"RATE_LIMITED", "RATE_LIMIT"}
        for e in errors or ()
    )


def _spent_until(snapshot: RateLimitSnapshot) -> datetime | None:
    """When the spent part of a rate limit (requests, or points) refills."""
    if snapshot.points_remaining == 0 and snapshot.points_reset_at is not None:
        if snapshot.remaining == 0 and snapshot.reset_at is not None:
            return max(snapshot.reset_at, snapshot.points_reset_at)
        return snapshot.points_reset_at
    return snapshot.reset_at


def _github_body_limited(response: httpx.Response) -> bool:
    """GitHub sends a GraphQL `RATE_LIMITED` error with HTTP 200."""
    return response.status_code == 200 and _graphql_rate_limited(response)


GITHUB = Upstream(
    name="GitHub",
    credential="token",
    settings_page="Settings → GitHub",
    authorization=lambda token: f"Bearer {token}",
    rate_limit=rate_limit_of,
    body_rate_limited=_github_body_limited,
    limit_statuses=frozenset({403, 429}),
)


def _message_of(response: httpx.Response) -> str:
    try:
        body = json_body(response)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return response.text[:200]


def scopes_of(response: httpx.Response, header: str = "x-oauth-scopes") -> list[str] | None:
    """The scopes a response lists (None when the header is absent: fine-grained tokens)."""
    value = response.headers.get(header)
    if value is None:
        return None
    return [s.strip() for s in value.split(",") if s.strip()]


def _forbidden(response: httpx.Response, token: str) -> SyncError:
    granted = scopes_of(response) or []
    accepted = scopes_of(response, "x-accepted-oauth-scopes") or []
    # GitHub lists the scopes that would each do; the token has none of them.
    missing = accepted if not set(accepted) & set(granted) else []
    if missing:
        return SyncError(
            "missing_scopes",
            f"GitHub refused {response.request.url.path}: {token} lacks the scope "
            f"{' or '.join(missing)} (it has: {', '.join(granted) or 'none'}). "
            "Add the scope to the token, or use a token that has it.",
        )
    return SyncError(
        "missing_scopes",
        f"GitHub refused {response.request.url.path} to {token} (403): "
        f"{_message_of(response)}. The token needs the repo and read:org scopes "
        "(or, for a fine-grained token, read access to pull requests, contents, "
        "actions and deployments).",
    )

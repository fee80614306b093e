"""The fake GitHub as an ASGI application: REST and GraphQL over one organisation.

Serves both the api.github.com layout (`/repos/...`, `/graphql`) and GitHub Enterprise's
(`/api/v3/repos/...`, `/api/graphql`). Every answer carries GitHub's rate-limit headers;
tokens, limits, ETags, faults and statistics behave as documented in docs/fake-github.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Sequence
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from graphql import GraphQLError, OperationDefinitionNode, parse, validate
from graphql.execution.values import get_variable_values
from starlette.types import Receive, Scope, Send

from veelocity.demo.generate import advance, comment_on
from veelocity.demo.model import DemoOrganisation, Member
from veelocity.fakes.faults import Fault, Faults
from veelocity.fakes.github.limits import analyse
from veelocity.fakes.github.payloads import Urls
from veelocity.fakes.github.resolvers import Context, Views
from veelocity.fakes.github.rest import NOT_FOUND, Listing, Request, RestApi, Single
from veelocity.fakes.github.schema import github_schema
from veelocity.fakes.github.stats import Stats
from veelocity.fakes.github.tokens import DEMO_TOKEN, Bucket, RateLimits, TokenSpec
from veelocity.fakes.github.truth import GroundTruth
from veelocity.fakes.graphql_executor import Executor
from veelocity.fakes.serving import Reply, answer_lifespan, read_body, send_reply

SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {request_id}."
)
UNAUTHENTICATED_LIMIT = 60


class FakeGitHub:
    """`FakeGitHub(org)` is an ASGI app; `faults`, `stats` and `tokens` are set per test."""

    def __init__(
        self,
        org: DemoOrganisation,
        tokens: Sequence[TokenSpec] | None = None,
        exhausted_status: int = 403,
        graphql_timeout_nodes: int = 20_000,
        live: bool = False,
    ) -> None:
        self.org = org
        # Live: the organisation's clock follows the real one, so new activity keeps coming.
        self.live = live
        self.live_anchor = (time.monotonic(), org.now)
        self.lock = threading.RLock()
        humans = [m for m in org.members if not m.is_bot]
        self.default_login = humans[0].login if humans else org.members[0].login
        self.tokens: dict[str, TokenSpec] = {}
        for spec in tokens or [TokenSpec(DEMO_TOKEN)]:
            self.add_token(spec)
        self.faults = Faults()
        self.stats = Stats()
        self.limits = RateLimits()
        self.rest = RestApi(org)
        # GitHub answers 403 (or 429) when a primary limit is spent.
        self.exhausted_status = exhausted_status
        # A GraphQL answer with more nodes than this "takes too long": 502.
        self.graphql_timeout_nodes = graphql_timeout_nodes
        # Secondary limits: concurrent requests (GitHub's documented 100), and optionally
        # requests a minute per token (GitHub: 900 points per REST endpoint, 2,000 GraphQL).
        self.max_concurrent = 100
        self.rest_per_minute: int | None = None
        self.graphql_per_minute: int | None = None
        self.in_flight = 0
        self.recent: dict[tuple[str, str], deque[float]] = {}

    @property
    def truth(self) -> GroundTruth:
        return GroundTruth(self.org)

    def advance(self, delta: timedelta) -> None:
        """Let time pass in the organisation while the fake may be serving it."""
        with self.lock:
            advance(self.org, delta)

    def catch_up(self) -> None:
        """In live mode, let the organisation's time reach the real time."""
        started, org_start = self.live_anchor
        target = org_start + timedelta(seconds=time.monotonic() - started)
        with self.lock:
            if target - self.org.now >= timedelta(seconds=1):
                advance(self.org, target - self.org.now)

    def add_token(self, spec: TokenSpec) -> None:
        self.tokens[spec.token] = spec

    def member(self, login: str) -> Member:
        return self.org.member(login)

    def exhaust(self, token: str, resource: str = "core") -> None:
        """Spend a token's whole hourly window (tests of budgets and resets)."""
        spec = self.tokens[token]
        limit = spec.core_limit if resource == "core" else spec.graphql_limit
        self.limits.exhaust(token, resource, limit)

    # --- ASGI -------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        method: str = scope["method"]
        path: str = scope["path"]
        query_string = scope.get("query_string", b"").decode()
        target = f"{path}?{query_string}" if query_string else path
        self.in_flight += 1
        try:
            await self.serve(scope, body, method, path, query_string, target, send)
        finally:
            self.in_flight -= 1

    async def serve(
        self,
        scope: Scope,
        body: bytes,
        method: str,
        path: str,
        query_string: str,
        target: str,
        send: Send,
    ) -> None:
        faults = self.faults.take(method, target)
        delay = self.faults.latency + sum(f.seconds for f in faults if f.kind == "latency")
        if delay:
            await asyncio.sleep(delay)
        hang = next((f for f in faults if f.kind == "hang"), None)
        if hang is not None:
            await asyncio.sleep(hang.seconds)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        origin = f"{scope.get('scheme', 'http')}://{headers.get('host', 'localhost')}"
        try:
            if self.live:
                self.catch_up()
            reply = self.answer(method, path, query_string, headers, body, origin, faults)
        except Exception as error:  # a bug in the fake must read as one, not as a hang
            reply = _json(500, {"message": f"fake GitHub error: {error!r}"}, {})
        await self.send(reply, faults, send)
        for fault in faults:
            if fault.kind == "change_page":
                self.change_page(fault, path)

    def answer(
        self,
        method: str,
        path: str,
        query_string: str,
        headers: dict[str, str],
        body: bytes,
        origin: str,
        faults: list[Fault],
    ) -> Reply:
        enterprise = path.startswith("/api/")
        if path.startswith("/api/v3"):
            path = path.removeprefix("/api/v3") or "/"
        urls = Urls(api=f"{origin}/api/v3" if enterprise else origin, web=origin)
        is_graphql = path in ("/graphql", "/api/graphql")
        kind = "graphql" if is_graphql else "rest"
        request_id = uuid.uuid4().hex[:20].upper()
        base_headers = {
            "content-type": "application/json; charset=utf-8",
            "x-github-media-type": "github.v3; format=json",
            "x-github-api-version-selected": "2022-11-28",
            "x-github-request-id": request_id,
        }
        token = _token(headers.get("authorization", ""))
        spec = self.tokens.get(token) if token else None
        if token and spec is None:
            reply = _json(
                401,
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
                base_headers,
            )
            self.stats.record(kind, path, 401)
            return reply
        if spec is not None:
            base_headers["x-oauth-scopes"] = ", ".join(spec.scopes)
            base_headers["x-accepted-oauth-scopes"] = "repo"
        secondary = self.secondary_limit(faults, kind, token or "anonymous")
        if secondary is not None:
            status, retry_after, message = secondary
            self.stats.record(kind, path, status)
            return _json(
                status,
                {
                    "message": message or SECONDARY_MESSAGE.format(request_id=request_id),
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                },
                {**base_headers, "retry-after": str(retry_after)},
            )
        status_fault = next((f for f in faults if f.kind == "status"), None)
        if status_fault is not None:
            self.stats.record(kind, path, status_fault.status)
            return _json(
                status_fault.status,
                {"message": status_fault.message or _reason(status_fault.status)},
                base_headers,
            )
        if is_graphql:
            return self.graphql(spec, token, body, urls, base_headers, faults)
        return self.rest_answer(
            spec, token, method, path, query_string, headers, urls, base_headers
        )

    def secondary_limit(
        self, faults: list[Fault], kind: str, caller: str
    ) -> tuple[int, int, str | None] | None:
        """(status, retry-after, message) when a secondary limit stops this request."""
        fault = next((f for f in faults if f.kind == "secondary_rate_limit"), None)
        if fault is not None:
            return (403 if fault.status == 500 else fault.status), int(fault.seconds), fault.message
        if self.in_flight > self.max_concurrent:
            return 403, 60, None
        budget = self.graphql_per_minute if kind == "graphql" else self.rest_per_minute
        if budget is None:
            return None
        now = time.monotonic()
        with self.lock:
            recent = self.recent.setdefault((caller, kind), deque())
            while recent and recent[0] <= now - 60:
                recent.popleft()
            if len(recent) >= budget:
                return 403, 60, None
            recent.append(now)
        return None

    # --- REST -------------------------------------------------------------------------------
    def rest_answer(
        self,
        spec: TokenSpec | None,
        token: str | None,
        method: str,
        path: str,
        query_string: str,
        headers: dict[str, str],
        urls: Urls,
        base_headers: dict[str, str],
    ) -> Reply:
        if spec is not None and token is not None:
            bucket = self.limits.bucket(token, "core", spec.core_limit)
        else:
            bucket = self.limits.bucket(
                f"ip:{headers.get('x-forwarded-for', 'local')}", "core", UNAUTHENTICATED_LIMIT
            )
        if path == "/rate_limit":
            graphql_bucket = (
                self.limits.bucket(token, "graphql", spec.graphql_limit)
                if spec is not None and token is not None
                else Bucket(limit=0)
            )
            body = _rate_limit_body(bucket, graphql_bucket)
            self.stats.record("rest", path, 200)
            return _json(200, body, {**base_headers, **_limit_headers(bucket, "core")})
        if bucket.remaining <= 0:
            self.stats.record("rest", path, self.exhausted_status)
            who = f"user ID {self._viewer(spec).id}" if spec else "127.0.0.1"
            return _json(
                self.exhausted_status,
                {
                    "message": f"API rate limit exceeded for {who}.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                },
                {**base_headers, **_limit_headers(bucket, "core")},
            )
        query = dict(parse_qsl(query_string))
        request = Request(
            method=method,
            path=path,
            query=query,
            urls=urls,
            viewer=self._viewer(spec) if spec else None,
            scopes=spec.scopes if spec else None,
            members={m.login: m for m in self.org.members},
            media=_media(headers.get("accept", "")),
        )
        if request.media:
            base_headers["x-github-media-type"] = f"github.v3; param={request.media}; format=json"
        with self.lock:
            result = self.rest.handle(request)
            reply = self.render(result, request, query)
        not_modified = False
        etag = reply.headers.get("etag")
        if (etag and reply.status == 200 and _matches(headers.get("if-none-match", ""), etag)) or (
            reply.status == 200
            and not headers.get("if-none-match")  # an ETag, when sent, decides alone
            and _unmodified_since(
                headers.get("if-modified-since", ""), reply.headers.get("last-modified", "")
            )
        ):
            not_modified = True
        if not_modified:
            reply = Reply(304, b"", {k: v for k, v in reply.headers.items() if k != "link"})
        # A 304 is free only when the request was authenticated.
        if not (not_modified and spec is not None):
            bucket.used += 1
        reply.headers.update(base_headers)
        if not_modified:
            reply.headers.pop("content-type", None)
        reply.headers.update(_limit_headers(bucket, "core"))
        self.stats.record("rest", path, reply.status)
        return reply

    def render(self, result: Single | Listing, request: Request, query: dict[str, str]) -> Reply:
        if isinstance(result, Single):
            body = json.dumps(_with_media(result.body, request.media)).encode()
            headers = {"cache-control": "private, max-age=60, s-maxage=60"}
            if result.status == 200:
                headers["etag"] = _etag(body)
                if result.modified is not None:
                    headers["last-modified"] = format_datetime(result.modified, usegmt=True)
            return Reply(result.status, body, headers)
        try:
            per_page = max(1, min(100, int(query.get("per_page", "30"))))
            page = max(1, int(query.get("page", "1")))
        except ValueError:
            return _json(400, {"message": "Invalid per_page or page parameter"}, {})
        items = result.items
        if result.max_items is not None:
            items = items[: result.max_items]
        start = (page - 1) * per_page
        chunk = [
            _with_media(result.render(item), request.media)
            for item in items[start : start + per_page]
        ]
        payload: Any = chunk
        if result.wrapper is not None:
            payload = {"total_count": len(items), result.wrapper: chunk}
        body = json.dumps(payload).encode()
        headers = {"cache-control": "private, max-age=60, s-maxage=60", "etag": _etag(body)}
        last = max(1, -(-len(items) // per_page))
        link = _link(request.urls.api + result.link_path, query, page, last)
        if link:
            headers["link"] = link
        return Reply(200, body, headers)

    def _viewer(self, spec: TokenSpec | None) -> Member:
        login = spec.login if spec and spec.login else self.default_login
        return self.org.member(login)

    # --- GraphQL ----------------------------------------------------------------------------
    def graphql(
        self,
        spec: TokenSpec | None,
        token: str | None,
        raw: bytes,
        urls: Urls,
        base_headers: dict[str, str],
        faults: list[Fault],
    ) -> Reply:
        if spec is None or token is None:
            self.stats.record("graphql", "/graphql", 401)
            return _json(
                401,
                {
                    "message": "This endpoint requires you to be authenticated.",
                    "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
                },
                base_headers,
            )
        bucket = self.limits.bucket(token, "graphql", spec.graphql_limit)
        headers = {**base_headers, **_limit_headers(bucket, "graphql")}
        viewer = self._viewer(spec)
        rate_limited = next((f for f in faults if f.kind == "graphql_rate_limited"), None)
        if bucket.remaining <= 0 or rate_limited is not None:
            self.stats.record("graphql", "/graphql", 200)
            error: dict[str, Any] = {
                "type": "RATE_LIMITED",
                "message": f"API rate limit exceeded for user ID {viewer.id}.",
            }
            if rate_limited is not None and rate_limited.message == "graphql_rate_limit":
                # The newer shape seen in the wild.
                error = {
                    "type": "RATE_LIMIT",
                    "code": "graphql_rate_limit",
                    "message": f"API rate limit already exceeded for user ID {viewer.id}.",
                }
            headers["x-ratelimit-remaining"] = "0"
            return _json(200, {"errors": [error]}, headers)
        try:
            request = json.loads(raw or b"{}")
            query = request["query"]
            variables = request.get("variables") or {}
            if not isinstance(query, str) or not isinstance(variables, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            self.stats.record("graphql", "/graphql", 400)
            return _json(
                400,
                {
                    "message": "Problems parsing JSON",
                    "documentation_url": "https://docs.github.com/graphql",
                },
                headers,
            )
        schema = github_schema()
        try:
            document = parse(query)
        except GraphQLError as error:
            self.stats.record("graphql", "/graphql", 200)
            return _json(200, {"errors": [error.formatted]}, headers)
        problems = validate(schema, document)
        if problems:
            self.stats.record("graphql", "/graphql", 200)
            return _json(200, {"errors": [p.formatted for p in problems]}, headers)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        name = request.get("operationName")
        operation = next(
            (o for o in operations if name is None or (o.name and o.name.value == name)), None
        )
        refusal = None
        if name is None and len(operations) > 1:
            refusal = "Must provide operation name if query contains multiple operations."
        elif operation is None:
            refusal = f'Unknown operation named "{name}".'
        elif operation.operation.value != "query":
            refusal = "This fake GitHub is read-only: only queries are answered."
        if refusal is not None or operation is None:
            self.stats.record("graphql", "/graphql", 200)
            return _json(200, {"errors": [{"message": refusal}]}, headers)
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            self.stats.record("graphql", "/graphql", 200)
            return _json(200, {"errors": [e.formatted for e in coerced]}, headers)
        analysis = analyse(schema, document, operation, coerced.coerced)
        if analysis.errors:
            self.stats.record("graphql", "/graphql", 200)
            return _json(200, {"errors": analysis.errors}, headers)
        cost = analysis.cost
        if cost > bucket.remaining:
            self.stats.record("graphql", "/graphql", 200)
            headers["x-ratelimit-remaining"] = str(bucket.remaining)
            return _json(
                200,
                {
                    "errors": [
                        {
                            "type": "RATE_LIMITED",
                            "message": f"API rate limit exceeded for user ID {viewer.id}.",
                        }
                    ]
                },
                headers,
            )
        bucket.used += cost
        headers.update(_limit_headers(bucket, "graphql"))
        rate = {
            "cost": cost,
            "limit": bucket.limit,
            "remaining": bucket.remaining,
            "used": bucket.used,
            "nodeCount": analysis.nodes,
            "resetAt": _iso_epoch(bucket.reset),
        }
        context = Context(
            org=self.org,
            urls=urls,
            members={m.login: m for m in self.org.members},
            viewer=viewer,
            rate_limit=rate,
        )
        views = Views(context)
        executor = Executor(schema, document, coerced)
        with self.lock:
            data = executor.run(operation, views.root())
        self.stats.record("graphql", "/graphql", 200, points=cost)
        if context.nodes_returned > self.graphql_timeout_nodes:
            return _json(
                502,
                {
                    "data": None,
                    "errors": [
                        {
                            "message": "Something went wrong while executing your query. This "
                            "may be the result of a timeout, or it could be a GitHub bug. Please "
                            f"include `{base_headers['x-github-request-id']}` when reporting "
                            "this issue."
                        }
                    ],
                },
                headers,
            )
        payload: dict[str, Any] = {"data": data}
        if executor.errors:
            payload["errors"] = executor.errors
        return _json(200, payload, headers)

    # --- faults after answering -------------------------------------------------------------
    async def send(self, reply: Reply, faults: list[Fault], send: Send) -> None:
        await send_reply(
            reply, {f.kind for f in faults}, send, b"<html><body>Whoa there!</body></html>"
        )

    def change_page(self, fault: Fault, path: str) -> None:
        with self.lock:
            if fault.mutate is not None:
                fault.mutate(self.org)
                return
            repo = None
            for candidate in self.org.repositories:
                if f"/{candidate.full_name}/" in path or f"/repositories/{candidate.id}/" in path:
                    repo = candidate
            if repo is None and self.org.repositories:
                repo = self.org.repositories[0]
            if repo is None or not repo.pull_requests:
                return
            # The least recently updated pull request is updated now: it jumps to the top of
            # updated-first lists, and every later page shifts.
            stalest = min(repo.pull_requests, key=lambda pr: (pr.updated_at, pr.number))
            comment_on(self.org, repo.name, stalest.number, "Any news on this one?")


def _media(accept: str) -> str | None:
    """The body representation asked for: application/vnd.github[.v3].full+json and kin."""
    for kind in ("full", "html", "text", "raw"):
        if f".{kind}+json" in accept:
            return kind
    return None


def _with_media(payload: Any, media: str | None) -> Any:
    # GitHub adds rendered forms of `body` next to it (body_html, body_text) on request.
    if media not in ("full", "html", "text") or not isinstance(payload, dict):
        return payload
    if "body" not in payload or not isinstance(payload["body"], str | None):
        return payload
    body = payload["body"] or ""
    rendered = dict(payload)
    if media in ("full", "html"):
        rendered["body_html"] = "".join(f"<p>{line}</p>" for line in body.split("\n\n") if line)
    if media in ("full", "text"):
        rendered["body_text"] = body
    if media != "full":
        rendered.pop("body")
    return rendered


def _token(authorization: str) -> str | None:
    parts = authorization.split(None, 1)
    if len(parts) == 2 and parts[0].lower() in ("token", "bearer"):
        return parts[1].strip()
    return None


def _json(status: int, body: Any, headers: dict[str, str]) -> Reply:
    return Reply(status, json.dumps(body).encode(), dict(headers))


def _unmodified_since(if_modified_since: str, last_modified: str) -> bool:
    if not if_modified_since or not last_modified:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as HTTP says


def _etag(body: bytes) -> str:
    return f'W/"{hashlib.sha256(body).hexdigest()}"'


def _matches(if_none_match: str, etag: str) -> bool:
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def _limit_headers(bucket: Bucket, resource: str) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(bucket.limit),
        "x-ratelimit-remaining": str(bucket.remaining),
        "x-ratelimit-reset": str(bucket.reset),
        "x-ratelimit-used": str(bucket.used),
        "x-ratelimit-resource": resource,
    }


def _rate_limit_body(core: Bucket, graphql: Bucket) -> dict[str, Any]:
    def entry(bucket: Bucket) -> dict[str, int]:
        return {
            "limit": bucket.limit,
            "used": bucket.used,
            "remaining": bucket.remaining,
            "reset": bucket.reset,
        }

    search = Bucket(limit=30, reset=core.reset)  # searched nothing: always full
    return {
        "resources": {"core": entry(core), "search": entry(search), "graphql": entry(graphql)},
        "rate": entry(core),
    }


def _iso_epoch(epoch: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason(status: int) -> str:
    return {
        500: "Server Error",
        502: "Server Error",
        503: "Service Unavailable",
        504: "We couldn't respond to your request in time. Sorry about that. "
        "Please try resubmitting your request and contact us if the problem persists.",
    }.get(status, "Server Error")


def _link(base: str, query: dict[str, str], page: int, last: int) -> str:
    if last <= 1:
        return ""

    def url(number: int) -> str:
        return f"{base}?{urlencode({**query, 'page': str(number)})}"

    parts = []
    if page > 1:
        parts.append(f'<{url(page - 1)}>; rel="prev"')
    if page < last:
        parts.append(f'<{url(page + 1)}>; rel="next"')
        parts.append(f'<{url(last)}>; rel="last"')
    if page > 1:
        parts.append(f'<{url(1)}>; rel="first"')
    return ", ".join(parts)


__all__ = ["NOT_FOUND", "FakeGitHub"]

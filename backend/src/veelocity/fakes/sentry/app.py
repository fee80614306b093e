"""The fake Sentry as an ASGI application: Sentry's REST API over one generated organisation.

Answers under any path prefix ending in `/api/0/`, so `https://sentry.io/api/0/`, a region
(`https://us.sentry.io/api/0/`) and a self-hosted install under a path
(`https://example.com/sentry/api/0/`) all map onto it. Credentials, scopes, rate limits, faults
and statistics behave as docs/fake-sentry.md describes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, unquote

from starlette.types import Receive, Scope, Send

from veelocity.demo.sentry_model import SECONDS_PER_HOUR, Event, Issue, SentryOrganisation
from veelocity.fakes.faults import Fault, Faults
from veelocity.fakes.sentry.limits import RateLimits
from veelocity.fakes.sentry.stats import Stats
from veelocity.fakes.sentry.tokens import DEMO_TOKEN, TokenSpec, credential
from veelocity.fakes.sentry.truth import SentryGroundTruth
from veelocity.fakes.sentry.views import NOT_FOUND, BadRequest, Request, Result, Views, detail
from veelocity.fakes.serving import Reply, answer_lifespan, send_reply

API_PREFIX = "/api/0"
JSON_HEADERS = {"content-type": "application/json"}
FORBIDDEN = "You do not have permission to perform this action."
THROTTLED = "Request was throttled. Expected available in {seconds} seconds."

# Any one of these scopes opens the endpoint (the OpenAPI's `security`, plus the broader
# scopes Sentry's permission classes accept for reading).
ORG_READ = frozenset({"org:read", "org:write", "org:admin"})
PROJECT_READ = frozenset(
    {"project:read", "project:write", "project:admin", "project:releases", "org:ci"}
)
EVENT_READ = frozenset({"event:read", "event:write", "event:admin"})


@dataclass(frozen=True, slots=True)
class Route:
    pattern: re.Pattern[str]
    template: str  # what statistics and rate limits key on
    scopes: frozenset[str]
    view: str


def _route(path: str, scopes: frozenset[str], view: str) -> Route:
    regex = re.sub(r"\{[a-z_]+\}", "([^/]+)", path)
    return Route(re.compile(f"^{regex}/?$"), path + "/", scopes, view)


ROUTES = (
    _route("/organizations/{org}", ORG_READ, "organisation"),
    _route("/organizations/{org}/projects", ORG_READ, "projects"),
    _route("/organizations/{org}/stats_v2", ORG_READ, "stats_v2"),
    _route("/organizations/{org}/issues", EVENT_READ, "issues"),
    _route("/organizations/{org}/issues/{issue}", EVENT_READ, "issue"),
    _route("/organizations/{org}/issues/{issue}/events", EVENT_READ, "events"),
    _route("/issues/{issue}/events", EVENT_READ, "events"),
    _route("/organizations/{org}/releases", PROJECT_READ, "releases"),
    _route("/organizations/{org}/releases/{version}", PROJECT_READ, "release"),
    _route("/organizations/{org}/releases/{version}/deploys", PROJECT_READ, "deploys"),
    _route("/organizations/{org}/releases/{version}/commits", PROJECT_READ, "commits"),
    _route("/projects/{org}/{project}/issues", EVENT_READ, "project_issues"),
    _route("/projects/{org}/{project}/environments", PROJECT_READ, "environments"),
)


class FakeSentry:
    """`FakeSentry(org)` is an ASGI app; `faults`, `stats`, `limits` and `tokens` are set per test.

    `live=True`: the organisation's clock follows the real one. `before_request` runs (under
    the fake's lock) before every answer, e.g. to let a demo's clock move on.
    """

    def __init__(
        self,
        org: SentryOrganisation,
        *,
        tokens: Sequence[TokenSpec] | None = None,
        limits: RateLimits | None = None,
        before_request: Callable[[], None] | None = None,
        live: bool = False,
    ) -> None:
        self.org = org
        self.tokens: dict[str, TokenSpec] = {}
        for spec in tokens or [TokenSpec(DEMO_TOKEN)]:
            self.add_token(spec)
        self.limits = limits or RateLimits()
        self.before_request = before_request
        self.live = live
        self.live_anchor = (time.monotonic(), org.now)
        self.faults = Faults()
        self.stats = Stats()
        self.views = Views(org)
        self.lock = threading.RLock()
        #: fields added to every object answered (a list's items, or a single object), as
        #: another Sentry version's extra fields would be
        self.extra_fields: dict[str, object] = {}

    def add_token(self, spec: TokenSpec) -> None:
        self.tokens[spec.token] = spec

    @property
    def truth(self) -> SentryGroundTruth:
        return SentryGroundTruth(self.org)

    # --- changes while serving --------------------------------------------------------------
    def advance(self, delta: timedelta) -> None:
        """Move the organisation's clock (what `statsPeriod` and `-24h` are relative to)."""
        with self.lock:
            self.org.now += delta
            self.views.changed()

    def catch_up(self) -> None:
        """In live mode, let the organisation's time reach the real time."""
        started, org_start = self.live_anchor
        target = org_start + timedelta(seconds=time.monotonic() - started)
        with self.lock:
            if target - self.org.now >= timedelta(seconds=1):
                self.advance(target - self.org.now)

    def add_events(self, issue_id: str, events: int, users: int = 0) -> Issue:
        """`events` new events of an issue now: its count, last seen and the day's stats move."""
        with self.lock:
            issue = self._issue(issue_id)
            now = self.org.now
            hour = int(now.timestamp()) // SECONDS_PER_HOUR * SECONDS_PER_HOUR
            if issue.hourly and issue.hourly[-1][0] == hour:
                issue.hourly[-1] = (hour, issue.hourly[-1][1] + events)
            else:
                issue.hourly.append((hour, events))
            issue.count += events
            issue.user_count += users
            issue.last_seen = max(issue.last_seen, now)
            if issue.events:
                # An issue that keeps its events gets each new one, with `users` new users.
                for index in range(events):
                    position = len(issue.events)
                    event_id = hashlib.md5(
                        f"{issue.id}:added:{position}".encode(), usedforsecurity=False
                    ).hexdigest()
                    issue.events.append(
                        Event(
                            id=event_id,
                            event_id=event_id,
                            date_created=now,
                            environment=issue.environment,
                            release=issue.last_release or issue.first_release,
                            user=f"user-{issue.id}-added-{position}" if index < users else None,
                        )
                    )
            day = now.date()
            project_days = self.org.stats.setdefault(issue.project_id, {})
            project_days[day] = project_days.get(day, 0) + events
            self.views.changed()
            return issue

    def resolve(self, issue_id: str, status_details: dict[str, object] | None = None) -> None:
        with self.lock:
            issue = self._issue(issue_id)
            issue.status, issue.substatus = "resolved", None
            issue.status_details = dict(status_details or {})
            issue.resolved_at = self.org.now
            self.views.changed()

    def delete_issue(self, issue_id: str) -> None:
        with self.lock:
            self.org.issues.remove(self._issue(issue_id))
            self.org.recount_stats()
            self.views.changed()

    def merge_issues(self, source_id: str, target_id: str) -> Issue:
        """Merge `source` into `target`, as Sentry's merge does: the source disappears and its
        events count on the target."""
        with self.lock:
            source, target = self._issue(source_id), self._issue(target_id)
            merged: dict[int, int] = dict(target.hourly)
            for hour, events in source.hourly:
                merged[hour] = merged.get(hour, 0) + events
            target.hourly = sorted(merged.items())
            target.count += source.count
            target.user_count += source.user_count
            target.first_seen = min(target.first_seen, source.first_seen)
            target.last_seen = max(target.last_seen, source.last_seen)
            target.events = sorted([*target.events, *source.events], key=lambda e: e.date_created)
            if not (source.events and target.events):
                target.events = []
            self.org.issues.remove(source)
            self.views.changed()
            return target

    def rename_project(self, project_id: str, slug: str, name: str | None = None) -> None:
        with self.lock:
            project = self.org.project(project_id)
            project.slug = slug
            project.name = name or slug
            self.views.changed()

    def _issue(self, issue_id: str) -> Issue:
        for issue in self.org.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    # --- ASGI -------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = raw_path.decode("latin-1").split("?", 1)[0]
        query_string = scope.get("query_string", b"").decode("latin-1")
        faults = self.faults.take(scope["method"], f"{path}?{query_string}")
        delay = self.faults.latency + sum(f.seconds for f in faults if f.kind == "latency")
        if delay:
            await asyncio.sleep(delay)
        hang = next((f for f in faults if f.kind == "hang"), None)
        if hang is not None:
            await asyncio.sleep(hang.seconds)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        admitted: tuple[str, str] | None = None
        template = "unknown"
        try:
            with self.lock:
                if self.live:
                    self.catch_up()
                if self.before_request is not None:
                    self.before_request()
            template, reply, admitted = self.answer(
                scope["method"], path, query_string, headers, faults
            )
        except Exception as error:  # a bug in the fake must read as one, not as a hang
            reply = _reply(detail(500, f"fake Sentry error: {error!r}"))
        self.stats.record(template, reply.status)
        try:
            await send_reply(reply, {f.kind for f in faults}, send)
        finally:
            if admitted is not None:
                self.limits.release(*admitted)
        for fault in faults:
            if fault.kind == "change_page":
                self.change_page(fault)

    def answer(
        self,
        method: str,
        path: str,
        query_string: str,
        headers: dict[str, str],
        faults: list[Fault],
    ) -> tuple[str, Reply, tuple[str, str] | None]:
        prefix, found, rest = path.partition(API_PREFIX + "/")
        if not found:
            return "unknown", _reply(detail(404, NOT_FOUND)), None
        route, groups = _match("/" + rest)
        if route is None:
            return "unknown", _reply(detail(404, NOT_FOUND)), None
        template = route.template
        if method not in ("GET", "HEAD"):
            return template, _reply(detail(405, f'Method "{method}" not allowed.')), None
        given = credential(headers.get("authorization", ""))
        if given is None:
            message = "Authentication credentials were not provided."
            return template, _reply(detail(401, message)), None
        spec = self.tokens.get(given.value)
        if spec is None or spec.api_key != given.api_key:
            message = "API key is not valid" if given.api_key else "Invalid token"
            return template, _reply(detail(401, message)), None
        admission = self.limits.admit(spec.token, template)
        limit_headers = admission.headers
        if not admission.allowed:
            return template, _throttled(admission.retry_after, limit_headers), None
        admitted = (spec.token, template)
        reply = self._answer_admitted(
            route, groups, spec, prefix, rest, query_string, headers, faults
        )
        reply.headers = {**limit_headers, **reply.headers}
        return template, reply, admitted

    def _answer_admitted(
        self,
        route: Route,
        groups: list[str],
        spec: TokenSpec,
        prefix: str,
        rest: str,
        query_string: str,
        headers: dict[str, str],
        faults: list[Fault],
    ) -> Reply:
        query = parse_qsl(query_string, keep_blank_values=True)
        status_fault = next((f for f in faults if f.kind == "status"), None)
        if status_fault is not None:
            return _reply(detail(status_fault.status, status_fault.message or "Internal Error"))
        limited = next((f for f in faults if f.kind == "rate_limited"), None)
        if limited is not None:
            return _throttled(int(limited.seconds), {})
        expired = next((f for f in faults if f.kind == "cursor_expired"), None)
        if expired is not None and any(k == "cursor" and v for k, v in query):
            if expired.status == 404:
                return _reply(detail(404, NOT_FOUND))
            return _reply(detail(400, "Invalid cursor parameter."))
        org_ref = groups[0] if route.view not in ("events",) or len(groups) > 1 else self.org.slug
        if org_ref not in (self.org.slug, self.org.id):
            return _reply(detail(404, NOT_FOUND))
        if not spec.scopes & route.scopes:
            return _reply(detail(403, FORBIDDEN))
        host = headers.get("host", "localhost")
        scheme = headers.get("x-forwarded-proto", "http")
        api_base = f"{scheme}://{host}{prefix}{API_PREFIX}"
        request = Request(path="/" + rest, query=query, url=f"{api_base}/{rest}", api_base=api_base)
        try:
            with self.lock:
                result = self._dispatch(route, groups, request)
        except BadRequest as error:
            result = detail(400, str(error))
        if self.extra_fields and result.status == 200:
            items = result.body if isinstance(result.body, list) else [result.body]
            for item in items:
                if isinstance(item, dict):
                    item.update(self.extra_fields)
        return _reply(result)

    def _dispatch(self, route: Route, groups: list[str], request: Request) -> Result:
        views = self.views
        view = route.view
        if view == "organisation":
            return views.organisation(request)
        if view == "projects":
            return views.projects(request)
        if view == "stats_v2":
            return views.stats_v2(request)
        if view == "issues":
            return views.issues(request)
        if view == "project_issues":
            return views.issues(request, project_ref=groups[1])
        if view == "issue":
            return views.issue(request, groups[1])
        if view == "events":
            return views.events(request, groups[-1])
        if view == "releases":
            return views.releases(request)
        if view == "release":
            return views.release(request, groups[1])
        if view == "deploys":
            return views.deploys(request, groups[1])
        if view == "commits":
            return views.commits(request, groups[1])
        if view == "environments":
            return views.environments(request, groups[1])
        return detail(404, NOT_FOUND)

    # --- faults after answering -------------------------------------------------------------
    def change_page(self, fault: Fault) -> None:
        """An issue changes between two pages: by `fault.mutate(org)`, or else the least recently
        seen issue is merged into the most recently seen one (it disappears from the list)."""
        with self.lock:
            if fault.mutate is not None:
                fault.mutate(self.org)
                self.views.changed()
                return
            if len(self.org.issues) < 2:
                return
            ordered = sorted(self.org.issues, key=lambda i: (i.last_seen, int(i.id)))
            self.merge_issues(ordered[0].id, ordered[-1].id)


def _match(path: str) -> tuple[Route | None, list[str]]:
    for route in ROUTES:
        found = route.pattern.match(path)
        if found:
            return route, [unquote(group) for group in found.groups()]
    return None, []


def _reply(result: Result) -> Reply:
    body = json.dumps(result.body).encode()
    return Reply(result.status, body, {**JSON_HEADERS, **result.headers})


def _throttled(seconds: int, headers: dict[str, str]) -> Reply:
    reply = _reply(detail(429, THROTTLED.format(seconds=seconds)))
    reply.headers.update(headers)
    reply.headers["retry-after"] = str(seconds)
    return reply

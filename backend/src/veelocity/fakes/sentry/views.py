"""The endpoints of the fake Sentry: their filters, sort orders and pages over the organisation.

Each view takes the parsed request and answers a `Result` (status, JSON, extra headers). Lists
that every page re-reads (issues, releases) are filtered and sorted once per query and kept
until the organisation changes, so a 100,000-issue sync is not quadratic.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from veelocity.demo.sentry_model import SECONDS_PER_HOUR, Event, Issue, Release, SentryOrganisation
from veelocity.fakes.sentry import payloads
from veelocity.fakes.sentry.paging import (
    Cursor,
    InvalidCursor,
    Page,
    link_header,
    page_by_offset,
    page_by_value,
    parse_cursor,
)

MAX_PER_PAGE = 100
NOT_FOUND = "The requested resource does not exist"
ISSUE_SORTS: dict[str, Callable[[Issue], int]] = {
    "date": lambda issue: _ms(issue.last_seen),
    "new": lambda issue: _ms(issue.first_seen),
    "freq": lambda issue: issue.count,
    "user": lambda issue: issue.user_count,
}
# Sentry's other orders; the fake answers them as `date`.
ISSUE_SORT_ALIASES = {"trends": "date", "inbox": "date", "recommended": "date", "priority": "date"}
_PERIOD = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_STATUS_QUERIES: dict[str, Callable[[Issue], bool]] = {
    "unresolved": lambda i: i.status == "unresolved",
    "resolved": lambda i: i.status == "resolved",
    "ignored": lambda i: i.status == "ignored",
    "archived": lambda i: i.status == "ignored",
    "regressed": lambda i: i.substatus == "regressed",
    "escalating": lambda i: i.substatus == "escalating",
    "new": lambda i: i.substatus == "new",
    "ongoing": lambda i: i.substatus == "ongoing",
    "assigned": lambda i: i.assigned_to is not None,
    "unassigned": lambda i: i.assigned_to is None,
}


class BadRequest(ValueError):
    """Answered as 400 `{"detail": message}`."""


@dataclass(slots=True)
class Request:
    path: str  # after the `/api/0` prefix
    query: list[tuple[str, str]]
    url: str  # the absolute URL of this path, for Link headers
    api_base: str  # e.g. http://127.0.0.1:5000/sentry/api/0

    def first(self, name: str) -> str | None:
        return next((value for key, value in self.query if key == name), None)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.query)


@dataclass(slots=True)
class Result:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def detail(status: int, message: str) -> Result:
    return Result(status, {"detail": message})


class Views:
    def __init__(self, org: SentryOrganisation) -> None:
        self.org = org
        self.version = 0  # bumped by every change, to drop cached lists
        self._lists: OrderedDict[tuple[Any, ...], tuple[list[Issue], list[int]]] = OrderedDict()
        self._release_facts: tuple[int, dict[str, payloads.ReleaseFacts]] | None = None
        self._by_id: dict[str, Issue] | None = None

    def changed(self) -> None:
        self.version += 1
        self._lists.clear()
        self._release_facts = None
        self._by_id = None

    # --- organisation and projects --------------------------------------------------------
    def organisation(self, request: Request) -> Result:
        return Result(200, payloads.organisation(self.org, request.api_base))

    def projects(self, request: Request) -> Result:
        projects = sorted(self.org.projects, key=lambda p: p.slug)
        text = (request.first("query") or "").strip()
        if text:
            projects = [p for p in projects if text.lower() in p.slug or text in p.name]
        latest: dict[str, Release] = {}
        for release in self.org.releases:
            for project_id in release.projects:
                latest[project_id] = release
        page = page_by_offset(projects, _cursor(request), _per_page(request, "per_page"))
        body = [payloads.project(p, latest.get(p.id)) for p in page.items]
        return _listing(request, page, body)

    def environments(self, request: Request, project_ref: str) -> Result:
        project = self._project(project_ref)
        if project is None:
            return detail(404, NOT_FOUND)
        visibility = request.first("visibility") or "visible"
        if visibility not in ("visible", "hidden", "all"):
            return detail(400, "Invalid value for 'visibility'.")
        names = project.environments if visibility != "hidden" else []
        body = [
            {"id": str(1_000 + index), "name": name, "isHidden": False}
            for index, name in enumerate(names)
        ]
        return Result(200, body)

    # --- issues ---------------------------------------------------------------------------
    def issues(self, request: Request, project_ref: str | None = None) -> Result:
        sort = request.first("sort") or "date"
        sort = ISSUE_SORT_ALIASES.get(sort, sort)
        if sort not in ISSUE_SORTS:
            return detail(400, f"Invalid sort: {sort}")
        limit = _per_page(request, "limit")
        projects = [p for p in request.all("project") if p != "-1"]
        if project_ref is not None:
            project = self._project(project_ref)
            if project is None:
                return detail(404, NOT_FOUND)
            projects = [project.id]
        elif any(self._project(p) is None for p in projects):
            return detail(403, "You do not have permission to perform this action.")
        query = request.first("query") if request.has("query") else "is:unresolved"
        environments = request.all("environment")
        window = _window(request, self.org.now)
        key = (sort, query, tuple(sorted(projects)), tuple(sorted(environments)), window)
        cached = self._lists.get(key)
        if cached is None:
            matches = _issue_filter(query or "", self.org.now)
            chosen = [
                issue
                for issue in self.org.issues
                if (not projects or issue.project_id in projects)
                and (not environments or issue.environment in environments)
                and (window is None or _in_window(issue, window))
                and matches(issue)
            ]
            sort_key = ISSUE_SORTS[sort]
            chosen.sort(key=lambda issue: (sort_key(issue), int(issue.id)), reverse=True)
            cached = (chosen, [-sort_key(issue) for issue in chosen])
            self._lists[key] = cached
            while len(self._lists) > 32:
                self._lists.popitem(last=False)
        items, keys = cached
        page = page_by_value(items, keys, _cursor(request), limit)
        group_stats = request.first("groupStatsPeriod")
        stats_period = "24h" if group_stats in (None, "auto") else group_stats
        body = [payloads.issue(self.org, i, request.api_base, stats_period) for i in page.items]
        return _listing(request, page, body)

    def issue(self, request: Request, issue_id: str) -> Result:
        item = self._issue(issue_id)
        if item is None:
            return detail(404, NOT_FOUND)
        facts = self.release_facts()
        first = self._release_payload(item.first_release, facts)
        last = self._release_payload(item.last_release, facts)
        return Result(200, payloads.issue_detail(self.org, item, request.api_base, first, last))

    def events(self, request: Request, issue_id: str) -> Result:
        item = self._issue(issue_id)
        if item is None:
            return detail(404, NOT_FOUND)
        window = _window(request, self.org.now)
        environments = request.all("environment")
        stored = item.events or payloads.synthesised_events(item)
        chosen: list[Event] = [
            e
            for e in reversed(stored)
            if (window is None or window[0] <= _ms(e.date_created) <= window[1])
            and (not environments or e.environment in environments)
        ]
        full = (request.first("full") or "").lower() in ("1", "true")
        page = page_by_offset(chosen, _cursor(request), _per_page(request, "per_page"))
        body = [payloads.event(self.org, item, e, full) for e in page.items]
        return _listing(request, page, body)

    # --- releases -------------------------------------------------------------------------
    def release_facts(self) -> dict[str, payloads.ReleaseFacts]:
        if self._release_facts is not None and self._release_facts[0] == self.version:
            return self._release_facts[1]
        new_groups: dict[str, int] = {}
        first_event: dict[str, datetime] = {}
        last_event: dict[str, datetime] = {}
        for issue in self.org.issues:
            if issue.first_release:
                version = issue.first_release
                new_groups[version] = new_groups.get(version, 0) + 1
                if version not in first_event or issue.first_seen < first_event[version]:
                    first_event[version] = issue.first_seen
            if issue.last_release:
                version = issue.last_release
                if version not in last_event or issue.last_seen > last_event[version]:
                    last_event[version] = issue.last_seen
        facts = {
            version: payloads.ReleaseFacts(
                new_groups.get(version, 0), first_event.get(version), last_event.get(version)
            )
            for version in {*new_groups, *last_event}
        }
        self._release_facts = (self.version, facts)
        return facts

    def _release_payload(
        self, version: str | None, facts: dict[str, payloads.ReleaseFacts]
    ) -> dict[str, Any] | None:
        release = self._release(version) if version else None
        if release is None:
            return None
        payload = payloads.release(
            self.org, release, facts.get(release.version, payloads.ReleaseFacts())
        )
        # The issue's schema types these two as strings, unlike the release's own endpoints:
        # left null here; the releases endpoints carry them.
        payload["lastCommit"] = None
        payload["lastDeploy"] = None
        return payload

    def releases(self, request: Request) -> Result:
        prefix = request.first("query") or ""
        projects = {p for p in request.all("project") if p != "-1"}
        environments = set(request.all("environment"))
        chosen = [
            r
            for r in self.org.releases
            if r.version.startswith(prefix)
            and (not projects or projects.intersection(r.projects))
            and (not environments or any(d.environment in environments for d in r.deploys))
        ]
        # Newest first, as Sentry's default `sort=date`.
        chosen.sort(key=lambda r: (r.date_created, r.id), reverse=True)
        page = page_by_offset(chosen, _cursor(request), _per_page(request, "per_page"))
        facts = self.release_facts()
        body = [
            payloads.release(self.org, r, facts.get(r.version, payloads.ReleaseFacts()))
            for r in page.items
        ]
        return _listing(request, page, body)

    def release(self, request: Request, version: str) -> Result:
        item = self._release(version)
        if item is None:
            return detail(404, NOT_FOUND)
        facts = self.release_facts().get(item.version, payloads.ReleaseFacts())
        return Result(200, payloads.release(self.org, item, facts, detail=True))

    def deploys(self, request: Request, version: str) -> Result:
        item = self._release(version)
        if item is None:
            return detail(404, NOT_FOUND)
        # Newest first.
        deploys = sorted(item.deploys, key=lambda d: (d.date_finished, d.id), reverse=True)
        page = page_by_offset(deploys, _cursor(request), _per_page(request, "per_page"))
        return _listing(request, page, [payloads.deploy(d) for d in page.items])

    def commits(self, request: Request, version: str) -> Result:
        item = self._release(version)
        if item is None:
            return detail(404, NOT_FOUND)
        shas = list(enumerate(item.commits))
        page = page_by_offset(shas, _cursor(request), _per_page(request, "per_page"))
        body = [payloads.commit(item, sha, position) for position, sha in page.items]
        return _listing(request, page, body)

    # --- stats ----------------------------------------------------------------------------
    def stats_v2(self, request: Request) -> Result:
        group_by = request.all("groupBy")
        field_name = request.first("field")
        if not group_by:
            return detail(400, 'At least one "groupBy" is required.')
        unknown = [g for g in group_by if g not in ("outcome", "category", "reason", "project")]
        if unknown:
            return detail(400, f'Invalid groupBy: "{unknown[0]}"')
        if field_name not in ("sum(quantity)", "sum(times_seen)"):
            return detail(400, f'Invalid field: "{field_name}"')
        interval = _seconds(request.first("interval") or "1h")
        if interval not in (3_600, 86_400) and not (3_600 < interval < 86_400):
            return detail(400, "The interval has to be between 1h and 1d.")
        if 86_400 % interval:
            return detail(400, "The interval should divide one day without a remainder.")
        window = _window(request, self.org.now)
        if window is None:
            return detail(400, "start and end or statsPeriod are required.")
        start_s = window[0] // 1000 // interval * interval
        end_s = -(-window[1] // 1000 // interval) * interval
        if end_s <= start_s:
            end_s = start_s + interval
        buckets = list(range(start_s, end_s, interval))
        projects = {p for p in request.all("project") if p != "-1"}
        category = request.first("category") or "error"
        outcome = request.first("outcome") or "accepted"
        per_project: dict[str, dict[int, int]] = {}
        if category in ("error", "default") and outcome == "accepted":
            per_project = self._counts(projects, start_s, end_s, interval)
        groups: list[dict[str, Any]] = []
        rows: list[tuple[dict[str, Any], dict[int, int]]] = []
        if "project" in group_by:
            for project_id, counts in per_project.items():
                rows.append(({"project": int(project_id)}, counts))
        else:
            merged: dict[int, int] = {}
            for counts in per_project.values():
                for moment, events in counts.items():
                    merged[moment] = merged.get(moment, 0) + events
            rows.append(({}, merged))
        for by, counts in rows:
            if not counts:
                continue
            if "outcome" in group_by:
                by["outcome"] = "accepted"
            if "category" in group_by:
                by["category"] = "error"
            if "reason" in group_by:
                by["reason"] = "none"
            series = [counts.get(moment, 0) for moment in buckets]
            groups.append(
                {"by": by, "totals": {field_name: sum(series)}, "series": {field_name: series}}
            )
        return Result(
            200,
            payloads.stats_v2(
                _at(start_s), _at(end_s), [_at(moment) for moment in buckets], groups
            ),
        )

    def _counts(
        self, projects: set[str], start: int, end: int, interval: int
    ) -> dict[str, dict[int, int]]:
        """Accepted error events per project and bucket within [start, end)."""
        counts: dict[str, dict[int, int]] = {}
        if interval == 86_400:
            for project_id, days in self.org.stats.items():
                if projects and project_id not in projects:
                    continue
                chosen = {}
                for day, events in days.items():
                    moment = _day_start(day)
                    if start <= moment < end and events:
                        chosen[moment] = events
                if chosen:
                    counts[project_id] = chosen
            return counts
        for issue in self.org.issues:
            if projects and issue.project_id not in projects:
                continue
            for hour, events in issue.hourly:
                if start <= hour < end:
                    moment = hour - hour % interval
                    bucket = counts.setdefault(issue.project_id, {})
                    bucket[moment] = bucket.get(moment, 0) + events
        return counts

    # --- lookups --------------------------------------------------------------------------
    def _project(self, ref: str) -> Any:
        return next((p for p in self.org.projects if ref in (p.id, p.slug)), None)

    def _issue(self, issue_id: str) -> Issue | None:
        if self._by_id is None:
            self._by_id = {i.id: i for i in self.org.issues}
            self._by_id.update({i.short_id: i for i in self.org.issues})
        return self._by_id.get(issue_id)

    def _release(self, version: str) -> Release | None:
        return next((r for r in self.org.releases if r.version == version), None)


# --- parameters ---------------------------------------------------------------------------
def _cursor(request: Request) -> Cursor | None:
    try:
        return parse_cursor(request.first("cursor"))
    except InvalidCursor as error:
        raise BadRequest("Invalid cursor parameter.") from error


def _per_page(request: Request, name: str) -> int:
    text = request.first(name)
    if text is None:
        return MAX_PER_PAGE
    try:
        value = int(text)
    except ValueError as error:
        raise BadRequest(f"Invalid {name} parameter.") from error
    if value < 1 or value > MAX_PER_PAGE:
        raise BadRequest(f"Invalid {name} parameter. Max is {MAX_PER_PAGE}")
    return value


def _seconds(period: str) -> int:
    match = _PERIOD.match(period.strip())
    if match is None:
        raise BadRequest(f"Invalid statsPeriod: {period!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def parse_datetime(text: str) -> datetime:
    value = text.strip()
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise BadRequest(f"Invalid date: {text}") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _window(request: Request, now: datetime) -> tuple[int, int] | None:
    """[start, end] in epoch milliseconds from `statsPeriod` (which wins) or `start`/`end`."""
    period = request.first("statsPeriod")
    if period:
        return (_ms(now) - _seconds(period) * 1000, _ms(now))
    start, end = request.first("start"), request.first("end")
    if start or end:
        if not (start and end):
            raise BadRequest("start and end are both required")
        window = (_ms(parse_datetime(start)), _ms(parse_datetime(end)))
        if window[0] > window[1]:
            raise BadRequest("start must be before end")
        return window
    return None


def _in_window(issue: Issue, window: tuple[int, int]) -> bool:
    """Seen within the window: first seen before it ends, last seen after it starts."""
    return _ms(issue.first_seen) <= window[1] and _ms(issue.last_seen) >= window[0]


_TERM = re.compile(r'(!?)([A-Za-z_.]+):("[^"]*"|\S+)|("[^"]*"|\S+)')
_COMPARISON = re.compile(r"^(>=|<=|>|<|=)?(.+)$")


#: `key:value` terms compared with an issue's attribute
_EQUALITY_TERMS = {"level": "level", "environment": "environment", "release": "first_release"}


def _issue_filter(query: str, now: datetime) -> Callable[[Issue], bool]:
    """Sentry's structured search, as far as the fake needs it: `is:`, `lastSeen:`,
    `firstSeen:`, `level:`, `environment:`, `release:`, `!` to negate, and free text against
    the title."""
    checks: list[Callable[[Issue], bool]] = []
    for match in _TERM.finditer(query):
        negate, key, value, text = match.groups()
        check: Callable[[Issue], bool]
        if text is not None:
            check = _title_contains(text.strip('"').lower())
        elif key == "is":
            if value not in _STATUS_QUERIES:
                raise BadRequest(f"Invalid value for is: {value}")
            check = _STATUS_QUERIES[value]
        elif key in ("lastSeen", "firstSeen"):
            check = _date_check(key, value, now)
        elif key in _EQUALITY_TERMS:
            check = _attribute_equals(_EQUALITY_TERMS[key], value.strip('"'))
        else:
            raise BadRequest(f"Invalid search query: unknown key {key}")
        checks.append(_negated(check) if negate else check)

    def matches(issue: Issue) -> bool:
        return all(check(issue) for check in checks)

    return matches


def _title_contains(needle: str) -> Callable[[Issue], bool]:
    def check(issue: Issue) -> bool:
        return needle in issue.title.lower()

    return check


def _attribute_equals(attribute: str, value: str) -> Callable[[Issue], bool]:
    def check(issue: Issue) -> bool:
        return bool(getattr(issue, attribute) == value)

    return check


def _negated(check: Callable[[Issue], bool]) -> Callable[[Issue], bool]:
    def negated(issue: Issue) -> bool:
        return not check(issue)

    return negated


def _date_check(key: str, value: str, now: datetime) -> Callable[[Issue], bool]:
    operator, text = _COMPARISON.match(value).groups()  # type: ignore[union-attr]
    relative = re.match(r"^([+-])(\d+)([smhdw])$", text)
    if relative:
        delta = timedelta(seconds=int(relative.group(2)) * _UNITS[relative.group(3)])
        # Sentry reads `-24h` as "within the last 24 hours" (later than now - 24h).
        moment = now - delta
        operator = operator or (">" if relative.group(1) == "-" else "<")
    else:
        moment = parse_datetime(text)
    bound = _ms(moment)
    attribute = "last_seen" if key == "lastSeen" else "first_seen"
    compare: Callable[[int], bool] = {
        ">": lambda v: v > bound,
        ">=": lambda v: v >= bound,
        "<": lambda v: v < bound,
        "<=": lambda v: v <= bound,
        "=": lambda v: v == bound,
        None: lambda v: v == bound,
    }[operator]

    def check(issue: Issue) -> bool:
        return compare(_ms(getattr(issue, attribute)))

    return check


def _listing(request: Request, page: Page[Any], body: list[Any]) -> Result:
    return Result(200, body, {"link": link_header(request.url, request.query, page)})


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def _at(epoch_seconds: int) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, UTC)


def _day_start(day: date) -> int:
    return (day.toordinal() - 719_163) * 86_400


__all__ = ["SECONDS_PER_HOUR", "BadRequest", "Request", "Result", "Views", "detail"]

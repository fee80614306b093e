"""A deliberately plain reference implementation of metrics.md, straight from raw rows.

No shared code with the engine: it reads the raw columns, re-derives everything with the
simplest algorithms (full ancestor sets, linear scans) and aggregates in Python.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

WINDOW_FIRST = timedelta(days=30)
WINDOW_ATTRIBUTION = timedelta(days=7)
PRODUCTION = re.compile("prod|production|live", re.IGNORECASE)
HOTFIX = ("hotfix",)


def is_bot(login: str | None) -> bool:
    return bool(login) and login.lower().endswith(("[bot]", "-bot", "_bot"))  # type: ignore[union-attr]


def seconds(a: datetime | None, b: datetime | None) -> int | None:
    if a is None or b is None:
        return None
    s = int((b - a).total_seconds())
    return s if s >= 0 else None


def aware(value: Any) -> Any:
    from datetime import UTC

    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-":
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


def rows(session: Session, sql: str) -> list[dict[str, Any]]:
    return [{k: aware(v) for k, v in r._mapping.items()} for r in session.execute(text(sql))]


@dataclass
class World:
    prs: dict[int, dict[str, Any]] = field(default_factory=dict)
    deployments: dict[int, dict[str, Any]] = field(default_factory=dict)
    incidents: list[dict[str, Any]] = field(default_factory=list)
    shipped: dict[int, set[str]] = field(default_factory=dict)


def build(session: Session) -> World:
    world = World()
    commits = defaultdict(list)
    for r in rows(session, "SELECT pull_request_id, authored_at FROM pull_request_commit"):
        commits[r["pull_request_id"]].append(r["authored_at"])
    events = defaultdict(list)
    for r in rows(
        session, "SELECT pull_request_id, kind, actor_login, at, state FROM pull_request_event"
    ):
        events[r["pull_request_id"]].append(r)
    for pr in rows(session, "SELECT * FROM pull_request"):
        author = (pr["author_login"] or "").lower()
        ev = events[pr["id"]]
        dated = [c for c in commits[pr["id"]] if c is not None]
        first_commit = min(dated) if dated else None
        ready = [e["at"] for e in ev if e["kind"] == "ready_for_review"]
        opened = min(ready) if ready else (None if pr["is_draft"] else pr["created_at"])
        reviews = [
            e["at"]
            for e in ev
            if e["kind"] in ("review", "review_comment", "comment")
            and not is_bot(e["actor_login"])
            and (not author or e["actor_login"].lower() != author)
        ]
        first_review = min(reviews) if reviews else None
        title = pr["title"] or ""
        branch = pr["head_branch"] or ""
        pr.update(
            first_commit=first_commit,
            opened=opened,
            first_review=first_review,
            coding=seconds(first_commit, opened),
            pickup=seconds(opened, first_review),
            review=seconds(first_review, pr["merged_at"]),
            merge=seconds(opened, pr["merged_at"]),
            cycle=seconds(first_commit, pr["merged_at"]),
            size=None
            if pr["additions"] is None and pr["deletions"] is None
            else (pr["additions"] or 0) + (pr["deletions"] or 0),
            revert=title.startswith('Revert "')
            or re.match(r"^revert-\d+(-|$)", branch) is not None,
            hotfix=any(
                p in [x.lower() for x in (pr["labels"] or [])]
                or branch.lower().startswith(p)
                or title.lower().startswith(p)
                or title.lower().startswith("[" + p)
                for p in HOTFIX
            ),
            bot=is_bot(pr["author_login"]),
        )
        world.prs[pr["id"]] = pr
    for d in rows(session, "SELECT * FROM deployment"):
        d["production"] = bool(PRODUCTION.search(d["environment"]))
        world.deployments[d["id"]] = d
    graph: dict[int, dict[str, list[str]]] = defaultdict(dict)
    authored: dict[int, dict[str, datetime]] = defaultdict(dict)
    for c in rows(session, "SELECT repository_id, sha, parents, authored_at FROM git_commit"):
        parents = c["parents"]
        if isinstance(parents, str):
            import json

            parents = json.loads(parents)
        graph[c["repository_id"]][c["sha"]] = parents
        authored[c["repository_id"]][c["sha"]] = c["authored_at"]
    listed = defaultdict(set)
    for r in rows(session, "SELECT deployment_id, sha FROM deployment_listed_commit"):
        listed[r["deployment_id"]].add(r["sha"])

    def ancestors(repo: int, sha: str | None) -> set[str]:
        if sha is None or sha not in graph[repo]:
            return set()
        seen, todo = {sha}, [sha]
        while todo:
            for parent in graph[repo].get(todo.pop(), []):
                if parent in graph[repo] and parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    by_repo = defaultdict(list)
    for d in world.deployments.values():
        if d["status"] == "success" and d["production"]:
            by_repo[d["repository_id"]].append(d)
    for repo, ds in by_repo.items():
        ds.sort(key=lambda d: (d["finished_at"], d["id"]))
        for i, d in enumerate(ds):
            prev = ds[i - 1] if i else None
            if prev is None:
                before: set[str] = set()
            elif prev["commit_sha"] in graph[repo]:
                before = ancestors(repo, prev["commit_sha"])
            else:
                before = set().union(*(world.shipped[x["id"]] for x in ds[:i]))
            if d["has_commit_list"]:
                ships = set(listed[d["id"]])
            elif d["commit_sha"] in graph[repo]:
                ships = ancestors(repo, d["commit_sha"]) - before
            else:
                ships = {
                    p["merge_commit_sha"]
                    for p in world.prs.values()
                    if p["repository_id"] == repo
                    and p["merge_commit_sha"]
                    and p["merged_at"]
                    and p["merged_at"] <= d["finished_at"]
                    and (prev is None or p["merged_at"] > prev["finished_at"])
                } | ({d["commit_sha"]} if d["commit_sha"] else set())
            if prev is None:
                since = d["finished_at"] - WINDOW_FIRST
                merged = {}
                for p in world.prs.values():
                    if (
                        p["repository_id"] == repo
                        and p["merge_commit_sha"] in ships
                        and p["merged_at"]
                    ):
                        merged[p["merge_commit_sha"]] = max(
                            p["merged_at"], merged.get(p["merge_commit_sha"], p["merged_at"])
                        )
                ships = {
                    s
                    for s in ships
                    if not [x for x in (authored[repo].get(s), merged.get(s)) if x is not None]
                    or max(x for x in (authored[repo].get(s), merged.get(s)) if x is not None)
                    >= since
                }
            world.shipped[d["id"]] = ships
    for pr in world.prs.values():
        candidates = [
            d
            for d in world.deployments.values()
            if d["id"] in world.shipped
            and pr["merged_at"]
            and pr["merge_commit_sha"] in world.shipped[d["id"]]
            and d["repository_id"] == pr["repository_id"]
        ]
        chosen = min(
            candidates, key=lambda d: (d["started_at"] or d["finished_at"], d["id"]), default=None
        )
        pr["deployment"] = chosen["id"] if chosen else None
        pr["deployed_at"] = chosen["finished_at"] if chosen else None
        pr["deploy"] = seconds(pr["merged_at"], pr["deployed_at"])
        pr["lead"] = (
            (pr["coding"] or 0) + (pr["merge"] or 0) + (pr["deploy"] or 0) if chosen else None
        )

    incidents = [
        i
        for i in rows(session, "SELECT * FROM incident")
        if i["source"] not in ("revert", "sentry")
    ]
    sentry, sentry_fixes = sentry_incidents(session, world)
    incidents += sentry
    for pr in world.prs.values():
        if pr["revert"] and pr["merged_at"]:
            incidents.append(
                {
                    "source": "revert",
                    "repository_id": pr["repository_id"],
                    "service": None,
                    "title": pr["title"],
                    "started_at": pr["created_at"],
                    "resolved_at": pr["deployed_at"] or pr["merged_at"],
                    "caused_by_deployment_id": None,
                    "revert_of": pr,
                }
            )
    for incident in incidents:
        target = incident.get("caused_by_deployment_id")
        revert = incident.get("revert_of")
        if target is None and revert is not None:
            m = re.match(r"^revert-(\d+)(-|$)", revert["head_branch"] or "")
            original = None
            if m:
                original = next(
                    (
                        p
                        for p in world.prs.values()
                        if p["repository_id"] == revert["repository_id"]
                        and p["number"] == int(m[1])
                    ),
                    None,
                )
            if (
                original is None
                and revert["title"].startswith('Revert "')
                and revert["title"].endswith('"')
            ):
                wanted = revert["title"][8:-1]
                options = [
                    p
                    for p in world.prs.values()
                    if p["repository_id"] == revert["repository_id"]
                    and p["title"] == wanted
                    and p["merged_at"]
                    and p["merged_at"] <= revert["created_at"]
                ]
                original = max(options, key=lambda p: p["merged_at"], default=None)
            target = original["deployment"] if original else None
        if target is None and incident["repository_id"] is not None:
            options = [
                d
                for d in world.deployments.values()
                if d["repository_id"] == incident["repository_id"]
                and d["status"] == "success"
                and d["production"]
                and incident["started_at"] - WINDOW_ATTRIBUTION
                <= d["finished_at"]
                <= incident["started_at"]
            ]
            best = max(options, key=lambda d: (d["finished_at"], d["id"]), default=None)
            target = best["id"] if best else None
        incident["deployment"] = target
    world.incidents = incidents

    # Rollbacks: a successful redeploy of a commit an earlier successful deployment of the
    # same repository and environment deployed, with other commits deployed in between.
    rolled_back_by: dict[int, dict[str, Any]] = {}
    redeploys: set[int] = set()
    production = sorted(
        (d for d in world.deployments.values() if d["production"]),
        key=lambda d: (d["finished_at"], d["id"]),
    )
    for k, d in enumerate(production):
        if d["status"] != "success" or not d["commit_sha"]:
            continue
        same = [
            j
            for j in range(k)
            if production[j]["repository_id"] == d["repository_id"]
            and production[j]["environment"] == d["environment"]
            and production[j]["status"] == "success"
            and production[j]["commit_sha"] == d["commit_sha"]
        ]
        if not same:
            continue
        between = [
            x
            for x in production[same[-1] + 1 : k]
            if x["repository_id"] == d["repository_id"]
            and x["environment"] == d["environment"]
            and x["commit_sha"] != d["commit_sha"]
        ]
        if between:
            rolled_back_by.setdefault(between[0]["id"], d)
            redeploys.add(d["id"])
    for d in world.deployments.values():
        if not d["production"]:
            d.update(failed=False, rework=False, recovery=None)
            continue
        attributed = [i for i in incidents if i["deployment"] == d["id"]]
        ok = d["status"] == "success"
        d["failed"] = not ok or bool(attributed) or d["id"] in rolled_back_by
        d["rework"] = ok and (
            d["id"] in redeploys
            or d["id"] in sentry_fixes
            or any(
                p["deployment"] == d["id"] and (p["revert"] or p["hotfix"])
                for p in world.prs.values()
            )
        )
    for d in world.deployments.values():
        if not d["production"]:
            continue
        recovered = None
        if d["failed"]:
            later = sorted(
                (
                    x
                    for x in world.deployments.values()
                    if x["repository_id"] == d["repository_id"]
                    and x["production"]
                    and x["status"] == "success"
                    and (x["finished_at"], x["id"]) > (d["finished_at"], d["id"])
                ),
                key=lambda x: (x["finished_at"], x["id"]),
            )
            options = []
            if d["id"] in rolled_back_by:
                options.append(rolled_back_by[d["id"]]["finished_at"])
            if d["status"] != "success" and later:
                options.append(later[0]["finished_at"])
            attributed = [i for i in incidents if i["deployment"] == d["id"]]
            if attributed:
                if all(i["resolved_at"] is not None for i in attributed):
                    options.append(max(i["resolved_at"] for i in attributed))
                fixes = [x for x in later if x["rework"]]
                if fixes:
                    options.append(fixes[0]["finished_at"])
            recovered = min(options) if options else None
        d["recovery"] = seconds(d["finished_at"], recovered)
    return world


SENTRY_MIN_EVENTS = 100
SENTRY_MIN_USERS = 10
SENTRY_LEVELS = ("error", "fatal")
DAY = timedelta(hours=24)


def _json(value: Any) -> Any:
    import json

    return json.loads(value) if isinstance(value, str) else value


def sentry_incidents(session: Session, world: World) -> tuple[list[dict[str, Any]], set[int]]:
    """Sentry issues as incidents, from the raw Sentry rows (metrics.md, "Production errors"):
    the incidents, each with the deployment of the release it was first seen in (as an
    explicit cause), and the deployments that ship a resolved incident's fix."""
    repository_of = {
        p["id"]: p["repository_id"] for p in rows(session, "SELECT * FROM sentry_project")
    }
    repository_of_external = {
        p["external_id"]: p["repository_id"] for p in rows(session, "SELECT * FROM sentry_project")
    }

    def first_production(repositories: set[int], matches: Any) -> dict[str, Any] | None:
        options = [
            d
            for d in world.deployments.values()
            if d["status"] == "success"
            and d["production"]
            and (not repositories or d["repository_id"] in repositories)
            and matches(d)
        ]
        return min(options, key=lambda d: (d["finished_at"], d["id"]), default=None)

    release_deployment: dict[str, dict[str, Any] | None] = {}
    for r in rows(session, "SELECT * FROM sentry_release"):
        repositories = {
            repository_of_external[p]
            for p in _json(r["project_external_ids"]) or []
            if repository_of_external.get(p) is not None
        }
        names = [v for v in (r["version"], r["last_commit_sha"]) if v]
        release_deployment[r["version"]] = first_production(
            repositories, lambda d, names=names: d["commit_sha"] in names
        )
    events = defaultdict(list)
    for e in rows(session, "SELECT * FROM sentry_event ORDER BY at, id"):
        events[e["issue_id"]].append(e)
    found: list[dict[str, Any]] = []
    fixes: set[int] = set()
    for issue in rows(session, "SELECT * FROM sentry_issue"):
        tags = _json(issue["tags"]) or {}
        environment = tags.get("environment")
        if environment is not None and not PRODUCTION.search(environment):
            continue
        if issue["level"] not in SENTRY_LEVELS:
            continue
        production = [
            e
            for e in events[issue["id"]]
            if e["environment"] is None or PRODUCTION.search(e["environment"])
        ]
        episodes: list[list[dict[str, Any]]] = []
        for e in production:
            if not episodes or e["at"] > episodes[-1][0]["at"] + DAY:
                episodes.append([])
            episodes[-1].append(e)
        crossing = [
            (k, ep)
            for k, ep in enumerate(episodes)
            if len(ep) >= SENTRY_MIN_EVENTS
            or len({e["user_key"] for e in ep if e["user_key"]}) >= SENTRY_MIN_USERS
        ]
        if not crossing:
            continue
        repository = repository_of[issue["project_id"]]
        details = _json(issue["status_details"]) or {}
        fixed_by = None
        if issue["status"] == "resolved":
            if "inRelease" in details:
                fixed_by = release_deployment.get(details["inRelease"])
            elif "inCommit" in details:
                sha = details["inCommit"]["id"]
                fixed_by = first_production(
                    {repository} if repository else set(),
                    lambda d, sha=sha: (
                        d["commit_sha"] == sha or sha in world.shipped.get(d["id"], set())
                    ),
                )
            if fixed_by is not None:
                fixes.add(fixed_by["id"])
        final = (
            None
            if issue["status"] != "resolved"
            else fixed_by["finished_at"]
            if fixed_by is not None
            else issue["resolved_at"] or issue["last_seen"]
        )
        for position, episode in crossing:
            start = episode[0]["at"]
            version = issue["first_release_version"] if position == 0 else None
            if version is None:
                version = next(
                    (
                        e["release_version"]
                        for e in events[issue["id"]]
                        if start <= e["at"] < start + DAY and e["release_version"]
                    ),
                    None,
                )
            caused = release_deployment.get(version) if version else None
            found.append(
                {
                    "source": "sentry",
                    "repository_id": repository,
                    "service": None,
                    "title": issue["title"],
                    "started_at": start,
                    "resolved_at": episode[-1]["at"] if position < len(episodes) - 1 else final,
                    "caused_by_deployment_id": caused["id"] if caused else None,
                }
            )
    return found, fixes


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if q == 0.5:
        return float(statistics.median(values))  # the true median: mean of the middle two
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def dora(world: World, start: datetime, end: datetime) -> dict[str, Any]:
    prod = [
        d for d in world.deployments.values() if d["production"] and start <= d["finished_at"] < end
    ]
    ok = [d for d in prod if d["status"] == "success"]
    days = (end - start).total_seconds() / 86400
    leads = [
        p["lead"]
        for p in world.prs.values()
        if p["lead"] is not None and start <= p["deployed_at"] < end
    ]
    recoveries = [d["recovery"] for d in prod if d["failed"] and d["recovery"] is not None]
    return {
        "deployment-frequency": (len(ok) / days * 7, len(ok)),
        "lead-time": (percentile(leads, 0.5), len(leads)),
        "change-failure-rate": (
            (sum(d["failed"] for d in prod) / len(prod)) if prod else None,
            len(prod),
        ),
        "recovery-time": (percentile(recoveries, 0.5), len(recoveries)),
        "rework-rate": ((sum(d["rework"] for d in ok) / len(ok)) if ok else None, len(ok)),
        "lead-time-p90": percentile(leads, 0.9),
    }


def development(world: World, start: datetime, end: datetime) -> dict[str, Any]:
    merged = [
        p
        for p in world.prs.values()
        if p["merged_at"] and start <= p["merged_at"] < end and not p["bot"]
    ]

    def med(key: str) -> tuple[float | None, int]:
        values = [p[key] for p in merged if p[key] is not None]
        return percentile(values, 0.5), len(values)

    return {
        "pr-review-time": med("review"),
        "pickup-time": med("pickup"),
        "pr-merge-time": med("merge"),
        "cycle-time": med("cycle"),
        "pr-size": med("size"),
        "throughput": (float(len(merged)), len(merged)),
    }

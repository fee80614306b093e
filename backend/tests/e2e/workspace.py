"""A small, deterministic workspace seeded through the real push-ingest API.

Three repositories, sixty days of merged pull requests with reviews, production deployments
that ship them (some failed, one with an incident) and a few open PRs, one of them stale.
Times are relative to now, so the default 30-day window always has data and the 7-day window
has less of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

PASSWORD = "a long enough passphrase"
ADMIN_EMAIL = "lead@example.com"
VIEWER_EMAIL = "viewer@example.com"
REPOSITORIES = ("acme/api", "acme/web", "acme/billing")
AUTHORS = ("alice", "bob", "carol", "dave")


@dataclass(frozen=True)
class Workspace:
    base: str
    admin_token: str
    viewer_token: str

    def api(self, path: str, **params: object) -> object:
        response = httpx.get(
            f"{self.base}/api/v1{path}",
            params=params,  # type: ignore[arg-type]
            headers={"Authorization": f"Bearer {self.admin_token}"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()


def _sha(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()  # noqa: S324 - an id


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _pull_requests(now: datetime) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    prs: list[dict[str, object]] = []
    deployments: list[dict[str, object]] = []
    number = 100
    for day in range(1, 60):
        repo = REPOSITORIES[day % len(REPOSITORIES)]
        merged = now - timedelta(days=day, hours=3)
        shas: list[str] = []
        for index in range(1 + day % 3):
            number += 1
            author = AUTHORS[(day + index) % len(AUTHORS)]
            reviewer = AUTHORS[(day + index + 1) % len(AUTHORS)]
            opened = merged - timedelta(hours=6 + (day * 7 + index * 5) % 40)
            first_commit = opened - timedelta(hours=2 + day % 9)
            review = opened + timedelta(hours=1 + (day + index) % 7)
            sha = _sha(repo, number)
            shas.append(sha)
            is_revert = day % 17 == 0 and index == 0
            prs.append(
                {
                    "source": "gitlab",
                    "external_id": f"{repo}-{number}",
                    "repository": repo,
                    "number": number,
                    "title": f"Revert change {number - 3}"
                    if is_revert
                    else f"Improve {repo.split('/')[1]} part {number}",
                    "url": f"https://git.example.com/{repo}/merge_requests/{number}",
                    "author": author,
                    "head_branch": f"revert-{number}" if is_revert else f"feature/{number}",
                    "created_at": _iso(opened),
                    "merged_at": _iso(merged),
                    "merge_commit_sha": sha,
                    "additions": 15 + (number * 37) % 600,
                    "deletions": (number * 11) % 120,
                    "commits": [
                        {"sha": _sha("c", repo, number), "authored_at": _iso(first_commit)}
                    ],
                    "events": [
                        {
                            "kind": "review_requested",
                            "actor": author,
                            "at": _iso(opened),
                            "subject": reviewer,
                        },
                        {
                            "kind": "comment",
                            "actor": reviewer,
                            "at": _iso(review - timedelta(minutes=20)),
                        },
                        {
                            "kind": "review",
                            "actor": reviewer,
                            "at": _iso(review),
                            "state": "APPROVED",
                        },
                    ],
                }
            )
        finished = merged + timedelta(hours=2)
        failed = day % 6 == 0
        deployments.append(
            {
                "source": "jenkins",
                "external_id": f"deploy-{day}",
                "repository": repo,
                "environment": "production",
                "status": "failure" if failed else "success",
                "started_at": _iso(finished - timedelta(minutes=8)),
                "finished_at": _iso(finished),
                "commit_sha": shas[-1],
                "commits": shas,
                "url": f"https://ci.example.com/deploy/{day}",
            }
        )
    for index, age_days in enumerate((1, 2, 20)):
        number += 1
        created = now - timedelta(days=age_days, hours=4)
        prs.append(
            {
                "source": "gitlab",
                "external_id": f"open-{number}",
                "repository": REPOSITORIES[index],
                "number": number,
                "title": f"Work in progress {number}",
                "url": f"https://git.example.com/{REPOSITORIES[index]}/merge_requests/{number}",
                "author": AUTHORS[index],
                "head_branch": f"feature/{number}",
                "created_at": _iso(created),
                "updated_at": _iso(created),
                "additions": 40,
                "deletions": 3,
                "events": [
                    {
                        "kind": "review_requested",
                        "actor": AUTHORS[index],
                        "at": _iso(created),
                        "subject": AUTHORS[index + 1],
                    }
                ],
            }
        )
    return prs, deployments


def seed_workspace(base: str) -> Workspace:
    """Create the admin and a viewer, then push the workspace through the ingest API."""
    setup = httpx.post(
        f"{base}/api/v1/auth/setup", json={"email": ADMIN_EMAIL, "password": PASSWORD}, timeout=30
    )
    setup.raise_for_status()
    admin = {"Authorization": f"Bearer {setup.json()['access_token']}"}
    httpx.post(
        f"{base}/api/v1/users",
        json={"email": VIEWER_EMAIL, "password": PASSWORD, "role": "viewer"},
        headers=admin,
        timeout=30,
    ).raise_for_status()
    token = httpx.post(
        f"{base}/api/v1/settings/ingest-tokens",
        json={"name": "browser tests"},
        headers=admin,
        timeout=30,
    )
    token.raise_for_status()
    ingest = {"Authorization": f"Bearer {token.json()['token']}"}
    now = datetime.now(UTC).replace(microsecond=0)
    prs, deployments = _pull_requests(now)
    for kind, items in (("pull-requests", prs), ("deployments", deployments)):
        response = httpx.post(
            f"{base}/api/v1/ingest/{kind}", json={"items": items}, headers=ingest, timeout=120
        )
        assert response.status_code == 200, response.text
    incident = {
        "source": "pagerduty",
        "external_id": "INC-12",
        "title": "Checkout errors",
        "repository": "acme/api",
        "severity": "sev2",
        "started_at": _iso(now - timedelta(days=12, hours=-2, minutes=-30)),
        "resolved_at": _iso(now - timedelta(days=12, hours=-4)),
        "deployment": {"source": "jenkins", "external_id": "deploy-12"},
    }
    response = httpx.post(
        f"{base}/api/v1/ingest/incidents", json=incident, headers=ingest, timeout=30
    )
    assert response.status_code == 200, response.text
    viewer = httpx.post(
        f"{base}/api/v1/auth/login",
        json={"email": VIEWER_EMAIL, "password": PASSWORD},
        timeout=30,
    )
    viewer.raise_for_status()
    return Workspace(
        base=base,
        admin_token=setup.json()["access_token"],
        viewer_token=viewer.json()["access_token"],
    )

"""What a database synced from the fake Sentry must hold, read straight from the organisation."""

from __future__ import annotations

from datetime import date, datetime

from veelocity.demo.sentry_model import SentryOrganisation


class SentryGroundTruth:
    """Everything a full sync must have stored; `issue_ids_seen_after` is the incremental view."""

    def __init__(self, org: SentryOrganisation) -> None:
        self.org = org

    @property
    def project_ids(self) -> frozenset[str]:
        return frozenset(p.id for p in self.org.projects)

    @property
    def project_slugs(self) -> frozenset[str]:
        return frozenset(p.slug for p in self.org.projects)

    @property
    def issue_ids(self) -> frozenset[str]:
        return frozenset(i.id for i in self.org.issues)

    def issue_ids_seen_after(self, moment: datetime) -> frozenset[str]:
        """What `query=lastSeen:>moment` answers."""
        return frozenset(i.id for i in self.org.issues if i.last_seen > moment)

    @property
    def unresolved_issue_ids(self) -> frozenset[str]:
        return frozenset(i.id for i in self.org.issues if i.status == "unresolved")

    @property
    def release_versions(self) -> frozenset[str]:
        return frozenset(r.version for r in self.org.releases)

    @property
    def deploy_ids(self) -> frozenset[str]:
        return frozenset(d.id for r in self.org.releases for d in r.deploys)

    @property
    def release_commits(self) -> dict[str, tuple[str, ...]]:
        return {r.version: tuple(r.commits) for r in self.org.releases}

    @property
    def issue_counts(self) -> dict[str, int]:
        """Events per issue (its `count`)."""
        return {i.id: i.count for i in self.org.issues}

    @property
    def events_per_project_day(self) -> dict[tuple[str, date], int]:
        """What stats_v2 (groupBy project, interval 1d, category error) adds up to."""
        return {
            (project_id, day): events
            for project_id, days in self.org.stats.items()
            for day, events in days.items()
            if events
        }

    @property
    def incident_candidate_ids(self) -> frozenset[str]:
        """Issues that keep each event: the generator's incidents and regressions."""
        return frozenset(i.id for i in self.org.issues if i.events)

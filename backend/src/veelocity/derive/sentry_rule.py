"""Whether a Sentry issue is an incident, and why (or why not): a pure rule over the issue and
the events stored for its 24-hour windows.

An issue's events come in episodes: the first starts at its first event, and each later one
(a regression: resolved, then seen again) at the first stored event past the previous
episode's 24 hours. The sync reads events only for those windows, so a stored event past an
episode's 24 hours starts a regression. An episode crosses the thresholds when its production
events within 24 h of its start reach the events or users threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from veelocity.derive.config import DeriveConfig

THRESHOLD_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Thresholds:
    min_events: int
    min_users: int
    levels: frozenset[str]

    @classmethod
    def of(cls, config: DeriveConfig) -> Thresholds:
        return cls(
            config.sentry_incident_min_events,
            config.sentry_incident_min_users,
            frozenset(level.lower() for level in config.sentry_incident_levels),
        )


@dataclass(frozen=True)
class IssueFacts:
    level: str
    environment: str | None
    first_seen: datetime
    events_read: bool
    tags: dict[str, str]
    assigned_to: str | None
    #: lifetime totals, as Sentry counts them
    event_count: int = 0
    user_count: int = 0


@dataclass(frozen=True)
class EventFact:
    at: datetime
    environment: str | None
    user_key: str | None


@dataclass(frozen=True)
class Episode:
    """A first appearance or a regression, with what its first 24 hours counted."""

    started_at: datetime
    events: int
    users: int
    regression: bool
    #: the last stored event of the episode (a resolved regression's best known end)
    last_event_at: datetime
    #: a later episode (a regression) followed it
    followed: bool = False
    #: 0 for the first appearance, n for the n-th regression
    number: int = 0

    def crosses(self, thresholds: Thresholds) -> bool:
        return self.events >= thresholds.min_events or self.users >= thresholds.min_users


@dataclass(frozen=True)
class Verdict:
    is_incident: bool
    reason: str
    #: the episodes that crossed the thresholds, oldest first (empty for a tag match)
    episodes: tuple[Episode, ...] = ()
    #: when the incident started (the first crossing episode, or the first event)
    started_at: datetime | None = None


def episodes_of(events: Sequence[EventFact]) -> list[Episode]:
    """Group events (in time order) into a first appearance and regressions."""
    found: list[Episode] = []
    start: datetime | None = None
    counted: list[EventFact] = []
    last: datetime | None = None

    def close() -> None:
        if start is not None and last is not None:
            found.append(
                Episode(
                    start,
                    len(counted),
                    len({e.user_key for e in counted if e.user_key}),
                    regression=bool(found),
                    last_event_at=last,
                )
            )

    for event in events:
        if start is None or event.at > start + THRESHOLD_WINDOW:
            close()
            start, counted = event.at, []
        counted.append(event)
        last = event.at
    close()
    return [replace(e, followed=i < len(found) - 1, number=i) for i, e in enumerate(found)]


def _tag_match(config: DeriveConfig, issue: IssueFacts) -> str | None:
    """A tag (its value, or `key:value`) or the assignee equal to an incident pattern."""
    for key, value in sorted(issue.tags.items()):
        for candidate in (value, f"{key}:{value}"):
            if config.is_incident_label([candidate]):
                return f"tag {key}:{value} matches the incident patterns"
    assignee = (issue.assigned_to or "").strip()
    if assignee and config.is_incident_label([assignee, assignee.split(":", 1)[-1]]):
        return f"assigned to {assignee}, which matches the incident patterns"
    return None


def _crossing_reason(episode: Episode, thresholds: Thresholds) -> str:
    of = "a regression" if episode.regression else "its first event"
    if episode.events >= thresholds.min_events:
        return f"{episode.events} events in 24 h of {of} (≥ {thresholds.min_events})"
    return f"{episode.users} users in 24 h of {of} (≥ {thresholds.min_users})"


def _short_reason(episodes: list[Episode], thresholds: Thresholds) -> str:
    peak = max(episodes, key=lambda e: (e.events, e.users))
    of = "a regression" if peak.regression else "its first event"
    return (
        f"at most {peak.events} events and {peak.users} users in 24 h of {of} "
        f"(below {thresholds.min_events} events and {thresholds.min_users} users)"
    )


def judge_issue(
    config: DeriveConfig,
    issue: IssueFacts,
    events: Sequence[EventFact],
    thresholds: Thresholds | None = None,
) -> Verdict:
    """The incident rule of metrics.md, "Production errors (Sentry)"."""
    thresholds = thresholds or Thresholds.of(config)
    tagged = _tag_match(config, issue)
    if tagged is not None:
        return Verdict(True, tagged, (), issue.first_seen)
    if issue.environment is not None and not config.is_production(issue.environment):
        return Verdict(False, f"not in production (environment {issue.environment})")
    if issue.level.lower() not in thresholds.levels:
        levels = ", ".join(sorted(thresholds.levels))
        return Verdict(False, f"level {issue.level} is not one that counts ({levels})")
    production = [e for e in events if e.environment is None or config.is_production(e.environment)]
    episodes = episodes_of(sorted(production, key=lambda e: e.at))
    crossing = tuple(e for e in episodes if e.crosses(thresholds))
    if crossing:
        reason = _crossing_reason(crossing[0], thresholds)
        if len(crossing) > 1:
            reason += f"; {len(crossing) - 1} regression(s) crossed again"
        return Verdict(True, reason, crossing, crossing[0].started_at)
    if not episodes and issue.events_read:
        return Verdict(False, "no production events in 24 h of its first event")
    if not episodes:
        if issue.event_count >= thresholds.min_events or issue.user_count >= thresholds.min_users:
            return Verdict(False, "its events in 24 h of its first event are not read yet")
        return Verdict(
            False,
            f"{issue.event_count} events and {issue.user_count} users in all "
            f"(below {thresholds.min_events} events and {thresholds.min_users} users)",
        )
        return Verdict(False, "no production events in 24 h of its first event")
    return Verdict(False, _short_reason(episodes, thresholds))

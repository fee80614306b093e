"""The choices derive makes, from settings (and the deployment and incident patterns admins
set)."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import timedelta

from veelocity.core.config import Settings

_BOT_SUFFIXES = ("[bot]", "-bot", "_bot")


def _matches_any(name: str | None, patterns: tuple[str, ...]) -> bool:
    """Whether a name matches a shell pattern (`*`, `?`), case-insensitively; `[bot]` in a
    login is literal text, not a character class."""
    if not name:
        return False
    lowered = name.lower()
    return any(
        fnmatch.fnmatchcase(lowered, pattern.lower().replace("[", "[[]")) for pattern in patterns
    )


@dataclass(frozen=True)
class DeriveConfig:
    deployment_patterns: tuple[str, ...] = ("deploy", "release", "publish")
    production_environment_pattern: str = "prod|production|live"
    bot_patterns: tuple[str, ...] = ()
    first_deployment_window: timedelta = timedelta(days=30)
    incident_patterns: tuple[str, ...] = ("incident",)
    incident_attribution_window: timedelta = timedelta(days=7)
    hotfix_patterns: tuple[str, ...] = ("hotfix",)
    pr_size_exclude: tuple[str, ...] = ()
    sentry_incident_min_events: int = 100
    sentry_incident_min_users: int = 10
    sentry_incident_levels: tuple[str, ...] = ("error", "fatal")
    #: a regular expression whose first group names a release's commit or tag
    sentry_release_pattern: str | None = None
    ai_author_patterns: tuple[str, ...] = (
        "copilot-swe-agent*",
        "devin-ai-integration*",
        "codex*",
        "claude*",
    )
    ai_pr_patterns: tuple[str, ...] = ("ai", "ai-*", "copilot", "cursor")
    ai_review_bots: tuple[str, ...] = (
        "greptile-apps[bot]",
        "greptile-apps",
        "coderabbitai[bot]",
        "copilot-pull-request-reviewer[bot]",
        "cursor[bot]",
        "sourcery-ai[bot]",
    )
    _production: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_production", re.compile(self.production_environment_pattern, re.IGNORECASE)
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        deployment_patterns: list[str] | None = None,
        incident_patterns: list[str] | None = None,
    ) -> DeriveConfig:
        return cls(
            deployment_patterns=tuple(deployment_patterns or settings.deployment_patterns),
            production_environment_pattern=settings.production_environment_pattern,
            bot_patterns=tuple(settings.bot_patterns),
            first_deployment_window=timedelta(days=settings.first_deployment_window_days),
            incident_patterns=tuple(incident_patterns or settings.incident_patterns),
            incident_attribution_window=timedelta(days=settings.incident_attribution_window_days),
            hotfix_patterns=tuple(settings.hotfix_patterns),
            pr_size_exclude=tuple(settings.pr_size_exclude),
            sentry_incident_min_events=settings.sentry_incident_min_events,
            sentry_incident_min_users=settings.sentry_incident_min_users,
            sentry_incident_levels=tuple(
                level.lower() for level in settings.sentry_incident_levels
            ),
            sentry_release_pattern=settings.sentry_release_pattern,
            ai_author_patterns=tuple(settings.ai_author_patterns),
            ai_pr_patterns=tuple(settings.ai_pr_patterns),
            ai_review_bots=tuple(settings.ai_review_bots),
        )

    def is_bot(self, login: str | None) -> bool:
        if not login:
            return False
        lowered = login.lower()
        return lowered.endswith(_BOT_SUFFIXES) or any(
            fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in self.bot_patterns
        )

    def is_ai_agent(self, login: str | None) -> bool:
        return _matches_any(login, self.ai_author_patterns)

    def is_ai_label(self, label: str) -> bool:
        return _matches_any(label, self.ai_pr_patterns)

    def is_ai_review_bot(self, login: str | None) -> bool:
        return _matches_any(login, self.ai_review_bots)

    def is_production(self, environment: str) -> bool:
        return bool(self._production.search(environment or ""))

    def is_deployment_workflow(self, name: str) -> bool:
        lowered = (name or "").lower()
        return any(pattern.lower() in lowered for pattern in self.deployment_patterns)

    def is_incident_label(self, labels: list[str]) -> bool:
        wanted = {p.lower() for p in self.incident_patterns}
        return any(label.lower() in wanted for label in labels)

    def is_size_excluded(self, path: str) -> bool:
        """Whether a changed file stays out of PR size: a pattern matches its whole path or
        its file name (`*.lock` matches `api/Cargo.lock`)."""
        name = path.rsplit("/", 1)[-1]
        return any(
            fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(name, pattern)
            for pattern in self.pr_size_exclude
        )

    def is_hotfix(self, *, labels: list[str], head_branch: str | None, title: str) -> bool:
        """A label equal to a pattern, or a branch or title starting with it (`hotfix/…`,
        `hotfix-…`, `hotfix: …`), or a title starting with it in brackets (`[hotfix] …`)."""
        label_set = {label.lower() for label in labels}
        branch = (head_branch or "").lower()
        lowered_title = title.lower()
        for pattern in (p.lower() for p in self.hotfix_patterns):
            if (
                pattern in label_set
                or branch.startswith(pattern)
                or lowered_title.startswith((pattern, f"[{pattern}"))
            ):
                return True
        return False

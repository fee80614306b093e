"""What the AI routes answer. Every figure obeys the privacy floor: a group of fewer than
MIN_GROUP_SIZE people gets `suppressed` (the reason) and no figures."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from veelocity.api.metrics.schemas import WindowOut
from veelocity.api.prs.schemas import AiEvidenceOut, PullRequestAiOut, PullRequestOut

__all__ = ["AiEvidenceOut", "PullRequestAiOut"]


class AdoptionFiguresOut(BaseModel):
    people: int = Field(description="The scope's people (see docs/metrics.md).")
    active_users: int = Field(description="People active in Cursor on at least one day.")
    accepted_lines: int = Field(description="Lines of AI suggestions accepted in Cursor.")
    spend_cents: int = Field(description="Cursor spend of billing cycles starting in the window.")
    merged_prs: int
    assisted_prs: int = Field(description="Merged PRs AI-assisted with high or low confidence.")
    reviewed_prs: int = Field(description="Merged PRs a review bot reviewed before the merge.")
    prs_known: int = Field(description="Merged PRs whose AI share is known.")
    ai_share: float | None = Field(
        description="AI share of the merged lines where known, weighted by added lines."
    )
    review_coverage: float | None = Field(description="reviewed_prs ÷ merged_prs.")


class AdoptionPointOut(BaseModel):
    period_start: date
    figures: AdoptionFiguresOut


class AdoptionOut(BaseModel):
    window: WindowOut
    people: int
    suppressed: str | None = Field(
        description="Why no figure is given (the privacy floor), or null."
    )
    figures: AdoptionFiguresOut | None
    series: list[AdoptionPointOut]


class ComparisonOut(BaseModel):
    measure: str = Field(
        description="pickup_seconds, review_seconds, cycle_seconds, size (medians) or "
        "failed_or_rework_share (the share of deployed PRs shipped in a failed or rework "
        "deployment)."
    )
    ai_count: int = Field(description="PRs of the AI group with a value for this measure.")
    other_count: int
    ai_value: float | None
    other_value: float | None
    difference: float | None = Field(
        description="AI group minus the other; null when a group has fewer than 20 PRs."
    )
    interval_low: float | None = Field(description="95 % bootstrap interval (seeded).")
    interval_high: float | None
    reason: str | None = Field(description="Why no difference is given, or null.")


class CohortOut(BaseModel):
    name: str = Field(
        description="ai_assisted (high or low vs none), ai_reviewed (reviewed vs not), or "
        "after_adoption (after the adoption week vs before)."
    )
    ai_prs: int
    other_prs: int
    ai_people: int
    other_people: int
    suppressed: str | None = Field(description="The privacy floor's reason, or null.")
    measures: list[ComparisonOut]


class CohortsOut(BaseModel):
    window: WindowOut
    people: int
    suppressed: str | None
    cohorts: list[CohortOut]


class TeamAdoptionOut(BaseModel):
    team_id: int
    team: str
    people: int
    suppressed: str | None
    crossed_on: date | None = Field(
        description="Monday of the first week at least half of the team was active in Cursor."
    )
    comparison: CohortOut | None = Field(
        description="The window's merged PRs after that week vs before it."
    )


class AdoptionCrossingOut(BaseModel):
    window: WindowOut
    teams: list[TeamAdoptionOut]


class WeightedFailuresOut(BaseModel):
    deployments: int = Field(description="Successful production deployments in the window.")
    failed: int
    change_failure_rate: float | None
    deployments_known: int = Field(description="Deployments whose AI share is known.")
    ai_weighted_deployments: float = Field(description="Sum of their AI shares.")
    ai_weighted_failures: float = Field(
        description="Sum of the AI shares of the failed ones: each counts the AI share of "
        "the lines it shipped."
    )
    ai_weighted_failure_rate: float | None = Field(
        description="ai_weighted_failures ÷ ai_weighted_deployments."
    )


class FailuresPointOut(BaseModel):
    period_start: date
    figures: WeightedFailuresOut


class AiFailuresOut(BaseModel):
    window: WindowOut
    people: int
    suppressed: str | None
    figures: WeightedFailuresOut | None
    series: list[FailuresPointOut]


class AiPullRequestOut(PullRequestOut):
    ai: PullRequestAiOut | None = Field(description="Null until derive has judged it.")


class AiPullRequestPage(BaseModel):
    suppressed: str | None = Field(
        description="The privacy floor's reason when the scope has too few people (then no "
        "items), or null."
    )
    items: list[AiPullRequestOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )

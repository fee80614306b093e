"""The metric catalogue: every metric Veelocity shows, with its unit and better direction."""

from __future__ import annotations

from dataclasses import dataclass

from veelocity.metrics.compute.trends import Better


@dataclass(frozen=True)
class MetricSpec:
    slug: str
    title: str
    unit: str  # seconds | ratio | per_week | count | lines
    better: Better
    description: str


SPECS: dict[str, MetricSpec] = {
    spec.slug: spec
    for spec in (
        MetricSpec(
            "deployment-frequency",
            "Deployment frequency",
            "per_week",
            Better.HIGHER,
            "Successful production deployments per week in the window.",
        ),
        MetricSpec(
            "lead-time",
            "Change lead time",
            "seconds",
            Better.LOWER,
            "First commit to production for PRs whose deployment finished in the window.",
        ),
        MetricSpec(
            "change-failure-rate",
            "Change failure rate",
            "ratio",
            Better.LOWER,
            "Failed deployments ÷ all production deployments (successful and failed runs).",
        ),
        MetricSpec(
            "recovery-time",
            "Failed deployment recovery time",
            "seconds",
            Better.LOWER,
            "Deployment finish to recovery, over failed deployments that recovered.",
        ),
        MetricSpec(
            "rework-rate",
            "Deployment rework rate",
            "ratio",
            Better.LOWER,
            "Deployments shipping a revert or hotfix ÷ successful deployments.",
        ),
        MetricSpec(
            "pr-review-time",
            "Review time",
            "seconds",
            Better.LOWER,
            "First review to merge, for PRs merged in the window.",
        ),
        MetricSpec(
            "pickup-time",
            "Pickup time",
            "seconds",
            Better.LOWER,
            "Opened to first review by someone else, for PRs merged in the window.",
        ),
        MetricSpec(
            "pr-merge-time",
            "Merge time",
            "seconds",
            Better.LOWER,
            "Opened to merged, for PRs merged in the window.",
        ),
        MetricSpec(
            "cycle-time",
            "Cycle time",
            "seconds",
            Better.LOWER,
            "First commit to merge, for PRs merged in the window.",
        ),
        MetricSpec(
            "coding-time",
            "Coding time",
            "seconds",
            Better.LOWER,
            "First commit to opened, for PRs merged in the window.",
        ),
        MetricSpec(
            "deploy-time",
            "Deploy time",
            "seconds",
            Better.LOWER,
            "Merge to production, for PRs whose deployment finished in the window.",
        ),
        MetricSpec("throughput", "Throughput", "count", Better.HIGHER, "PRs merged in the window."),
        MetricSpec(
            "pr-size",
            "PR size",
            "lines",
            Better.LOWER,
            "Lines added plus deleted, for PRs merged in the window.",
        ),
    )
}

"""The metric catalogue: every metric Veelocity shows, with its unit and better direction."""

from __future__ import annotations

from dataclasses import dataclass

from veelocity.metrics.compute.trends import Better


@dataclass(frozen=True)
class MetricSpec:
    slug: str
    title: str
    unit: str  # seconds | ratio | per_week | count | lines | points | cents
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
            "Rework deployments (a rollback redeploy, or shipping a revert, a hotfix, a fix "
            "linked to an incident or the fix of a Sentry incident) ÷ successful deployments.",
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
        MetricSpec(
            "issue-lead-time",
            "Issue lead time",
            "seconds",
            Better.LOWER,
            "Created to completed, for Linear issues completed in the window.",
        ),
        MetricSpec(
            "issue-cycle-time",
            "Issue cycle time",
            "seconds",
            Better.LOWER,
            "First started to completed, for Linear issues completed in the window.",
        ),
        MetricSpec(
            "issue-to-production",
            "Issue to production",
            "seconds",
            Better.LOWER,
            "Started (or created, when never started) to the first production deployment "
            "shipping a linked, merged PR, for issues deployed in the window.",
        ),
        MetricSpec(
            "issue-before-pr-time",
            "Before the first PR",
            "seconds",
            Better.LOWER,
            "Issue-to-production's first part: started to the first linked PR's first commit.",
        ),
        MetricSpec(
            "issue-pr-cycle-time",
            "Issue PR cycle time",
            "seconds",
            Better.LOWER,
            "Issue-to-production's second part: the linked PRs' first commit to merge.",
        ),
        MetricSpec(
            "issue-deploy-time",
            "Issue deploy time",
            "seconds",
            Better.LOWER,
            "Issue-to-production's last part: merge to the production deployment.",
        ),
        MetricSpec(
            "issues-completed",
            "Issues completed",
            "count",
            Better.HIGHER,
            "Linear issues completed in the window (cancelled issues are left out).",
        ),
        MetricSpec(
            "issue-points-completed",
            "Points completed",
            "points",
            Better.HIGHER,
            "Estimate points of the Linear issues completed in the window.",
        ),
        MetricSpec(
            "work-in-progress",
            "Work in progress",
            "count",
            Better.LOWER,
            "Issues in a started state at the end of each day, averaged over the window.",
        ),
        MetricSpec(
            "backlog-size",
            "Backlog size",
            "count",
            Better.LOWER,
            "Issues in a triage, backlog or unstarted state at the end of the window.",
        ),
        MetricSpec(
            "backlog-age",
            "Backlog age",
            "seconds",
            Better.LOWER,
            "Age (since creation) of the issues in the backlog at the end of the window.",
        ),
        MetricSpec(
            "sentry-error-events",
            "Error events",
            "count",
            Better.LOWER,
            "Error events Sentry accepted in the window, from its daily counts per project.",
        ),
        MetricSpec(
            "sentry-new-issues",
            "New Sentry issues",
            "count",
            Better.LOWER,
            "Sentry issues first seen in the window.",
        ),
        MetricSpec(
            "ai-active-users",
            "AI active users",
            "count",
            Better.HIGHER,
            "The scope's people active in Cursor on at least one day of the window.",
        ),
        MetricSpec(
            "ai-accepted-lines",
            "AI accepted lines",
            "lines",
            Better.HIGHER,
            "Lines of AI suggestions the scope's people accepted in Cursor in the window.",
        ),
        MetricSpec(
            "ai-share",
            "AI share of merged lines",
            "ratio",
            Better.HIGHER,
            "AI-added lines ÷ added lines of the merged PRs whose AI share is known, weighted "
            "by their added lines.",
        ),
        MetricSpec(
            "ai-spend",
            "AI spend",
            "cents",
            Better.LOWER,
            "Cursor spend of the scope's people in the billing cycles that start in the window.",
        ),
        MetricSpec(
            "review-bot-coverage",
            "Review-bot coverage",
            "ratio",
            Better.HIGHER,
            "AI-reviewed merged PRs ÷ merged PRs: a bot reviewed them before the merge.",
        ),
        MetricSpec(
            "ai-weighted-failure-rate",
            "AI-weighted failure rate",
            "ratio",
            Better.LOWER,
            "Each failed production deployment counts the AI share of the lines it shipped, "
            "over the same sum for every deployment whose AI share is known.",
        ),
    )
}

"""Figures and rows to the AI routes' schemas."""

from __future__ import annotations

from veelocity.api.ai import schemas
from veelocity.api.metrics.schemas import WindowOut
from veelocity.metrics.ai.figures import Adoption, Cohort, WeightedFailures
from veelocity.metrics.ai.report import AdoptionReport, FailuresReport


def _adoption_figures(figures: Adoption) -> schemas.AdoptionFiguresOut:
    return schemas.AdoptionFiguresOut(**vars(figures))


def adoption_out(window: WindowOut, report: AdoptionReport) -> schemas.AdoptionOut:
    return schemas.AdoptionOut(
        window=window,
        people=report.people,
        suppressed=report.suppressed,
        figures=_adoption_figures(report.figures) if report.figures else None,
        series=[
            schemas.AdoptionPointOut(
                period_start=point.period_start, figures=_adoption_figures(point.figures)
            )
            for point in report.series
            if point.figures is not None
        ],
    )


def cohort_out(cohort: Cohort) -> schemas.CohortOut:
    return schemas.CohortOut(
        name=cohort.name,
        ai_prs=cohort.ai_prs,
        other_prs=cohort.other_prs,
        ai_people=cohort.ai_people,
        other_people=cohort.other_people,
        suppressed=cohort.suppressed,
        measures=[
            schemas.ComparisonOut(measure=m.measure, **vars(m.comparison)) for m in cohort.measures
        ],
    )


def _failures(figures: WeightedFailures) -> schemas.WeightedFailuresOut:
    return schemas.WeightedFailuresOut(**vars(figures))


def failures_out(window: WindowOut, report: FailuresReport) -> schemas.AiFailuresOut:
    return schemas.AiFailuresOut(
        window=window,
        people=report.people,
        suppressed=report.suppressed,
        figures=_failures(report.figures) if report.figures else None,
        series=[
            schemas.FailuresPointOut(period_start=p.period_start, figures=_failures(p.figures))
            for p in report.series
        ],
    )

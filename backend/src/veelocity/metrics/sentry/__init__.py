"""Sentry views: projects with their repository, issues with why each is (or is not) an
incident, each deployment's error impact, error series per project, and a preview of other
incident thresholds.

Definitions: docs/metrics.md, "Production errors (Sentry)"; derive writes the verdicts read here.
"""

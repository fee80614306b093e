"""Issue metrics (Linear): flow, throughput, work in progress, backlog and cycles.

Definitions: docs/metrics.md, "Issues (Linear)". Flow figures read the columns derive writes
on `linear_issue`; WIP, backlog and cycle figures replay each issue's stored history.
"""

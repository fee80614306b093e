"""The scope every issue metric and the issue list take: the metric window and filters, and the
Linear team, project and cycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from veelocity.api.ids import RowId
from veelocity.api.metrics.params import Query_
from veelocity.metrics.issues.scope import IssueQuery


def issue_query(
    query: Query_,
    linear_team_id: Annotated[RowId | None, Query(description="Only this Linear team.")] = None,
    project_id: Annotated[RowId | None, Query(description="Only this Linear project.")] = None,
    cycle_id: Annotated[RowId | None, Query(description="Only issues in this cycle now.")] = None,
) -> IssueQuery:
    return IssueQuery(
        metric=query, linear_team_id=linear_team_id, project_id=project_id, cycle_id=cycle_id
    )


IssueQuery_ = Annotated[IssueQuery, Depends(issue_query)]

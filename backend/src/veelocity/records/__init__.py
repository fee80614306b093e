"""Frozen records every source emits: the shared currency between sources and the store.

A connector (GitHub sync, the push-ingest API, a file import) maps what it reads into these
records; `veelocity.store` writes them. Records know no ORM, no HTTP and no validation
library: they are plain, immutable values with aware UTC datetimes.
"""

from veelocity.records.code import (
    CommitRecord,
    IssueRecord,
    PullRequestCommitRecord,
    PullRequestEventRecord,
    PullRequestFileRecord,
    PullRequestRecord,
    RepositoryRecord,
)
from veelocity.records.delivery import DeploymentRecord, DeploymentReference, IncidentRecord

__all__ = [
    "CommitRecord",
    "DeploymentRecord",
    "DeploymentReference",
    "IncidentRecord",
    "IssueRecord",
    "PullRequestCommitRecord",
    "PullRequestEventRecord",
    "PullRequestFileRecord",
    "PullRequestRecord",
    "RepositoryRecord",
]

"""Writes records into the database: idempotent upserts on natural keys.

Every writer takes records from any source, inserts what is new, updates what changed,
leaves the rest alone, and reports what it touched as a `ChangeSet` for derive. Writers
never commit: the caller's unit of work does.
"""

from veelocity.store.code import write_commits, write_repositories
from veelocity.store.deployments import write_deployments
from veelocity.store.identities import ensure_developers, ensure_repositories, find_repositories
from veelocity.store.incidents import UnknownDeployment, write_incidents
from veelocity.store.issues import write_issues
from veelocity.store.pull_request_files import write_pull_request_files
from veelocity.store.pull_requests import write_pull_requests
from veelocity.store.report import WriteReport

__all__ = [
    "UnknownDeployment",
    "WriteReport",
    "ensure_developers",
    "ensure_repositories",
    "find_repositories",
    "write_commits",
    "write_deployments",
    "write_incidents",
    "write_issues",
    "write_pull_request_files",
    "write_pull_requests",
    "write_repositories",
]

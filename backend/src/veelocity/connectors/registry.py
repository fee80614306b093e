"""Every connector's jobs, by source name: the one place a source is registered.

The orchestration reads SOURCES to fill the schedule's job bodies and to answer Settings'
"test connection"; adding a source is one line here.
"""

from __future__ import annotations

from veelocity.connectors.base import SourceJobs
from veelocity.connectors.cursor.connection import check_connection as check_cursor
from veelocity.connectors.cursor.sync import CursorSync
from veelocity.connectors.github.connection import check_connection as check_github
from veelocity.connectors.github.sync import GitHubSync
from veelocity.connectors.greptile.connection import check_connection as check_greptile
from veelocity.connectors.greptile.sync import GreptileSync
from veelocity.connectors.linear.connection import check_connection as check_linear
from veelocity.connectors.linear.sync import LinearSync
from veelocity.connectors.sentry.connection import check_connection as check_sentry
from veelocity.connectors.sentry.sync import SentrySync

_github = GitHubSync()

SOURCES: dict[str, SourceJobs] = {
    "github": SourceJobs(
        sync=_github, fill_details=_github.fill_details, check_connection=check_github
    ),
    "linear": SourceJobs(sync=LinearSync(), fill_details=None, check_connection=check_linear),
    "sentry": SourceJobs(sync=SentrySync(), fill_details=None, check_connection=check_sentry),
    "cursor": SourceJobs(sync=CursorSync(), fill_details=None, check_connection=check_cursor),
    "greptile": SourceJobs(sync=GreptileSync(), fill_details=None, check_connection=check_greptile),
}

#: Scheduled job name → (source, which of its jobs). "fill_pr_details" completes GitHub PRs.
JOBS: dict[str, tuple[str, str]] = {
    "github": ("github", "sync"),
    "fill_pr_details": ("github", "fill_details"),
    "linear": ("linear", "sync"),
    "sentry": ("sentry", "sync"),
    "cursor": ("cursor", "sync"),
    "greptile": ("greptile", "sync"),
}

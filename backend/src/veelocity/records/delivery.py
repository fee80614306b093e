"""Records of delivery: deployments (with the commits they list) and incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DeploymentReference:
    """Names a deployment by its natural key, e.g. the one an incident says caused it."""

    source: str
    external_id: str


@dataclass(frozen=True)
class DeploymentRecord:
    """A deployment, keyed by (source, external_id).

    `commits` of None means the source does not list the shipped commits: a stored list is
    kept, and without one the commit graph decides. A tuple (even empty) replaces the list.
    """

    source: str
    external_id: str
    repository: str
    environment: str
    status: str  # success | failure
    finished_at: datetime
    started_at: datetime | None = None
    commit_sha: str | None = None
    url: str | None = None
    name: str | None = None
    commits: tuple[str, ...] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)


@dataclass(frozen=True)
class IncidentRecord:
    """An incident, keyed by (source, external_id); it names a repository or a service."""

    source: str
    external_id: str
    started_at: datetime
    title: str = ""
    repository: str | None = None
    service: str | None = None
    severity: str | None = None
    resolved_at: datetime | None = None
    url: str | None = None
    #: The deployment the sender says caused it (an explicit attribution).
    deployment: DeploymentReference | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)

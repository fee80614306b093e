"""What can be synced: each job of the schedule with the source it belongs to and its sync.

The composition roots build a SyncCatalogue from the connectors' registry; tests build one
from their own sources. A job's name is also the name of its lock and of its schedule entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from veelocity.sync.context import ConnectionTest, SourceSync


@dataclass(frozen=True)
class SyncJob:
    #: the schedule entry and lock name (github, fill_pr_details, ...)
    name: str
    #: the source whose settings it uses (github, linear, ...)
    source: str
    sync: SourceSync
    #: False for jobs that only follow the schedule (filling PR details), True for the job a
    #: "sync now" of the source starts
    on_demand: bool = True


@dataclass(frozen=True)
class SyncCatalogue:
    jobs: Mapping[str, SyncJob] = field(default_factory=dict)
    connection_tests: Mapping[str, ConnectionTest] = field(default_factory=dict)

    @classmethod
    def of(
        cls, jobs: Iterable[SyncJob], connection_tests: Mapping[str, ConnectionTest] | None = None
    ) -> SyncCatalogue:
        return cls({job.name: job for job in jobs}, dict(connection_tests or {}))

    @property
    def sources(self) -> list[str]:
        """Sources that can sync, in the order their jobs were registered."""
        return list(dict.fromkeys(job.source for job in self.jobs.values()))

    def jobs_of(self, source: str) -> list[SyncJob]:
        return [job for job in self.jobs.values() if job.source == source]

    def on_demand_job(self, source: str) -> SyncJob | None:
        """The job a manual sync of SOURCE runs."""
        return next((job for job in self.jobs_of(source) if job.on_demand), None)

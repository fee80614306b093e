"""What a writer did: counts for people, a ChangeSet for derive."""

from __future__ import annotations

from dataclasses import dataclass, field

from veelocity.derive.changes import ChangeSet


@dataclass
class WriteReport:
    #: Records given (duplicates of one natural key count once each).
    received: int = 0
    created: int = 0
    #: Rows that existed and whose stored values changed.
    updated: int = 0
    #: Rows that existed and were sent again unchanged.
    unchanged: int = 0
    changes: ChangeSet = field(default_factory=ChangeSet)

    def merge(self, other: WriteReport) -> WriteReport:
        self.received += other.received
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.changes.merge(other.changes)
        return self

"""What AI pages change waits to be derived with the rest: AI commits, Cursor members and
Greptile reviews survive the pending-derive checkpoint (a run killed before deriving loses
none of them)."""

from __future__ import annotations

from veelocity.connectors.storage import _changes_of, _cursor_of
from veelocity.derive.changes import ChangeSet


def test_ai_changes_round_trip_through_the_pending_checkpoint() -> None:
    changes = ChangeSet(
        ai_commit_shas={"abc123", "def456"}, cursor_member_ids={3, 1}, greptile_review_ids={7}
    )

    again = _changes_of(_cursor_of(changes))

    assert again == changes
    assert not again.is_empty()
    assert ChangeSet().merge(again).ai_commit_shas == {"abc123", "def456"}

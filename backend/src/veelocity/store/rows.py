"""Upserting rows keyed by (source, external_id), portable across SQLite and PostgreSQL.

New rows go in with `INSERT … ON CONFLICT DO NOTHING … RETURNING`, so two writers racing on
the same key never fail; a row another writer inserted meanwhile is then updated like any
existing row. Existing rows are updated only in the columns whose values differ, so a
re-sent record that changed nothing writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from veelocity.core.db import insert_ignoring_conflicts

Key = tuple[str, str]
T = TypeVar("T")

#: Bound parameters per statement stay far below SQLite's and PostgreSQL's limits.
CHUNK = 500


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class KeyedUpsert:
    ids: dict[Key, int] = field(default_factory=dict)
    created: set[Key] = field(default_factory=set)
    updated: set[Key] = field(default_factory=set)
    unchanged: set[Key] = field(default_factory=set)


def load_keyed(
    session: Session, table: Table, keys: Iterable[Key], columns: Sequence[str]
) -> dict[Key, dict[str, Any]]:
    """The stored rows (id and the given columns) of these (source, external_id) keys."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, external_id in keys:
        by_source[source].append(external_id)
    selected = [table.c.id, table.c.source, table.c.external_id, *(table.c[c] for c in columns)]
    found: dict[Key, dict[str, Any]] = {}
    for source, external_ids in by_source.items():
        for batch in chunks(external_ids):
            query = select(*selected).where(
                table.c.source == source, table.c.external_id.in_(batch)
            )
            for row in session.execute(query).mappings():
                found[(row["source"], row["external_id"])] = dict(row)
    return found


def upsert_keyed(session: Session, table: Table, rows: dict[Key, dict[str, Any]]) -> KeyedUpsert:
    """Insert or update rows by (source, external_id). Each row holds every raw column the
    writer owns, including source and external_id; other columns are never touched."""
    result = KeyedUpsert()
    if not rows:
        return result
    columns = sorted({name for row in rows.values() for name in row} - {"source", "external_id"})
    stored = load_keyed(session, table, rows, columns)
    new = [key for key in rows if key not in stored]
    statement = insert_ignoring_conflicts(
        session.get_bind().dialect, table, ("source", "external_id")
    ).returning(table.c.id, table.c.source, table.c.external_id)
    # One executemany per shape of row (rows may leave out a column to keep its default).
    shapes: dict[frozenset[str], list[Key]] = defaultdict(list)
    for key in new:
        shapes[frozenset(rows[key])].append(key)
    for keys in shapes.values():
        for batch in chunks(keys):
            for inserted in session.execute(statement, [rows[key] for key in batch]):
                key = (inserted.source, inserted.external_id)
                result.ids[key] = inserted.id
                result.created.add(key)
    raced = [key for key in new if key not in result.created]
    if raced:
        # Inserted by a concurrent writer between our read and our insert.
        stored.update(load_keyed(session, table, raced, columns))
    for key, row in rows.items():
        if key in result.created:
            continue
        current = stored[key]
        result.ids[key] = current["id"]
        changed = {name: value for name, value in row.items() if current.get(name) != value}
        changed.pop("source", None)
        changed.pop("external_id", None)
        if changed:
            session.execute(update(table).where(table.c.id == current["id"]).values(**changed))
            result.updated.add(key)
        else:
            result.unchanged.add(key)
    return result

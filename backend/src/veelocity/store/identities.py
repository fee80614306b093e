"""Repositories by full name and developers by login: found, or created when unknown.

Names match case-insensitively (GitHub and GitLab treat `Acme/API` and `acme/api` as one
repository), so a name typed in another case never creates a second row. A new row keeps
the spelling it was first given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from veelocity.core.db import insert_ignoring_conflicts
from veelocity.core.time import utcnow
from veelocity.models import Developer, Repository
from veelocity.store.rows import chunks


def _find(
    session: Session, id_column: InstrumentedAttribute[int], name_column: Any, names: set[str]
) -> dict[str, int]:
    """Map each given name to a stored row: exact spelling first, then ignoring case."""
    found: dict[str, int] = {}
    for batch in chunks(sorted(names)):
        query = select(id_column, name_column).where(name_column.in_(batch)).order_by(id_column)
        for row_id, name in session.execute(query):
            found.setdefault(name, row_id)
    rest = [name for name in names if name not in found]
    by_lowered: dict[str, int] = {}
    for batch in chunks(sorted({name.lower() for name in rest})):
        query = (
            select(id_column, func.lower(name_column))
            .where(func.lower(name_column).in_(batch))
            .order_by(id_column)
        )
        for row_id, lowered in session.execute(query):
            by_lowered.setdefault(lowered, row_id)
    for name in rest:
        if name.lower() in by_lowered:
            found[name] = by_lowered[name.lower()]
    return found


def find_repositories(session: Session, full_names: Iterable[str]) -> dict[str, int]:
    """Repository ids by the given full names; unknown names are left out."""
    return _find(session, Repository.id, Repository.full_name, set(full_names))


def ensure_repositories(session: Session, full_names: Iterable[str]) -> dict[str, int]:
    """Repository ids by full name, creating the repositories that are not known yet."""
    ordered = list(dict.fromkeys(full_names))
    names = set(ordered)
    found = find_repositories(session, names)
    _create_missing(
        session,
        Repository.__table__,
        "full_name",
        _first_spelling(name for name in ordered if name not in found),
        {"created_at": utcnow()},
    )
    return find_repositories(session, names)


def ensure_developers(session: Session, logins: Iterable[str]) -> dict[str, int]:
    """Developer ids by login, creating the developers that are not known yet."""
    ordered = list(dict.fromkeys(login for login in logins if login))
    names = set(ordered)
    found = _find(session, Developer.id, Developer.login, names)
    _create_missing(
        session,
        Developer.__table__,
        "login",
        _first_spelling(name for name in ordered if name not in found),
        {"is_bot": False},
    )
    return _find(session, Developer.id, Developer.login, names)


def _first_spelling(names: Iterable[str]) -> dict[str, str]:
    """One spelling per name ignoring case: the first one given, so the result is stable."""
    spellings: dict[str, str] = {}
    for name in names:
        spellings.setdefault(name.lower(), name)
    return spellings


def _create_missing(
    session: Session, table: Any, column: str, missing: dict[str, str], extra: dict[str, Any]
) -> None:
    if not missing:
        return
    statement = insert_ignoring_conflicts(session.get_bind().dialect, table, (column,))
    for batch in chunks(sorted(missing.values())):
        session.execute(statement, [{column: name, **extra} for name in batch])


#: Addresses that stand for an account rather than a person's mailbox: no Linear user has
#: them, so they would only hide a real address found later.
_PLACEHOLDER_EMAIL_DOMAINS = ("users.noreply.github.com",)


def record_developer_emails(session: Session, pairs: Iterable[tuple[str, str]]) -> int:
    """Give developers (by login) an e-mail address when they have none yet; the first
    real address seen is kept. Returns how many developers got one."""
    wanted: dict[str, str] = {}
    for login, email in sorted(pairs):
        address = email.strip()
        if "@" in address and not address.lower().endswith(_PLACEHOLDER_EMAIL_DOMAINS):
            wanted.setdefault(login.lower(), address)
    if not wanted:
        return 0
    ids = _find(session, Developer.id, Developer.login, set(wanted))
    without = set(
        session.scalars(
            select(Developer.id).where(
                Developer.id.in_(list(ids.values())), Developer.email.is_(None)
            )
        )
    )
    given = {developer_id: wanted[login] for login, developer_id in ids.items()}
    for developer_id in sorted(without):
        session.execute(
            update(Developer).where(Developer.id == developer_id).values(email=given[developer_id])
        )
    return len(without)

"""Which commits a deployment ships: a commit-graph difference (pure functions).

ancestors(deployed commit) − ancestors(previous deployment's commit), walked once: the walk
from the new commit stops at anything the previous deployment already had. Git commits are
immutable, so these sets never change once both ends are known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass
class Walk:
    new_commits: set[str]
    #: True when the previous deployment's commit is an ancestor of this one, so that
    #: ancestors(this) = ancestors(previous) ∪ new_commits.
    descends_from_previous: bool


def walk_new_commits(
    parents: Mapping[str, Iterable[str]],
    head: str,
    already_shipped: set[str],
    previous_head: str | None,
) -> Walk:
    """Commits reachable from `head` that are not in `already_shipped` (= ancestors of the
    previous deployment). Unknown commits (outside the synced graph) end the walk."""
    if head not in parents or head in already_shipped:
        return Walk(set(), head == previous_head)
    seen: set[str] = {head}
    stack = [head]
    touched_previous = False
    while stack:
        sha = stack.pop()
        for parent in parents.get(sha, ()):
            if parent in already_shipped:
                touched_previous = touched_previous or parent == previous_head
                continue
            if parent in seen or parent not in parents:
                continue
            seen.add(parent)
            stack.append(parent)
    return Walk(seen, touched_previous)


def ancestors(parents: Mapping[str, Iterable[str]], head: str | None) -> set[str]:
    """Every known commit reachable from head, head included."""
    if head is None or head not in parents:
        return set()
    return walk_new_commits(parents, head, set(), None).new_commits

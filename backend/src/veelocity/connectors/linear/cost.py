"""What a query costs in Linear's complexity points, by Linear's published rules.

0.1 per scalar field, 1 per object, and a connection (a field selecting `nodes`) costs 1
plus its `first` (50 when absent) times one node, plus its other fields once; the total is
rounded up. The connector knows what it asks before it asks: the HTTP policy then waits or
stops before the allowance Linear reports runs out.
"""

from __future__ import annotations

import math

from graphql import FieldNode, IntValueNode, SelectionSetNode, parse

SCALAR, OBJECT = 1, 10  # tenths of a point
DEFAULT_FIRST = 50
#: Linear refuses a query above this
MAX_POINTS = 10_000


def _first(node: FieldNode) -> int:
    for argument in node.arguments or ():
        if argument.name.value in ("first", "last") and isinstance(argument.value, IntValueNode):
            return int(argument.value.value)
    return DEFAULT_FIRST


def _fields(selection_set: SelectionSetNode | None) -> list[FieldNode]:
    if selection_set is None:
        return []
    return [s for s in selection_set.selections if isinstance(s, FieldNode)]


def _tenths(node: FieldNode) -> int:
    if node.name.value.startswith("__"):
        return 0
    children = _fields(node.selection_set)
    if not children:
        return SCALAR
    if any(child.name.value in ("nodes", "edges") for child in children):
        per_item = sum(_tenths(c) for c in children if c.name.value in ("nodes", "edges"))
        others = sum(_tenths(c) for c in children if c.name.value not in ("nodes", "edges"))
        return OBJECT + _first(node) * per_item + others
    return OBJECT + sum(_tenths(child) for child in children)


def points(query: str) -> int:
    """The query's cost (its first operation), rounded up."""
    document = parse(query)
    total = 0
    for definition in document.definitions:
        selection_set = getattr(definition, "selection_set", None)
        total += sum(_tenths(field) for field in _fields(selection_set))
        break
    return math.ceil(total / 10)

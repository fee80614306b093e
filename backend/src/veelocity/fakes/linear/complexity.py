"""What a query costs in Linear's complexity points, as Linear's rate-limiting page describes.

Each scalar (or enum, or list of scalars) field costs 0.1, each object 1; a connection costs 1
plus its page size (`first` or `last`, 50 when neither is given) times what one of its nodes
costs (an item of `nodes` is one object; an item of `edges` is an edge object holding a node
object and a cursor), plus its `pageInfo` once.
The total is rounded up. Counted in tenths, so no float rounding creeps in. `__typename` is
free. A query over `max_complexity` (10,000) is refused before it runs.
"""

from __future__ import annotations

import math
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_argument_values,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues

from veelocity.fakes.linear.paging import DEFAULT_PAGE

SCALAR, OBJECT = 1, 10  # tenths of a point


def _is_connection(type_: Any) -> bool:
    return isinstance(type_, GraphQLObjectType) and type_.name.endswith("Connection")


class Costing:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: VariableValues):
        self.schema = schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def operation(self, operation: OperationDefinitionNode) -> int:
        """Whole points, rounded up."""
        query_type = self.schema.query_type
        assert query_type is not None
        return math.ceil(self.selection(query_type, operation.selection_set) / 10)

    def selection(self, parent: GraphQLObjectType, selection_set: SelectionSetNode) -> int:
        total = 0
        for node, owner in self._fields(parent, selection_set):
            total += self.field(owner, node)
        return total

    def _fields(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode
    ) -> list[tuple[FieldNode, GraphQLObjectType]]:
        found: list[tuple[FieldNode, GraphQLObjectType]] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append((selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                owner = parent
                if selection.type_condition is not None:
                    named = self.schema.get_type(selection.type_condition.name.value)
                    owner = named if isinstance(named, GraphQLObjectType) else parent
                found.extend(self._fields(owner, selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    named = self.schema.get_type(fragment.type_condition.name.value)
                    owner = named if isinstance(named, GraphQLObjectType) else parent
                    found.extend(self._fields(owner, fragment.selection_set))
        return found

    def field(self, owner: GraphQLObjectType, node: FieldNode) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        definition = owner.fields.get(name)
        if definition is None:
            return 0
        named = get_named_type(definition.type)
        if is_leaf_type(named) or node.selection_set is None:
            return SCALAR
        if not isinstance(named, GraphQLObjectType):
            # An interface or union: cost its selection as seen from the declared type.
            return OBJECT
        if not _is_connection(named):
            return OBJECT + self.selection(named, node.selection_set)
        arguments = get_argument_values(definition, node, self.variables)
        size = arguments.get("first") or arguments.get("last") or DEFAULT_PAGE
        per_item = 0
        other = 0
        for child, child_owner in self._fields(named, node.selection_set):
            child_name = child.name.value
            if child_name in ("nodes", "edges"):
                per_item += self.field(child_owner, child)  # one node (or edge) object
            else:
                other += self.field(child_owner, child)
        return OBJECT + size * per_item + other

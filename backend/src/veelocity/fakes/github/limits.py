"""GitHub's GraphQL resource limits, computed before execution as GitHub does.

Every connection needs `first` or `last` between 1 and 100; a query may ask for at most
500,000 nodes; its cost in points is the number of requests needed to fill every connection
(each one assumed full) divided by 100, at least 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    get_named_type,
    is_interface_type,
    is_object_type,
    value_from_ast,
)

MAX_NODES = 500_000
MAX_PAGE = 100


@dataclass(slots=True)
class Analysis:
    requests: int = 0
    nodes: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return max(1, round(self.requests / 100))


class _Walker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.analysis = Analysis()

    def walk(
        self, parent: Any, selections: SelectionSetNode | None, multiplier: int, path: list[str]
    ) -> None:
        if selections is None:
            return
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                self.field(parent, selection, multiplier, path)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    target = self.schema.get_type(selection.type_condition.name.value) or parent
                self.walk(target, selection.selection_set, multiplier, path)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value) or parent
                    self.walk(target, fragment.selection_set, multiplier, path)

    def field(self, parent: Any, node: FieldNode, multiplier: int, path: list[str]) -> None:
        if not (is_object_type(parent) or is_interface_type(parent)):
            return
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return
        name = node.alias.value if node.alias else node.name.value
        here = [*path, name]
        returned = get_named_type(definition.type)
        if returned.name.endswith("Connection") and "first" in definition.args:
            size = self.page_size(node, definition, here)
            if size is None:
                return
            self.analysis.requests += multiplier
            multiplier *= size
            self.analysis.nodes += multiplier
        self.walk(returned, node.selection_set, multiplier, here)

    def page_size(self, node: FieldNode, definition: Any, path: list[str]) -> int | None:
        values: dict[str, Any] = {}
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                arg_type = definition.args[argument.name.value].type
                values[argument.name.value] = value_from_ast(
                    argument.value, arg_type, self.variables
                )
        given = [v for v in values.values() if v is not None]
        location = (
            {"line": node.loc.start_token.line, "column": node.loc.start_token.column}
            if node.loc
            else None
        )
        if not given:
            self.error(
                "MISSING_PAGINATION_BOUNDARIES",
                f"You must provide a `first` or `last` value to properly paginate the "
                f"`{node.name.value}` connection.",
                path,
                location,
            )
            return None
        size = int(given[0])
        if size > MAX_PAGE or size < 1:
            which = "first" if values.get("first") is not None else "last"
            self.error(
                "EXCESSIVE_PAGINATION" if size > MAX_PAGE else "INVALID_PAGINATION",
                f"Requesting {size} records on the `{node.name.value}` connection exceeds the "
                f"`{which}` limit of {MAX_PAGE} records."
                if size > MAX_PAGE
                else f"`{which}` on the `{node.name.value}` connection must be between 1 and "
                f"{MAX_PAGE}.",
                path,
                location,
            )
            return None
        return size

    def error(
        self, kind: str, message: str, path: list[str], location: dict[str, int] | None
    ) -> None:
        entry: dict[str, Any] = {"type": kind, "path": path, "message": message}
        if location:
            entry["locations"] = [location]
        self.analysis.errors.append(entry)


def analyse(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> Analysis:
    """Cost, node count and limit errors of a validated operation."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments, variables)
    root: GraphQLObjectType | None = (
        schema.mutation_type if operation.operation.value == "mutation" else schema.query_type
    )
    walker.walk(root, operation.selection_set, 1, [])
    analysis = walker.analysis
    if analysis.nodes > MAX_NODES and not analysis.errors:
        analysis.errors.append(
            {
                "type": "MAX_NODE_LIMIT_EXCEEDED",
                "message": f"This query requests up to {analysis.nodes:,} possible nodes which "
                f"exceeds the maximum limit of {MAX_NODES:,}.",
            }
        )
    return analysis

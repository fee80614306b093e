"""A lean executor for queries graphql-core has already validated against a fake's schema.

graphql-core's general executor spends tens of microseconds per field (awaitable checks,
middleware hooks, incremental delivery), so a 100-pull-request page with nested lists took
most of a second. Here every value is a plain dict built by a fake's views
(`github.resolvers.Views`, `linear.views.Views`), so executing is a walk of the selection
set: aliases, fragments, `@skip`/`@include`, argument coercion with defaults (graphql-core's
own coercion, cached per field node), and `__typename`.
Validation, limits and costs stay graphql-core's and the vendor's; only the walk is ours.
Shared by the fake GitHub and the fake Linear.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_argument_values,
    get_directive_values,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)
from graphql import GraphQLIncludeDirective as Include
from graphql import GraphQLSkipDirective as Skip
from graphql.execution.values import VariableValues

Json = dict[str, Any]
# A response path as a linked list (parent, key): built for every field, read only on errors.
Path = tuple[Any, str | int] | None


TYPENAME, LEAF, OBJECT, OBJECTS, OTHER = range(5)
# (response key, field name, first field node, definition, shape, inner type, selection sets)
Step = tuple[str, str, FieldNode, Any, int, Any, list[SelectionSetNode]]


def _path_list(path: Path) -> list[str | int]:
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    return keys[::-1]


class FieldError(Exception):
    """A resolver's refusal, reported in `errors` with the field set to null."""

    def __init__(
        self, message: str, kind: str | None = None, extensions: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind  # GitHub's top-level `type`
        self.extensions = extensions  # Linear's `extensions` (type, code, statusCode, ...)


class Executor:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.errors: list[Json] = []
        self._arguments: dict[tuple[int, str], dict[str, Any]] = {}
        self._collected: dict[tuple[int, str], dict[str, list[FieldNode]]] = {}
        # graphql-core rebuilds a type's field map on each access; look each up once.
        self._fields: dict[str, dict[str, GraphQLField]] = {}
        self._plans: dict[tuple[tuple[int, ...], str], list[Step]] = {}

    def run(self, operation: OperationDefinitionNode, root: Json) -> Json | None:
        query_type = self.schema.query_type
        assert query_type is not None
        return self.select(root, query_type, [operation.selection_set], None)

    # --- selection sets ---------------------------------------------------------------------
    def select(
        self,
        value: Json,
        declared: GraphQLNamedType,
        selection_sets: list[SelectionSetNode],
        path: Path,
    ) -> Json:
        concrete = self._concrete(value, declared)
        plan_key = (tuple(map(id, selection_sets)), concrete.name)
        plan = self._plans.get(plan_key)
        if plan is None:
            plan = self._plans[plan_key] = self.plan(concrete, selection_sets)
        result: Json = {}
        for key, name, node, definition, shape, inner, subsets in plan:
            if shape == TYPENAME:
                result[key] = concrete.name
                continue
            raw = value.get(name)
            if callable(raw):
                try:
                    raw = raw(None, **self.arguments(node, definition))
                except FieldError as error:
                    self._error(error, (path, key), node)
                    result[key] = None
                    continue
            if raw is None or shape == LEAF:
                result[key] = raw
            elif shape == OBJECT:
                result[key] = self.select(raw, inner, subsets, (path, key))
            elif shape == OBJECTS:
                here = (path, key)
                result[key] = [
                    None if item is None else self.select(item, inner, subsets, (here, index))
                    for index, item in enumerate(raw)
                ]
            else:
                result[key] = self.complete(raw, definition.type, subsets, (path, key))
        return result

    def plan(
        self, concrete: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> list[Step]:
        """What to do for each response key of this type and selection, worked out once."""
        fields = self._fields.get(concrete.name)
        if fields is None:
            fields = self._fields[concrete.name] = dict(concrete.fields)
        steps: list[Step] = []
        for key, nodes in self.collect(concrete, selection_sets).items():
            name = nodes[0].name.value
            subsets = [n.selection_set for n in nodes if n.selection_set is not None]
            if name == "__typename":
                steps.append((key, name, nodes[0], None, TYPENAME, None, subsets))
                continue
            definition = fields[name]
            field_type = definition.type
            if isinstance(field_type, GraphQLNonNull):
                field_type = field_type.of_type
            shape, inner = OTHER, None
            if is_leaf_type(get_named_type(field_type)):
                shape = LEAF
            elif isinstance(field_type, GraphQLList):
                element = field_type.of_type
                if isinstance(element, GraphQLNonNull):
                    element = element.of_type
                if not isinstance(element, GraphQLList):
                    shape, inner = OBJECTS, element
            else:
                shape, inner = OBJECT, field_type
            steps.append((key, name, nodes[0], definition, shape, inner, subsets))
        return steps

    def _concrete(self, value: Json, declared: GraphQLNamedType) -> GraphQLObjectType:
        typename = value.get("__typename")
        if typename is not None and typename != declared.name:
            found = self.schema.get_type(typename)
            if isinstance(found, GraphQLObjectType):
                return found
        if isinstance(declared, GraphQLObjectType):
            return declared
        raise TypeError(f"cannot tell which {declared.name} this value is: {value!r}")

    def collect(
        self, concrete: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        cache_key = (id(selection_sets[0]) if len(selection_sets) == 1 else 0, concrete.name)
        if cache_key[0]:
            cached = self._collected.get(cache_key)
            if cached is not None:
                return cached
        fields: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect_into(concrete, selection_set, fields, set())
        if cache_key[0]:
            self._collected[cache_key] = fields
        return fields

    def _collect_into(
        self,
        concrete: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, concrete):
                    self._collect_into(concrete, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visited:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition.name.value, concrete):
                    self._collect_into(concrete, fragment.selection_set, fields, visited)

    def _included(self, node: Any) -> bool:
        if not node.directives:
            return True
        skip = get_directive_values(Skip, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(Include, node, self.variables)
        return not (include and include.get("if") is False)

    def _applies(self, condition: str, concrete: GraphQLObjectType) -> bool:
        if condition == concrete.name:
            return True
        target = self.schema.get_type(condition)
        return is_abstract_type(target) and self.schema.is_sub_type(target, concrete)

    def arguments(self, node: FieldNode, definition: GraphQLField) -> dict[str, Any]:
        key = (id(node), "")
        cached = self._arguments.get(key)
        if cached is None:
            cached = get_argument_values(definition, node, self.variables)
            self._arguments[key] = cached
        return cached

    # --- values -----------------------------------------------------------------------------
    def complete(
        self, value: Any, field_type: Any, selection_sets: list[SelectionSetNode], path: Path
    ) -> Any:
        """The general case (lists of lists); common shapes are handled in `select`."""
        if value is None:
            return None
        if isinstance(field_type, GraphQLNonNull):
            field_type = field_type.of_type
        if isinstance(field_type, GraphQLList):
            inner = field_type.of_type
            return [
                self.complete(item, inner, selection_sets, (path, index))
                for index, item in enumerate(value)
            ]
        if is_leaf_type(field_type):
            return value
        declared: GraphQLNamedType = field_type
        if is_abstract_type(declared):
            declared = self._concrete(value, declared)
        return self.select(value, declared, selection_sets, path)

    def _error(self, error: FieldError, path: Path, node: FieldNode) -> None:
        entry: Json = {"message": str(error), "path": _path_list(path)}
        if node.loc is not None:
            entry["locations"] = [
                {"line": node.loc.start_token.line, "column": node.loc.start_token.column}
            ]
        if error.kind:
            entry["type"] = error.kind
        if error.extensions:
            entry["extensions"] = error.extensions
        self.errors.append(entry)

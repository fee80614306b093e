"""The fake Linear as an ASGI application: Linear's GraphQL API over one workspace.

POST `/graphql` (and `/`, so a base URL works either way). Queries are parsed and validated
against Linear's published schema, costed in complexity points, charged to leaky-bucket budgets
and answered from the workspace; credentials, limits, faults and statistics behave as
docs/fake-linear.md describes.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, parse, validate
from graphql.execution.values import get_variable_values
from starlette.types import Receive, Scope, Send

from veelocity.demo.linear_model import Issue, LinearUser, LinearWorkspace
from veelocity.fakes.faults import Fault, Faults
from veelocity.fakes.graphql_executor import Executor
from veelocity.fakes.linear import changes
from veelocity.fakes.linear.complexity import Costing
from veelocity.fakes.linear.errors import (
    JSON_HEADERS,
    authentication_error,
    error_entry,
    error_reply,
    rate_limited,
    validation_failed,
)
from veelocity.fakes.linear.keys import DEMO_KEY, KeySpec, credential
from veelocity.fakes.linear.limits import Budget, RateLimits
from veelocity.fakes.linear.schema import linear_schema
from veelocity.fakes.linear.stats import Stats
from veelocity.fakes.linear.truth import LinearGroundTruth
from veelocity.fakes.linear.views import Views
from veelocity.fakes.serving import Reply, answer_lifespan, read_body, send_reply

GRAPHQL_PATHS = ("/graphql", "/")


class FakeLinear:
    """`FakeLinear(workspace)` is an ASGI app; `faults`, `stats` and `limits` are set per test.

    `rate_limited_status` chooses the form of a RATELIMITED answer: 400 (with
    `extensions.statusCode: 429`, as seen from Linear) or 429.
    """

    def __init__(
        self,
        workspace: LinearWorkspace,
        *,
        keys: Sequence[KeySpec] | None = None,
        before_request: Callable[[], None] | None = None,
        limits: RateLimits | None = None,
        rate_limited_status: int = 400,
    ) -> None:
        self.workspace = workspace
        self.keys: dict[str, KeySpec] = {}
        for spec in keys or [KeySpec(DEMO_KEY)]:
            self.add_key(spec)
        self.before_request = before_request
        self.limits = limits or RateLimits()
        self.rate_limited_status = rate_limited_status
        self.faults = Faults()
        self.stats = Stats()
        self.lock = threading.RLock()

    def add_key(self, spec: KeySpec) -> None:
        self.keys[spec.key] = spec

    @property
    def truth(self) -> LinearGroundTruth:
        return LinearGroundTruth(self.workspace)

    # --- changes while serving --------------------------------------------------------------
    def advance(self, delta: timedelta) -> None:
        """Move the workspace's clock (what `-P2W` durations and changes are relative to)."""
        with self.lock:
            self.workspace.now += delta

    def move_issue(self, issue_id: str, team_id: str) -> Issue:
        with self.lock:
            return changes.move_issue(self.workspace, issue_id, team_id)

    def add_history(self, issue_id: str, **fields: Any) -> None:
        with self.lock:
            changes.add_history(self.workspace, issue_id, **fields)

    def rename_state(self, state_id: str, name: str) -> None:
        with self.lock:
            changes.rename_state(self.workspace, state_id, name)

    def archive_state(self, state_id: str) -> None:
        with self.lock:
            changes.archive_state(self.workspace, state_id)

    def delete_team(self, team_id: str) -> None:
        with self.lock:
            changes.delete_team(self.workspace, team_id)

    # --- ASGI -------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await answer_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        request = _request(body)
        operation_name = _operation_name(request)
        query = request.get("query") if isinstance(request, dict) else None
        target = f"{scope['path']} {operation_name} {query if isinstance(query, str) else ''}"
        faults = self.faults.take(scope["method"], target)
        delay = self.faults.latency + sum(f.seconds for f in faults if f.kind == "latency")
        if delay:
            await asyncio.sleep(delay)
        hang = next((f for f in faults if f.kind == "hang"), None)
        if hang is not None:
            await asyncio.sleep(hang.seconds)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        try:
            if self.before_request is not None:
                with self.lock:
                    self.before_request()
            reply = self.answer(scope["method"], scope["path"], headers, request, faults)
        except Exception as error:  # a bug in the fake must read as one, not as a hang
            message = f"fake Linear error: {error!r}"
            reply = error_reply(
                500, [error_entry(message, "INTERNAL_SERVER_ERROR", "internal error", 500)]
            )
        self.stats.record(operation_name, reply.status, _points(reply))
        await send_reply(
            reply,
            {f.kind for f in faults},
            send,
            b"<html><head><title>502 Bad Gateway</title></head></html>",
        )
        for fault in faults:
            if fault.kind == "change_page":
                self.change_page(fault)

    def answer(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        request: Any,
        faults: list[Fault],
    ) -> Reply:
        if path not in GRAPHQL_PATHS:
            return error_reply(404, [error_entry("Not found", "NOT_FOUND", "not found", 404)])
        if method != "POST":
            message = "Only POST requests are answered"
            return error_reply(405, [error_entry(message, "BAD_REQUEST", "invalid input", 405)])
        given = credential(headers.get("authorization", ""))
        spec = self.keys.get(given[0]) if given else None
        # An API key goes alone in the header; an OAuth token after "Bearer".
        if spec is None or given is None or spec.oauth != given[1]:
            return authentication_error()
        budget = self.limits.budget(spec.key)
        status_fault = next((f for f in faults if f.kind == "status"), None)
        if status_fault is not None:
            message = status_fault.message or "Internal server error"
            return error_reply(
                status_fault.status,
                [error_entry(message, "INTERNAL_SERVER_ERROR", "internal error", 500)],
                self.limits.headers(budget, None),
            )
        limited = next((f for f in faults if f.kind == "rate_limited"), None)
        if limited is not None:
            self.stats.limited()
            form = limited.status if limited.status in (400, 429) else self.rate_limited_status
            return rate_limited(form, int(limited.seconds), self.limits.headers(budget, None))
        if budget.requests.level < 1:
            self.stats.limited()
            retry = budget.requests.wait_for(1)
            limit_headers = self.limits.headers(budget, None)
            return rate_limited(self.rate_limited_status, retry, limit_headers)
        return self.graphql(spec, budget, request, faults)

    def graphql(self, spec: KeySpec, budget: Budget, request: Any, faults: list[Fault]) -> Reply:
        headers = self.limits.headers(budget, None)
        if not isinstance(request, dict) or not isinstance(request.get("query"), str):
            message = "POST body must be JSON with a `query` string"
            return error_reply(
                400, [error_entry(message, "BAD_REQUEST", "invalid input", 400)], headers
            )
        variables = request.get("variables") or {}
        if not isinstance(variables, dict):
            message = "`variables` must be a JSON object"
            return error_reply(
                400, [error_entry(message, "BAD_REQUEST", "invalid input", 400)], headers
            )
        schema = linear_schema()
        try:
            document = parse(request["query"])
        except GraphQLError as error:
            entry = error_entry(error.message, "GRAPHQL_PARSE_FAILED", "graphql error", 400)
            return error_reply(400, [entry], headers)
        problems = validate(schema, document)
        if problems:
            return validation_failed([p.formatted for p in problems], headers)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        name = request.get("operationName")
        operation = next(
            (o for o in operations if name is None or (o.name and o.name.value == name)), None
        )
        refusal = None
        if name is None and len(operations) > 1:
            refusal = "Must provide operation name if query contains multiple operations."
        elif operation is None:
            refusal = f'Unknown operation named "{name}".'
        elif operation.operation.value != "query":
            refusal = "This fake Linear is read-only: only queries are answered."
        if refusal is not None or operation is None:
            entry = error_entry(refusal or "", "BAD_USER_INPUT", "invalid input", 400)
            return error_reply(400, [entry], headers)
        coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
        if isinstance(coerced, list):
            entries = [
                error_entry(e.message, "BAD_USER_INPUT", "invalid input", 400) for e in coerced
            ]
            return error_reply(400, entries, headers)
        cost = Costing(schema, document, coerced).operation(operation)
        headers = self.limits.headers(budget, cost)
        if cost > self.limits.max_complexity:
            message = (
                f"Query too complex: complexity is {cost}, "
                f"the maximum allowed is {self.limits.max_complexity}"
            )
            entry = error_entry(message, "QUERY_TOO_COMPLEX", "invalid input", 400)
            return error_reply(400, [entry], headers)
        budget.requests.level -= 1
        if budget.complexity.level < cost:
            self.stats.limited()
            retry = budget.complexity.wait_for(cost)
            return rate_limited(self.rate_limited_status, retry, self.limits.headers(budget, cost))
        budget.complexity.level -= cost
        headers = self.limits.headers(budget, cost)
        failing = next((f for f in faults if f.kind == "errors_with_200"), None)
        if failing is not None:
            message = failing.message or "Internal server error"
            entry = error_entry(message, "INTERNAL_SERVER_ERROR", "internal error", 500)
            return error_reply(200, [entry], headers)
        with self.lock:
            viewer = self._viewer(spec)
            views = Views(self.workspace, viewer, spec.team_ids)
            executor = Executor(schema, document, coerced)
            data = executor.run(operation, views.root())
        payload: dict[str, Any] = {"data": data}
        status = 200
        if executor.errors:
            payload["errors"] = executor.errors
            # Every root field Linear serves is non-null: an error there nulls all the data.
            if any(len(e.get("path", [])) == 1 for e in executor.errors):
                payload["data"] = None
                status = 400
        body = json.dumps(payload).encode()
        return Reply(status, body, {**JSON_HEADERS, **headers})

    def _viewer(self, spec: KeySpec) -> LinearUser:
        users = self.workspace.users
        return next((u for u in users if u.id == spec.user_id), users[0])

    # --- faults after answering -------------------------------------------------------------
    def change_page(self, fault: Fault) -> None:
        """An issue is updated between two pages: by `fault.mutate`, or else the least recently
        updated issue is touched now, so it jumps to the top of `orderBy: updatedAt`."""
        with self.lock:
            if fault.mutate is not None:
                fault.mutate(self.workspace)
                return
            if not self.workspace.issues:
                return
            stalest = min(self.workspace.issues, key=lambda i: (i.updated_at, i.id))
            latest = max(i.updated_at for i in self.workspace.issues)
            stalest.updated_at = max(self.workspace.now, latest + timedelta(milliseconds=1))


def _request(body: bytes) -> Any:
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return None


def _operation_name(request: Any) -> str:
    if isinstance(request, dict):
        name = request.get("operationName")
        if isinstance(name, str) and name:
            return name
        query = request.get("query")
        if isinstance(query, str):
            head = query.lstrip().split("{", 1)[0].split("(", 1)[0].split()
            if len(head) >= 2 and head[0] == "query":
                return head[1]
    return "anonymous"


def _points(reply: Reply) -> int | None:
    if reply.status != 200:
        return None
    value = reply.headers.get("x-complexity")
    return int(value) if value is not None else None

"""Schemathesis fuzzes every API operation from its OpenAPI description, stateful links too.

The run is reproducible (fixed seed) and bounded; any 5xx, undocumented status, or response
that does not match its schema fails the test with the request that caused it.
"""

from __future__ import annotations

import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.auths import AuthContext
from schemathesis.engine import Status, events
from schemathesis.generation.case import Case
from sqlalchemy import select

from tests.conftest import PASSWORD, TEST_DB, setup_admin
from veelocity.accounts.sessions import start_session
from veelocity.accounts.users import create_user
from veelocity.api.context import AppContext
from veelocity.core.time import utcnow
from veelocity.models import User, UserRole

pytestmark = pytest.mark.skipif(
    TEST_DB != "sqlite", reason="the API fuzzing runs once, in the SQLite pass"
)

CONFIG: dict[str, Any] = {
    "seed": 20261207,
    # The auth hook below supplies tokens; no sign-up flow to discover.
    "auth": {"auto-signup": False},
    "generation": {"max-examples": 5, "database": "none"},
    "phases": {
        "examples": {"enabled": True},
        "coverage": {"enabled": True},
        "fuzzing": {"enabled": True},
        "stateful": {"enabled": True, "max-steps": 6},
    },
    # Left out: positive_data_acceptance (schema-valid requests are still refused for rules a
    # schema cannot state: a window over three years, a name already taken, an id that does not
    # exist), negative_data_rejection (unknown query parameters are ignored, as HTTP APIs do),
    # object_level_authorization (it needs two peers with objects of their own; every object
    # here belongs to the installation, and viewers are refused admin routes by the role tests)
    # and max_response_time (speed is measured by the benchmarks).
    "checks": {
        "enabled": False,
        "not_a_server_error": {"enabled": True},
        "status_code_conformance": {"enabled": True},
        "response_schema_conformance": {"enabled": True},
        "content_type_conformance": {"enabled": True},
        "unsupported_method": {"enabled": True},
        "allow_header_conformance": {"enabled": True},
        "ignored_auth": {"enabled": True},
        "use_after_free": {"enabled": True},
        "ensure_resource_availability": {"enabled": True},
        "response_headers_conformance": {"enabled": True},
        "missing_required_header": {"enabled": True},
    },
}

#: Operations that call upstream services (GitHub OAuth, connection tests, syncs); their
#: own tests run them against local fakes.
UPSTREAM_CALLS = [
    ("POST", "/api/v1/settings/sources/{source}/test"),
    ("POST", "/api/v1/settings/sources/github/oauth"),
    ("GET", "/api/v1/auth/github/callback"),
    ("POST", "/api/v1/sync"),
]


def admin_bearer_tokens(context: AppContext, ingest_token: str) -> type:
    """An auth provider: a fresh admin session for every request, so a fuzzed logout or
    demotion cannot cut the run off; the ingest routes get an ingest token instead."""

    class AdminBearerToken:
        def get(self, case: Case, ctx: AuthContext) -> str:
            if case.operation.path.startswith("/api/v1/ingest/"):
                return ingest_token
            with context.session_factory.begin() as session:
                admin = session.scalar(
                    select(User).where(User.role == UserRole.ADMIN, User.is_active.is_(True))
                )
                if admin is None:  # the run demoted or deactivated every admin it made
                    admin = create_user(
                        session,
                        email=f"admin-{uuid.uuid4().hex}@example.com",
                        password=PASSWORD,
                        role=UserRole.ADMIN,
                    )
                issued = start_session(
                    session, context.token_policy, admin, client_address="fuzz", now=utcnow()
                )
                return issued.access_token

        def set(self, case: Case, data: str, ctx: AuthContext) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return AdminBearerToken


@dataclass
class RunOutcome:
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Operations that answered at least one 2xx: proof the auth hook let the run in.
    answered: set[str] = field(default_factory=set)

    def record(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.NonFatalError | events.FatalError):
            # The ASGI transport re-raises unhandled server exceptions: each one is a 500.
            trace = "".join(traceback.format_exception(event.value)[-3:])
            self.errors.append(f"{getattr(event, 'label', '')}: {trace}")
        if not isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            return
        recorder = event.recorder
        for interaction in recorder.interactions.values():
            if interaction.response is not None and 200 <= interaction.response.status_code < 300:
                self.answered.add(recorder.label)
        for case_id, checks in recorder.checks.items():
            interaction = recorder.interactions.get(case_id)
            for check in checks:
                if check.status is not Status.FAILURE:
                    continue
                request = (
                    f"{interaction.request.method} {interaction.request.uri}"
                    if interaction
                    else "?"
                )
                status = (
                    interaction.response.status_code
                    if interaction and interaction.response
                    else "?"
                )
                title = check.failure_info.failure.title if check.failure_info else ""
                self.failures.append(f"{check.name}: {request} -> {status}: {title}")


@pytest.mark.timeout(480)
def test_fuzzing_every_operation_finds_no_server_error_or_schema_violation(
    client: TestClient,
) -> None:
    admin = setup_admin(client)
    created = client.post("/api/v1/settings/ingest-tokens", json={"name": "fuzzing"}, headers=admin)
    assert created.status_code == 201, created.text
    context: AppContext = client.app.state.context  # type: ignore[attr-defined]

    config = schemathesis.config.SchemathesisConfig.from_dict(CONFIG)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app, config=config)
    for method, path in UPSTREAM_CALLS:
        schema = schema.exclude(method=method, path=path)
    schema.auth(refresh_interval=None)(admin_bearer_tokens(context, created.json()["token"]))

    outcome = RunOutcome()
    for event in schemathesis.engine.from_schema(schema).execute():
        outcome.record(event)

    assert outcome.errors == []
    assert outcome.failures == []
    operations = len(list(schema.get_all_operations()))
    assert len(outcome.answered) >= operations * 0.8, sorted(outcome.answered)

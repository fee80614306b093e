"""`veelocity demo` serves the fake Cursor and the fake Greptile over the organisation's AI
picture, following its clock, and points the Cursor and Greptile sources at them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import quote

import httpx

from veelocity.app import build_context
from veelocity.core.config import Settings
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import read_secret, source_view
from veelocity.demo import DemoConfig, generate
from veelocity.demo_server import live_ai, live_fake, point_ai_at
from veelocity.fakes.cursor import DEMO_KEY as CURSOR_KEY
from veelocity.fakes.cursor import run_fake_cursor
from veelocity.fakes.greptile import DEMO_KEY as GREPTILE_KEY
from veelocity.fakes.greptile import run_fake_greptile

CONFIG = DemoConfig(seed=4, repositories=3, developers=8, months=2)


def test_the_demo_serves_cursor_and_greptile_as_time_passes() -> None:
    org = generate(CONFIG)
    github = live_fake(org)
    cursor, greptile = live_ai(org, github, CONFIG.seed)

    with (
        run_fake_cursor(cursor) as cursor_url,
        run_fake_greptile(greptile) as greptile_url,
        httpx.Client(base_url=cursor_url, auth=(CURSOR_KEY, "")) as cursor_client,
        httpx.Client(
            base_url=greptile_url, headers={"Authorization": f"Bearer {GREPTILE_KEY}"}
        ) as greptile_client,
    ):
        members = cursor_client.get("/teams/members").json()["teamMembers"]
        repository = greptile.account.repositories[0]
        info = greptile_client.get("/v2/repositories/" + quote(repository.id, safe=""))
        days_before = {u.day for u in cursor.team.usage}
        with github.lock:
            github.advance(timedelta(days=1))
        cursor_client.get("/teams/members")

    assert {m["email"] for m in members} == {m.email for m in org.members if not m.is_bot}
    assert info.status_code == 200
    assert max(u.day for u in cursor.team.usage) > max(days_before)


def test_the_demo_points_cursor_and_greptile_at_the_fakes(
    make_settings: Callable[..., Settings],
) -> None:
    org = generate(CONFIG)
    context = build_context(make_settings())

    point_ai_at(context, org, "http://127.0.0.1:7001", "http://127.0.0.1:7002")

    with context.session_factory() as session:
        cursor = source_view(session, context.cipher, SourceName.CURSOR)
        greptile = source_view(session, context.cipher, SourceName.GREPTILE)
        cursor_key = read_secret(session, context.cipher, SourceName.CURSOR, "api_key")
        greptile_key = read_secret(session, context.cipher, SourceName.GREPTILE, "api_key")
    assert cursor["base_url"] == "http://127.0.0.1:7001"
    assert cursor["history_days"] >= CONFIG.months * 30
    assert greptile["base_url"] == "http://127.0.0.1:7002"
    assert (cursor_key, greptile_key) == (CURSOR_KEY, GREPTILE_KEY)

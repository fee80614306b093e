"""`veelocity demo`: a full, living Veelocity in one command, on generated data.

It generates an organisation (`veelocity.demo`), serves it through the fake GitHub
(`veelocity.fakes.github`) on a loopback port, points the GitHub source at it, and serves
Veelocity with its scheduler, so the first sync starts at once. The organisation's clock
follows the real one, so new pull requests, reviews and deployments keep appearing and each
scheduled sync picks them up. Everything lives in a data directory of its own (SQLite and
generated keys), and the instance is flagged as a demo (VEELOCITY_DEMO) so the web app
labels its data as demo data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from veelocity.accounts.users import check_email, create_user, find_user_by_email
from veelocity.api.context import AppContext
from veelocity.audit import Actor, record_event
from veelocity.core.config import Settings, load_settings
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo import DemoConfig, DemoOrganisation, generate
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub
from veelocity.models import UserRole

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class DemoOptions:
    port: int
    host: str
    seed: int
    data_dir: Path
    repositories: int = 8
    developers: int = 24
    months: int = 6


def demo_settings(options: DemoOptions) -> Settings:
    """Settings of the demo instance: its own SQLite and keys, the demo flag, and permission
    to call the fake GitHub on the loopback address. Environment variables for everything
    else (log level, rate-limit budgets) still apply."""
    data_dir = options.data_dir.resolve()
    return load_settings(
        debug=True,  # development keys, generated once into the demo's data directory
        veelocity_data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'veelocity.db'}",
        veelocity_demo=True,
        scheduler_enabled=True,
        outbound_host_allowlist=[LOOPBACK],
        # SQLite has one writer at a time: one repository at a time keeps page writes short.
        github_sync_workers=1,
        veelocity_host=options.host,
        veelocity_port=options.port,
    )


def generate_organisation(options: DemoOptions) -> DemoOrganisation:
    """The organisation of this seed, with its history ending now."""
    return generate(
        DemoConfig(
            seed=options.seed,
            repositories=options.repositories,
            developers=options.developers,
            months=options.months,
            now=utcnow(),
        )
    )


def live_fake(org: DemoOrganisation) -> FakeGitHub:
    """The fake GitHub serving ORG, its time following the clock so activity keeps coming."""
    return FakeGitHub(org, live=True)


def point_github_at(context: AppContext, org: DemoOrganisation, base_url: str) -> None:
    """Configure the GitHub source to sync ORG from the fake at BASE_URL (its port changes
    with every start, so this runs every time)."""
    with context.session_factory.begin() as session:
        changes = update_source(
            session,
            context.cipher,
            SourceName.GITHUB,
            options={"api_base_url": base_url, "organizations": [org.login], "repositories": []},
            secrets={"token": DEMO_TOKEN},
            actor_id=None,
        )
        record_event(
            session,
            actor=Actor(user_id=None, email=None, client_address="cli"),
            action="settings.source_updated",
            target=SourceName.GITHUB.value,
            details={**changes, "via": "demo"},
        )


def ensure_admin(context: AppContext, email: str, password: str) -> bool:
    """Create the admin EMAIL unless that account exists; True when it was created."""
    with context.session_factory.begin() as session:
        if find_user_by_email(session, check_email(email)) is not None:
            return False
        user = create_user(session, email=email, password=password, role=UserRole.ADMIN)
        record_event(
            session,
            actor=Actor(user_id=None, email=None, client_address="cli"),
            action="user.created",
            target=user.email,
            details={"role": UserRole.ADMIN.value, "via": "demo"},
        )
    return True

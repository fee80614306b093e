"""`veelocity demo`: a full, living Veelocity in one command, on generated data.

It generates an organisation (`veelocity.demo`) with its Linear workspace, its Sentry
errors and its AI tools, serves them through the fake GitHub (`veelocity.fakes.github`), the
fake Linear (`veelocity.fakes.linear`), the fake Sentry (`veelocity.fakes.sentry`), the fake
Cursor (`veelocity.fakes.cursor`) and the fake Greptile (`veelocity.fakes.greptile`) on
loopback ports, points the GitHub, Linear, Sentry, Cursor and Greptile sources at them,
creates Veelocity teams matching the Linear teams (their people and repositories), and serves
Veelocity with its scheduler, so the first syncs start at once. The organisation's clock
follows the real one, so new pull requests, reviews, deployments and Linear issue changes
keep appearing and each scheduled sync picks them up. Everything lives in a data directory of
its own (SQLite and generated keys), and the instance is flagged as a demo (VEELOCITY_DEMO)
so the web app labels its data as demo data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from veelocity.accounts.users import check_email, create_user, find_user_by_email
from veelocity.api.context import AppContext
from veelocity.api.teams.service import create_team
from veelocity.audit import Actor, record_event
from veelocity.core.config import Settings, load_settings
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SourceName
from veelocity.credentials.store import update_source
from veelocity.demo import (
    DemoConfig,
    DemoOrganisation,
    generate,
    linear_team_repositories,
    use_github_web,
)
from veelocity.demo.ai import DemoAi
from veelocity.demo.sentry_demo import DemoSentry
from veelocity.fakes.cursor import DEMO_KEY as CURSOR_DEMO_KEY
from veelocity.fakes.cursor import FakeCursor
from veelocity.fakes.github import DEMO_TOKEN, FakeGitHub
from veelocity.fakes.greptile import DEMO_KEY as GREPTILE_DEMO_KEY
from veelocity.fakes.greptile import FakeGreptile
from veelocity.fakes.linear import DEMO_KEY, FakeLinear
from veelocity.fakes.sentry import DEMO_TOKEN as SENTRY_DEMO_TOKEN
from veelocity.fakes.sentry import FakeSentry
from veelocity.models import Team, UserRole
from veelocity.store import ensure_repositories
from veelocity.store.identities import record_developer_emails

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
            ai_flow=True,
        )
    )


def live_fake(org: DemoOrganisation) -> FakeGitHub:
    """The fake GitHub serving ORG, its time following the clock so activity keeps coming."""
    return FakeGitHub(org, live=True)


def live_linear(org: DemoOrganisation, github: FakeGitHub) -> FakeLinear:
    """The fake Linear serving ORG's workspace. Before each request it lets the organisation's
    time catch up with the clock, as the fake GitHub does; both share one lock, since time
    passing changes pull requests and issues together."""
    if org.linear is None:
        raise ValueError("this organisation has no Linear workspace")
    linear = FakeLinear(org.linear, before_request=github.catch_up)
    linear.lock = github.lock
    return linear


def live_sentry(org: DemoOrganisation, github: FakeGitHub, seed: int) -> FakeSentry:
    """The fake Sentry serving ORG's errors (`veelocity.demo.sentry_demo`). Before each request
    the organisation's time catches up with the clock and the Sentry side follows it: new
    deployments become deploys, and the errors planned after them happen. It shares the fake
    GitHub's lock, as the fake Linear does."""
    errors = DemoSentry(org, seed=seed)
    sentry = FakeSentry(errors.org)
    sentry.lock = github.lock

    def catch_up() -> None:
        github.catch_up()
        if errors.catch_up():
            sentry.views.changed()

    sentry.before_request = catch_up
    return sentry


def live_ai(
    org: DemoOrganisation, github: FakeGitHub, seed: int
) -> tuple[FakeCursor, FakeGreptile]:
    """The fake Cursor and the fake Greptile serving ORG's AI picture (`veelocity.demo.ai`).
    Before each request the organisation's time catches up with the clock and the picture
    follows it (new days of usage, AI commits and reviews). Both share the fake GitHub's lock."""
    picture = DemoAi(org, seed=seed)
    cursor = FakeCursor(picture.cursor)
    greptile = FakeGreptile(picture.greptile)
    cursor.lock = greptile.lock = github.lock

    def catch_up() -> None:
        github.catch_up()
        picture.refresh()

    cursor.before_request = greptile.before_request = catch_up
    return cursor, greptile


def point_ai_at(
    context: AppContext, org: DemoOrganisation, cursor_url: str, greptile_url: str
) -> None:
    """Configure the Cursor and Greptile sources to sync from the fakes (their ports change
    with every start); Cursor's first sync reads the whole generated history."""
    config = getattr(org.simulation, "config", None)
    history_days = round(config.months * 30.4) + 1 if config is not None else 90
    sources: tuple[tuple[SourceName, dict[str, object], dict[str, str | None]], ...] = (
        (
            SourceName.CURSOR,
            {"base_url": cursor_url, "history_days": history_days},
            {"api_key": CURSOR_DEMO_KEY},
        ),
        (SourceName.GREPTILE, {"base_url": greptile_url}, {"api_key": GREPTILE_DEMO_KEY}),
    )
    with context.session_factory.begin() as session:
        for source, options, secrets in sources:
            changes = update_source(
                session, context.cipher, source, options=options, secrets=secrets, actor_id=None
            )
            record_event(
                session,
                actor=Actor(user_id=None, email=None, client_address="cli"),
                action="settings.source_updated",
                target=source.value,
                details={**changes, "via": "demo"},
            )


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


def link_to_github(org: DemoOrganisation, base_url: str) -> None:
    """Linear's GitHub attachments name pull requests at the fake GitHub's address (its port
    changes with every start), exactly as it serves their `html_url`."""
    use_github_web(org, base_url)


def point_linear_at(context: AppContext, base_url: str) -> None:
    """Configure the Linear source to sync from the fake Linear at BASE_URL."""
    with context.session_factory.begin() as session:
        changes = update_source(
            session,
            context.cipher,
            SourceName.LINEAR,
            options={"api_url": f"{base_url}/graphql"},
            secrets={"api_key": DEMO_KEY},
            actor_id=None,
        )
        record_event(
            session,
            actor=Actor(user_id=None, email=None, client_address="cli"),
            action="settings.source_updated",
            target=SourceName.LINEAR.value,
            details={**changes, "via": "demo"},
        )


def point_sentry_at(context: AppContext, org: DemoOrganisation, origin: str) -> None:
    """Configure the Sentry source to sync ORG's Sentry organisation from the fake at ORIGIN."""
    with context.session_factory.begin() as session:
        changes = update_source(
            session,
            context.cipher,
            SourceName.SENTRY,
            options={"organization": org.login, "base_url": f"{origin}/api/0/"},
            secrets={"token": SENTRY_DEMO_TOKEN},
            actor_id=None,
        )
        record_event(
            session,
            actor=Actor(user_id=None, email=None, client_address="cli"),
            action="settings.source_updated",
            target=SourceName.SENTRY.value,
            details={**changes, "via": "demo"},
        )


def ensure_teams(context: AppContext, org: DemoOrganisation) -> list[str]:
    """Create a Veelocity team for each Linear team with its people and repositories, unless
    a team of that name exists (an admin may have changed it). The people's e-mails are
    recorded so Linear users match developers from the start. Returns the created names."""
    if org.linear is None:
        return []
    repositories = linear_team_repositories(org)
    logins = {user.id: user.github_login for user in org.linear.users if user.github_login}
    created: list[str] = []
    with context.session_factory.begin() as session:
        humans = [m for m in org.members if not m.is_bot]
        for team in org.linear.teams:
            if session.scalar(select(Team.id).where(Team.name == team.name)) is not None:
                continue
            full_names = [f"{org.login}/{name}" for name in repositories.get(team.key, [])]
            ensure_repositories(session, full_names)
            view = create_team(
                session,
                name=team.name,
                description=f"Linear team {team.key}",
                members=[logins[i] for i in team.member_ids if i in logins],
                repositories=full_names,
                now=utcnow(),
            )
            record_event(
                session,
                actor=Actor(user_id=None, email=None, client_address="cli"),
                action="team.created",
                target=view.team.name,
                details={"id": view.team.id, "via": "demo"},
            )
            created.append(team.name)
        record_developer_emails(session, [(m.login, m.email) for m in humans])
    return created


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

"""Composition root of the command line.

`veelocity serve | worker | migrate | sync | demo | backup | restore | import | derive | user |
keys | openapi`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from veelocity.core.config import Settings, SettingsError, load_settings

app = typer.Typer(help="Veelocity: self-hosted engineering analytics.", no_args_is_help=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="Manage encryption keys.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(keys_app, name="keys")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"veelocity: {message}", err=True)
    return typer.Exit(code=2)


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    from veelocity.core.logging import configure_logging

    configure_logging(settings)
    return settings


def _context(settings: Settings):  # type: ignore[no-untyped-def]
    from veelocity.app import StartupError, build_context

    try:
        return build_context(settings)
    except StartupError as exc:
        raise _fail(str(exc)) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (VEELOCITY_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (VEELOCITY_PORT).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Worker processes (WEB_CONCURRENCY; default one per CPU, at most 4, or at most "
            "2 on SQLite; one with DEBUG).",
        ),
    ] = None,
) -> None:
    """Run the web service (API and, when built, the web app) on one port."""
    import uvicorn

    settings = _settings()
    workers = workers or settings.web_workers
    if workers > 1:
        # Each worker builds its own app; migrations are serialised by a database lock.
        _context(settings).engine.dispose()
        uvicorn.run(
            "veelocity.app:create_app_from_env",
            factory=True,
            host=host or settings.veelocity_host,
            port=port or settings.veelocity_port,
            workers=workers,
            proxy_headers=False,
            server_header=False,
            log_config=None,
        )
        return
    from veelocity.app import create_app

    application = create_app(settings, context=_context(settings))
    uvicorn.run(
        application,
        host=host or settings.veelocity_host,
        port=port or settings.veelocity_port,
        proxy_headers=False,  # the app applies FORWARDED_ALLOW_IPS itself
        server_header=False,
        log_config=None,
    )


def _wait_for_database(settings: Settings, seconds: int) -> None:
    from veelocity.core.db import database_reachable, make_engine

    engine = make_engine(settings)
    deadline = time.monotonic() + seconds
    try:
        while not database_reachable(engine):
            if time.monotonic() >= deadline:
                raise _fail(
                    f"the database at {engine.url.render_as_string(hide_password=True)} did "
                    f"not answer within {seconds} s"
                )
            typer.echo("waiting for the database…", err=True)
            time.sleep(1)
    finally:
        engine.dispose()


@app.command()
def worker() -> None:
    """Run the sync schedule without the web server, until SIGTERM or Ctrl-C.

    Run as many workers (and web replicas) as you like: each job runs on one process at a
    time, and each slot of its schedule runs once.
    """
    import signal

    from veelocity.app import build_scheduler

    settings = _settings()
    context = _context(settings)
    scheduler = build_scheduler(context)
    sync_runs = context.sync
    assert sync_runs is not None  # build_scheduler builds it
    context.database_monitor.start()
    with context.session_factory.begin() as session:
        sync_runs.fail_stale_runs(session)

    def _stop(_signum: int, _frame: object) -> None:
        sync_runs.request_stop()  # a run in progress stops after its page
        scheduler.request_stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        scheduler.run_until_stopped()
    finally:
        scheduler.stop()
        sync_runs.shutdown()
        context.database_monitor.stop()
        context.engine.dispose()
        context.sync_engine.dispose()


@app.command()
def migrate(
    wait: Annotated[
        int, typer.Option(help="Wait up to this many seconds for the database to answer.")
    ] = 0,
) -> None:
    """Apply pending database migrations."""
    settings = _settings()
    if wait > 0:
        _wait_for_database(settings, wait)
    context = _context(settings)
    from veelocity import schema

    typer.echo(f"database at revision {schema.current_revision(context.engine)}")
    context.engine.dispose()


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup.", dir_okay=False)],
) -> None:
    """Back up the whole database to FILE (pg_dump custom format, or a SQLite copy).

    FILE holds password hashes and encrypted secrets: it is written with mode 0600. The
    secrets stay encrypted; keep VEELOCITY_ENCRYPTION_KEY safe separately to read them back.
    """
    from veelocity.backup import BackupError
    from veelocity.backup import backup as write_backup

    settings = _settings()
    try:
        write_backup(settings.sqlalchemy_url, file)
    except BackupError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"backed up the database to {file}")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `veelocity backup`.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Drop every table the database has first.")
    ] = False,
) -> None:
    """Restore FILE into the database, then apply any newer migrations."""
    from veelocity import schema
    from veelocity.backup import BackupError, count_rows
    from veelocity.backup import restore as load_backup
    from veelocity.core.db import make_engine, make_session_factory
    from veelocity.core.keys import resolve_keys
    from veelocity.core.security.crypto import SecretCipher
    from veelocity.credentials.store import count_unreadable_secrets

    settings = _settings()
    engine = make_engine(settings)
    try:
        load_backup(engine, file, replace=replace)
        engine = make_engine(settings)
        schema.upgrade_to_head(engine)
        counts = count_rows(engine)
        typer.echo(
            f"restored {counts.tables} tables ({counts.rows} rows); database at revision "
            f"{schema.current_revision(engine)}"
        )
        try:
            keyed, _ = resolve_keys(settings)
        except SettingsError:  # no key configured: nothing to check the secrets with
            return
        if keyed.veelocity_encryption_key is not None:
            cipher = SecretCipher(
                keyed.veelocity_encryption_key, keyed.veelocity_encryption_key_rotating_from
            )
            with make_session_factory(engine)() as session:
                unreadable = count_unreadable_secrets(session, cipher)
            if unreadable:
                raise _fail(
                    f"{unreadable} restored secrets cannot be decrypted with the configured "
                    "VEELOCITY_ENCRYPTION_KEY; start with the key the backup was made under"
                )
    except BackupError as exc:
        raise _fail(str(exc)) from None
    finally:
        engine.dispose()


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="The new user's email.")],
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an admin.")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user. The password is read from a prompt or stdin, never from an argument."""
    from veelocity.accounts.users import create_user
    from veelocity.audit import Actor, record_event
    from veelocity.core.errors import VeelocityError
    from veelocity.models import UserRole

    settings = _settings()
    context = _context(settings)
    password = _read_password(password_stdin or not sys.stdin.isatty())
    role = UserRole.ADMIN if admin else UserRole.VIEWER
    try:
        with context.session_factory.begin() as session:
            user = create_user(session, email=email, password=password, role=role)
            record_event(
                session,
                actor=Actor(user_id=None, email=None, client_address="cli"),
                action="user.created",
                target=user.email,
                details={"role": role.value, "via": "cli"},
            )
    except VeelocityError as exc:
        raise _fail(exc.message) from None
    finally:
        context.engine.dispose()
    typer.echo(f"created {role.value} {user.email}")


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored secret with the current VEELOCITY_ENCRYPTION_KEY."""
    from veelocity.audit import Actor, record_event
    from veelocity.credentials.store import rotate_secrets

    settings = _settings()
    context = _context(settings)
    with context.session_factory.begin() as session:
        report = rotate_secrets(session, context.cipher)
        record_event(
            session,
            actor=Actor(user_id=None, email=None, client_address="cli"),
            action="keys.rotated",
            details={
                "rewritten": report.rewritten,
                "already_current": report.already_current,
                "unreadable": report.unreadable,
            },
        )
    context.engine.dispose()
    typer.echo(
        f"re-encrypted {report.rewritten} secrets with the current key "
        f"({report.already_current} already current, {report.unreadable} unreadable)"
    )
    if report.unreadable:
        raise _fail(
            f"{report.unreadable} secrets cannot be decrypted with the configured keys; add the "
            "key they were saved with to VEELOCITY_ENCRYPTION_KEY_ROTATING_FROM"
        )


@keys_app.command("generate")
def keys_generate() -> None:
    """Print a new Fernet key and a new JWT secret, for the environment of a deployment."""
    import secrets

    from cryptography.fernet import Fernet

    typer.echo(f"VEELOCITY_ENCRYPTION_KEY={Fernet.generate_key().decode()}")
    typer.echo(f"JWT_SECRET_KEY={secrets.token_urlsafe(48)}")


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .json or .csv file (format: docs/ingest.md).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(help="deployments, incidents or pull-requests (default: from the file name)."),
    ] = None,
) -> None:
    """Import deployments, incidents or pull requests from a file, all or nothing."""
    from veelocity.ingest.files import ImportFailed, import_file

    settings = _settings()
    context = _context(settings)
    try:
        with context.session_factory.begin() as session:
            result = import_file(session, settings, file, kind)
    except ImportFailed as exc:
        raise _fail(str(exc)) from None
    finally:
        context.engine.dispose()
    typer.echo(result.summary(file))


@app.command()
def derive(
    all_: Annotated[
        bool, typer.Option("--all", help="Recompute every derived value from the stored data.")
    ] = False,
) -> None:
    """Recompute derived data (timelines, deployment links, incidents, failures)."""
    import time

    from veelocity.credentials.store import derive_config
    from veelocity.derive import derive_all

    if not all_:
        raise _fail("derive runs after every sync and ingest; use --all to redo all of it")
    settings = _settings()
    context = _context(settings)
    started = time.perf_counter()
    with context.session_factory.begin() as session:
        config = derive_config(session, settings)
        report = derive_all(session, config)
    context.engine.dispose()
    typer.echo(
        f"derived {report.pull_requests} pull requests, {report.deployments} deployments and "
        f"{report.incidents} incidents in {time.perf_counter() - started:.1f} s"
    )


@app.command()
def sync(
    source: Annotated[
        str | None,
        typer.Option(
            help="The source to sync (github, linear, sentry, cursor, greptile); default: every "
            "configured one."
        ),
    ] = None,
) -> None:
    """Sync now, in the foreground, with a progress bar; Ctrl-C cancels.

    Exit code 0 when every run succeeded, 1 when one failed or was cancelled, 2 when the sync
    could not start (say, the source is not configured), 3 when a run stopped at its request
    budget (the next sync continues from there).
    """
    from veelocity.app import build_sync
    from veelocity.cli_sync import SyncNotStarted, run_sync

    settings = _settings()
    context = _context(settings)
    orchestrator = build_sync(context)
    try:
        with context.session_factory.begin() as session:
            orchestrator.fail_stale_runs(session)
        code = run_sync(context, orchestrator, source)
    except SyncNotStarted as exc:
        raise _fail(str(exc)) from None
    finally:
        orchestrator.shutdown()
        context.engine.dispose()
    raise typer.Exit(code=code)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port for Veelocity.")] = 8000,
    seed: Annotated[int, typer.Option(help="Seed of the generated organisation.")] = 42,
    data_dir: Annotated[
        Path, typer.Option(help="The demo's own data directory (SQLite, keys).", file_okay=False)
    ] = Path("data/demo"),
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    admin: Annotated[
        str | None,
        typer.Option(help="Create this admin (password from a prompt or stdin) and skip setup."),
    ] = None,
) -> None:
    """Start Veelocity on a generated organisation served by a fake GitHub, a fake Linear, a
    fake Sentry, a fake Cursor and a fake Greptile, syncing at once.

    Nothing leaves this machine: the fakes listen on loopback ports, and the organisation keeps
    getting new pull requests, deployments and Linear issue changes while the demo runs.
    """
    import uvicorn

    from veelocity import demo_server
    from veelocity.app import create_app
    from veelocity.core.errors import VeelocityError
    from veelocity.fakes.cursor import run_fake_cursor
    from veelocity.fakes.github import run_fake_github
    from veelocity.fakes.greptile import run_fake_greptile
    from veelocity.fakes.linear import run_fake_linear
    from veelocity.fakes.sentry import run_fake_sentry

    options = demo_server.DemoOptions(port=port, host=host, seed=seed, data_dir=data_dir)
    try:
        settings = demo_server.demo_settings(options)
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    from veelocity.core.logging import configure_logging

    configure_logging(settings)
    password = _read_password(not sys.stdin.isatty()) if admin else None
    context = _context(settings)
    org = demo_server.generate_organisation(options)
    github = demo_server.live_fake(org)
    cursor, greptile = demo_server.live_ai(org, github, seed)
    with (
        run_fake_github(github, host=demo_server.LOOPBACK) as base_url,
        run_fake_linear(
            demo_server.live_linear(org, github), host=demo_server.LOOPBACK
        ) as linear_url,
        run_fake_sentry(
            demo_server.live_sentry(org, github, seed), host=demo_server.LOOPBACK
        ) as sentry_url,
        run_fake_cursor(cursor, host=demo_server.LOOPBACK) as cursor_url,
        run_fake_greptile(greptile, host=demo_server.LOOPBACK) as greptile_url,
    ):
        demo_server.link_to_github(org, base_url)
        demo_server.point_github_at(context, org, base_url)
        demo_server.point_linear_at(context, linear_url)
        demo_server.point_sentry_at(context, org, sentry_url)
        demo_server.point_ai_at(context, org, cursor_url, greptile_url)
        demo_server.ensure_teams(context, org)
        if admin and password is not None:
            try:
                demo_server.ensure_admin(context, admin, password)
            except VeelocityError as exc:
                raise _fail(exc.message) from None
        typer.echo(
            f"Veelocity demo on http://{host}:{port} — organisation '{org.login}' "
            f"({org.pull_request_count} pull requests, {len(org.repositories)} repositories) "
            f"served by a fake GitHub at {base_url}, its Linear workspace "
            f"({len(org.linear.issues) if org.linear else 0} issues) by a fake Linear at "
            f"{linear_url}, its errors by a fake Sentry at {sentry_url}, its AI tools by a "
            f"fake Cursor at {cursor_url} and a fake Greptile at {greptile_url}; "
            f"data in {settings.veelocity_data_dir}",
            err=True,
        )
        uvicorn.run(
            create_app(settings, context=context),
            host=host,
            port=port,
            proxy_headers=False,
            server_header=False,
            log_config=None,
        )


@app.command()
def openapi() -> None:
    """Print the OpenAPI document of the HTTP API."""
    from veelocity.openapi import build_openapi

    typer.echo(json.dumps(build_openapi(), indent=2, sort_keys=True))


def main() -> None:
    app()

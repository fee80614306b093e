"""Composition root of the web service: create_app(settings) wires every layer together."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from veelocity import __version__, schema
from veelocity.accounts.login_limits import forget_old_attempts
from veelocity.api.ai.endpoints import router as ai_router
from veelocity.api.ai.export_endpoints import router as ai_export_router
from veelocity.api.audit.endpoints import router as audit_router
from veelocity.api.auth.endpoints import router as auth_router
from veelocity.api.auth.github_oauth import callback_router as github_oauth_callback_router
from veelocity.api.auth.github_oauth import start_router as github_oauth_start_router
from veelocity.api.context import AppContext
from veelocity.api.cycles.endpoints import router as cycles_router
from veelocity.api.delivery.endpoints import router as delivery_router
from veelocity.api.errors import ErrorResponse, install_error_handlers
from veelocity.api.export.endpoints import router as export_router
from veelocity.api.health.endpoints import router as health_router
from veelocity.api.ingest.endpoints import router as ingest_router
from veelocity.api.ingest.token_endpoints import router as ingest_tokens_router
from veelocity.api.issues.endpoints import router as issues_router
from veelocity.api.issues.linear_endpoints import router as linear_router
from veelocity.api.issues.metrics_endpoints import router as issue_metrics_router
from veelocity.api.linear_users.endpoints import router as linear_users_router
from veelocity.api.metrics.endpoints import router as metrics_router
from veelocity.api.middleware import (
    AccessLogMiddleware,
    BodySizeLimitMiddleware,
    HttpMetrics,
    SecurityHeadersMiddleware,
)
from veelocity.api.nul_characters import refuse_nul_characters
from veelocity.api.prs.endpoints import router as prs_router
from veelocity.api.sentry.endpoints import deployment_router as sentry_deployment_router
from veelocity.api.sentry.endpoints import metrics_router as sentry_metrics_router
from veelocity.api.sentry.endpoints import router as sentry_router
from veelocity.api.settings.endpoints import router as settings_router
from veelocity.api.shedding import LoadSheddingMiddleware
from veelocity.api.spa import mount_spa
from veelocity.api.status.endpoints import router as status_router
from veelocity.api.sync.connection_endpoints import router as connection_test_router
from veelocity.api.sync.endpoints import router as sync_router
from veelocity.api.teams.endpoints import router as teams_router
from veelocity.api.users.endpoints import router as users_router
from veelocity.core.config import Settings, SettingsError, load_settings
from veelocity.core.data_version import track_data_changes
from veelocity.core.db import make_engine, make_session_factory, postgres_connect_args
from veelocity.core.db_monitor import make_database_monitor
from veelocity.core.keys import resolve_keys
from veelocity.core.logging import configure_logging, get_logger
from veelocity.core.security.crypto import SecretCipher
from veelocity.core.time import utcnow
from veelocity.credentials.store import count_unreadable_secrets
from veelocity.sync.catalogue import SyncCatalogue, SyncJob
from veelocity.sync.leader import JobLocks, PostgresJobLocks, job_locks_for
from veelocity.sync.registry import JOB_BODIES, scheduled_jobs
from veelocity.sync.runs import SyncOrchestrator
from veelocity.sync.scheduler import Scheduler

log = get_logger("veelocity")

API_DESCRIPTION = """
Veelocity's HTTP API. Every route except `/api/v1/auth/*` and `/api/v1/health` needs
`Authorization: Bearer <access token>` (get one from `POST /api/v1/auth/login`).

Every error has one shape: `{"error": {"code": "...", "message": "...", "request_id": "..."}}`;
the request id is also in the `X-Request-ID` response header.
"""


class StartupError(Exception):
    """The service cannot start; the message says why in one line."""


def _first_line(exc: SQLAlchemyError) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else 'no details'}"


def build_context(settings: Settings, *, migrate: bool = True) -> AppContext:
    """Resolve keys, connect, migrate and check stored secrets. Raises StartupError."""
    track_data_changes()  # before any write, so every commit keeps the metric cache true
    try:
        settings, generated = resolve_keys(settings)
    except SettingsError as exc:
        raise StartupError(str(exc)) from None
    for key in generated:
        if key.created:
            log.warning(
                "generated a development key",
                variable=key.variable,
                path=str(key.path),
                hint="set it in the environment for production",
            )
        else:
            log.info("using the development key", variable=key.variable, path=str(key.path))
    assert settings.veelocity_encryption_key is not None
    cipher = SecretCipher(
        settings.veelocity_encryption_key, settings.veelocity_encryption_key_rotating_from
    )
    engine = make_engine(settings)
    sync_engine = make_engine(settings, purpose="sync")
    monitor = make_database_monitor(settings, engine.url.render_as_string(hide_password=False))
    monitor.watch(engine)
    monitor.watch(sync_engine)
    context = AppContext(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        cipher=cipher,
        sync_engine=sync_engine,
        sync_session_factory=make_session_factory(sync_engine),
        database_monitor=monitor,
    )
    try:
        if migrate:
            schema.upgrade_to_head(engine)
        with context.session_factory.begin() as session:
            context.unreadable_secrets = count_unreadable_secrets(session, cipher)
            forget_old_attempts(session, now=utcnow())
    except SQLAlchemyError as exc:
        engine.dispose()
        sync_engine.dispose()
        raise StartupError(
            f"cannot use the database {engine.url.render_as_string(hide_password=True)}: "
            f"{_first_line(exc)}"
        ) from None
    if context.unreadable_secrets:
        log.error(
            "stored secrets cannot be decrypted",
            count=context.unreadable_secrets,
            hint="VEELOCITY_ENCRYPTION_KEY is not the key they were saved with; set the old "
            "key in VEELOCITY_ENCRYPTION_KEY_ROTATING_FROM, or enter those secrets again",
        )
    if not settings.cors_allowed_origins and not settings.debug:
        log.warning(
            "CORS_ALLOWED_ORIGINS is empty, so any origin may call the API; "
            "set it to the frontend's origin in production"
        )
    return context


def _job_locks(context: AppContext) -> JobLocks:
    settings = context.settings
    locks = job_locks_for(
        context.engine.url.render_as_string(hide_password=False),
        data_dir=settings.veelocity_data_dir,
        lease_seconds=settings.scheduler_lock_lease_seconds,
        connect_timeout_seconds=settings.database_connect_timeout_seconds,
        connect_args=postgres_connect_args(
            settings, statement_timeout_seconds=None, application_name="veelocity-job-lock"
        ),
    )
    if isinstance(locks, PostgresJobLocks):
        # An outage ends the lock sessions too: the lock is lost with the database.
        context.database_monitor.watch(locks.engine)
    return locks


def default_sync_catalogue() -> SyncCatalogue:
    """Every source sync and connection test the connectors register."""
    from veelocity.connectors.registry import JOBS, SOURCES

    jobs = []
    for job_name, (source, which) in JOBS.items():
        entry = SOURCES[source]
        sync = entry.sync if which == "sync" else entry.fill_details
        if sync is not None:
            # "Sync now" runs a source's main job; filling PR details follows the schedule.
            jobs.append(SyncJob(job_name, source, sync, on_demand=which == "sync"))
    return SyncCatalogue.of(jobs, {name: entry.check_connection for name, entry in SOURCES.items()})


def build_sync(context: AppContext, catalogue: SyncCatalogue | None = None) -> SyncOrchestrator:
    """This process's sync runs (manual and scheduled), sharing the job locks' database."""
    if context.sync is None:
        context.sync = SyncOrchestrator(
            catalogue if catalogue is not None else default_sync_catalogue(),
            session_factory=context.sync_session_factory,
            settings=context.settings,
            cipher=context.cipher,
            locks=_job_locks(context),
            database_available=context.database_monitor.available_now,
        )
    return context.sync


def build_scheduler(context: AppContext) -> Scheduler:
    """The sync scheduler for this process: every job's slot runs as a sync run."""
    sync = build_sync(context)
    bodies = {**JOB_BODIES, **sync.job_bodies()}
    return Scheduler(
        scheduled_jobs(bodies),
        session_factory=context.sync_session_factory,
        locks=_job_locks(context),
        on_tick=sync.recover,
    )


def create_app(
    settings: Settings,
    *,
    context: AppContext | None = None,
    sync_catalogue: SyncCatalogue | None = None,
) -> FastAPI:
    """The ASGI application for these settings (or an already-built context)."""
    configure_logging(settings)
    context = context or build_context(settings)
    settings = context.settings
    sync = build_sync(context, sync_catalogue)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        log.info("veelocity started", version=__version__, database=context.engine.dialect.name)
        context.database_monitor.start()
        with context.session_factory.begin() as session:
            sync.fail_stale_runs(session)
        if settings.scheduler_enabled:
            context.scheduler = build_scheduler(context)
            context.scheduler.start()
        try:
            yield
        finally:
            sync.request_stop()
            if context.scheduler is not None:
                context.scheduler.stop()
                context.scheduler = None
            sync.shutdown()
            context.database_monitor.stop()
            context.engine.dispose()
            context.sync_engine.dispose()

    app = FastAPIOffline(
        title="Veelocity",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        static_url="/docs-assets",
        responses={422: {"model": ErrorResponse, "description": "The request is not valid."}},
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.context = context
    install_error_handlers(app)

    for router in (
        health_router,
        auth_router,
        users_router,
        settings_router,
        github_oauth_start_router,
        github_oauth_callback_router,
        audit_router,
        status_router,
        ingest_tokens_router,
        ingest_router,
        teams_router,
        linear_users_router,
        issue_metrics_router,
        metrics_router,
        prs_router,
        issues_router,
        cycles_router,
        linear_router,
        export_router,
        sentry_router,
        sentry_deployment_router,
        sentry_metrics_router,
        ai_router,
        ai_export_router,
        delivery_router,
        sync_router,
        connection_test_router,
    ):
        app.include_router(router)

    metrics = HttpMetrics()
    if settings.metrics_enabled:

        @app.get("/metrics", include_in_schema=False)
        def prometheus_metrics() -> PlainTextResponse:
            return PlainTextResponse(
                generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST
            )

    mount_spa(app, settings.spa_dir)

    # Added innermost first: the last one added sees the request first. Shedding is
    # innermost, so a 503 still gets CORS, security headers, a request id and a log line.
    app.add_middleware(
        LoadSheddingMiddleware,
        max_in_flight=settings.max_requests_in_flight,
        max_wait_seconds=settings.request_queue_timeout_ms / 1000,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_allowed_origins or ["*"],
        # Credentials (the refresh cookie) only for origins the operator named.
        allow_credentials=bool(settings.cors_allowed_origins),
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
        max_age=600,
    )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AccessLogMiddleware, metrics=metrics)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID")
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory veelocity.app:create_app_from_env` (one line on failure)."""
    try:
        settings = load_settings()
        configure_logging(settings)
        return create_app(settings)
    except (SettingsError, StartupError) as exc:
        print(f"veelocity: {exc}", file=sys.stderr)
        raise SystemExit(2) from None

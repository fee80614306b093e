"""All configuration, read once at startup from the environment (and an optional `.env`).

This module is the configuration reference: every variable, its default and what it means.
Nothing else in the service reads `os.environ`.
"""

from __future__ import annotations

import ipaddress
import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaList = Annotated[list[str], NoDecode]

#: Where the repository's built SPA lives when running from a source checkout.
_SOURCE_TREE_SPA = Path(__file__).resolve().parents[4] / "frontend" / "dist"


class LogFormat(StrEnum):
    JSON = "json"
    CONSOLE = "console"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


def _split_commas(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting of the service. Names are the environment variables, upper-cased."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        # An empty variable means "use the default" (compose passes `${VAR:-}` through).
        env_ignore_empty=True,
    )

    # --- runtime mode -------------------------------------------------------------------
    debug: bool = Field(
        default=False,
        description="Development mode: generates missing keys in the data directory and "
        "logs to the console. Must be false in production.",
    )
    veelocity_data_dir: Path = Field(
        default=Path("data"),
        description="Directory for the embedded SQLite database and generated development keys.",
    )
    log_level: LogLevel = Field(default=LogLevel.INFO, description="Minimum log level.")
    log_format: LogFormat | None = Field(
        default=None, description="json or console; default console when DEBUG, else json."
    )

    # --- database -----------------------------------------------------------------------
    database_url: str | None = Field(
        default=None,
        description="Any SQLAlchemy URL. Wins over the POSTGRES_* parts. Unset with no "
        "POSTGRES_* parts means embedded SQLite in the data directory.",
    )
    postgres_user: str = Field(default="veelocity", description="PostgreSQL user.")
    postgres_password: SecretStr | None = Field(default=None, description="PostgreSQL password.")
    postgres_db: str = Field(default="veelocity", description="PostgreSQL database name.")
    postgres_host: str = Field(default="localhost", description="PostgreSQL host.")
    postgres_port: int = Field(default=5432, ge=1, le=65535, description="PostgreSQL port.")
    database_connect_timeout_seconds: int = Field(
        default=2,
        ge=1,
        le=120,
        description="Give up connecting to the database after this (libpq waits 2 s at least).",
    )
    database_statement_timeout_seconds: int = Field(
        default=30, ge=1, le=3600, description="PostgreSQL statement timeout for API queries."
    )
    database_sync_statement_timeout_seconds: int = Field(
        default=600,
        ge=1,
        le=86400,
        description="PostgreSQL statement timeout for sync work, which has a connection pool "
        "of its own.",
    )
    database_pool_timeout_seconds: float = Field(
        default=2.0,
        ge=0.1,
        le=60,
        description="A request that waits this long for a free database connection gets 503.",
    )
    database_unresponsive_seconds: float = Field(
        default=1.0,
        ge=0.2,
        le=60,
        description="A database that leaves a `SELECT 1` unanswered this long counts as "
        "unavailable: requests get 503 at once and statements in flight are abandoned until "
        "it answers again.",
    )

    # --- keys ---------------------------------------------------------------------------
    veelocity_encryption_key: SecretStr | None = Field(
        default=None, description="Fernet key that encrypts stored credentials. Required."
    )
    veelocity_encryption_key_rotating_from: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated older Fernet keys still accepted for decryption.",
    )
    jwt_secret_key: SecretStr | None = Field(
        default=None, description="Secret that signs access tokens. Required; at least 32 chars."
    )
    access_token_minutes: int = Field(
        default=15, ge=1, le=60, description="Lifetime of an access token."
    )
    session_max_hours: int = Field(
        default=12,
        ge=1,
        le=24 * 30,
        description="A refresh-token chain ends this long after login; then sign in again.",
    )

    # --- HTTP ---------------------------------------------------------------------------
    cors_allowed_origins: CommaList = Field(
        default_factory=list,
        description="Comma-separated allowed origins. Empty allows all (warned in production).",
    )
    forwarded_allow_ips: CommaList = Field(
        default_factory=lambda: ["127.0.0.1"],
        description="Proxies trusted to set X-Forwarded-For/-Proto ('*' trusts all).",
    )
    max_request_body_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="Larger request bodies get 413."
    )
    metrics_enabled: bool = Field(default=True, description="Serve Prometheus metrics at /metrics.")
    web_concurrency: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="Uvicorn worker processes. Default: one per CPU, at most 4 (each keeps its "
        "own database pool); at most 2 on SQLite, which writes one transaction at a time; one "
        "when DEBUG is on.",
    )
    max_requests_in_flight: int = Field(
        default=16,
        ge=1,
        le=1000,
        description="Requests a worker process handles at once; the next ones wait in a short "
        "queue (as long again).",
    )
    request_queue_timeout_ms: int = Field(
        default=500,
        ge=0,
        le=60_000,
        description="A request that cannot start within this long, or finds the queue full, "
        "gets 503 with Retry-After instead of waiting (the health check is never refused).",
    )
    veelocity_host: str = Field(default="127.0.0.1", description="Address `veelocity serve` binds.")
    veelocity_port: int = Field(default=8000, ge=1, le=65535, description="Port it listens on.")
    veelocity_spa_dir: Path | None = Field(
        default=None,
        description="Built SPA to serve at / in single-process mode (default: frontend/dist).",
    )

    # --- sync ---------------------------------------------------------------------------
    scheduler_enabled: bool = Field(
        default=True,
        description="Run the sync scheduler inside the web process. Set false on web replicas "
        "when dedicated `veelocity worker` processes run the schedule.",
    )
    scheduler_lock_lease_seconds: int = Field(
        default=60,
        ge=5,
        le=3600,
        description="PostgreSQL ends the job-lock session of a replica that stops answering "
        "(frozen, partitioned) after this long, so another replica can take the job over.",
    )
    veelocity_demo: bool = Field(
        default=False,
        description="The instance syncs from the built-in demo upstream (`veelocity demo` sets "
        "it): the web app labels its data as demo data.",
    )

    # --- sources ------------------------------------------------------------------------
    deployment_patterns: CommaList = Field(
        default_factory=lambda: ["deploy", "release", "publish"],
        description="Comma-separated patterns that mark deployment workflows (default for "
        "Settings until an admin changes them).",
    )
    production_environment_pattern: str = Field(
        default="prod|production|live",
        description="Regular expression (case-insensitive) for production environment names.",
    )
    bot_patterns: CommaList = Field(
        default_factory=list,
        description="Extra comma-separated login patterns (shell-style, e.g. ci-*) that are "
        "bots, besides logins ending in [bot], -bot or _bot.",
    )
    first_deployment_window_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="A repository's first known deployment ships only commits authored or "
        "merged this many days before it.",
    )
    incident_patterns: CommaList = Field(
        default_factory=lambda: ["incident"],
        description="Comma-separated label or type names that mark issues as incidents "
        "(default for Settings until an admin changes them).",
    )
    incident_attribution_window_days: int = Field(
        default=7,
        ge=1,
        le=365,
        description="An incident is attributed to the latest deployment this many days before it.",
    )
    hotfix_patterns: CommaList = Field(
        default_factory=lambda: ["hotfix"],
        description="Comma-separated labels or branch/title prefixes that mark a hotfix PR "
        "(a title may also start with the pattern in brackets, `[hotfix]`).",
    )
    sentry_incident_min_events: int = Field(
        default=100,
        ge=1,
        description="A Sentry issue becomes an incident with this many events within 24 h of "
        "its first event (or its regression).",
    )
    sentry_incident_min_users: int = Field(
        default=10,
        ge=1,
        description="A Sentry issue becomes an incident when this many users see it within "
        "24 h of its first event (or its regression).",
    )
    sentry_incident_levels: CommaList = Field(
        default_factory=lambda: ["error", "fatal"],
        description="Comma-separated Sentry issue levels that can become incidents.",
    )
    sentry_release_pattern: str | None = Field(
        default=None,
        max_length=300,
        description="A regular expression with one group, matched against a Sentry release's "
        "version: the group names the commit SHA, or the tag or name of a GitHub release "
        "deployment (`[^@]+@v?(.+)` maps `checkout@1.4.0` to the release `v1.4.0`).",
    )
    stale_pr_days: int = Field(
        default=3, ge=1, le=365, description="Open PRs without activity this long are stale."
    )
    pr_size_exclude: CommaList = Field(
        default_factory=lambda: ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "*.lock"],
        description="Comma-separated file patterns left out of PR size when file lists are known.",
    )
    ai_author_patterns: CommaList = Field(
        default_factory=lambda: [
            "copilot-swe-agent*",
            "devin-ai-integration*",
            "codex*",
            "claude*",
        ],
        description="Comma-separated logins or shell-style patterns of AI agents that open "
        "pull requests: such a PR is AI-assisted.",
    )
    ai_pr_patterns: CommaList = Field(
        default_factory=lambda: ["ai", "ai-*", "copilot", "cursor"],
        description="Comma-separated labels or shell-style label patterns that mark a pull "
        "request as AI-assisted.",
    )
    ai_review_bots: CommaList = Field(
        default_factory=lambda: [
            "greptile-apps[bot]",
            "greptile-apps",
            "coderabbitai[bot]",
            "copilot-pull-request-reviewer[bot]",
            "cursor[bot]",
            "sourcery-ai[bot]",
        ],
        description="Comma-separated accounts (exact logins, or shell-style patterns) whose "
        "reviews or review comments before the merge make a pull request AI-reviewed.",
    )
    min_group_size: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="No AI figure is shown for a group of fewer people than this.",
    )
    dora_levels_table: str = Field(
        default="2023",
        pattern="^(2021|2023)$",
        description="Which DORA performance-level table to use by default: 2023 or 2021.",
    )
    outbound_host_allowlist: CommaList = Field(
        default_factory=list,
        description="Hosts on private or loopback networks that source base URLs may use "
        "(for GitHub Enterprise or self-hosted Sentry inside your network).",
    )
    outbound_allow_private_networks: bool = Field(
        default=False,
        description="Let source base URLs use any loopback or private address, not only the "
        "hosts in OUTBOUND_HOST_ALLOWLIST. Cloud metadata and link-local addresses stay refused.",
    )
    rate_limit_max_per_sync: int = Field(default=500, ge=1, description="Max GitHub calls a sync.")
    rate_limit_max_per_hour: int = Field(
        default=4000, ge=1, description="Max GitHub calls an hour."
    )
    rate_limit_delay_ms: int = Field(default=100, ge=0, description="Delay between GitHub calls.")
    github_oauth_client_id: str | None = Field(default=None, description="GitHub OAuth app id.")
    github_oauth_client_secret: SecretStr | None = Field(
        default=None, description="GitHub OAuth app secret."
    )
    github_oauth_base_url: str = Field(
        default="https://github.com",
        description="Where GitHub's OAuth pages live (https://HOST for GitHub Enterprise).",
    )
    oauth_backend_base_url: str | None = Field(
        default=None,
        description="The backend's public URL; GitHub redirects to "
        "OAUTH_BACKEND_BASE_URL/api/v1/auth/github/callback.",
    )
    oauth_frontend_redirect_url: str | None = Field(
        default=None, description="Where the browser returns after Connect with GitHub."
    )
    github_sync_workers: int = Field(
        default=4,
        ge=1,
        le=16,
        description="Repositories a GitHub sync fetches at once (RATE_LIMIT_DELAY_MS still "
        "spaces every call).",
    )

    # --- validation ---------------------------------------------------------------------
    @field_validator(
        "cors_allowed_origins",
        "forwarded_allow_ips",
        "deployment_patterns",
        "outbound_host_allowlist",
        "veelocity_encryption_key_rotating_from",
        "bot_patterns",
        "incident_patterns",
        "hotfix_patterns",
        "sentry_incident_levels",
        "pr_size_exclude",
        "ai_author_patterns",
        "ai_pr_patterns",
        "ai_review_bots",
        mode="before",
    )
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        return _split_commas(value)

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _valid_proxy_addresses(cls, value: list[str]) -> list[str]:
        for item in value:
            if item == "*":
                continue
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError as exc:
                raise ValueError(f"expected IP addresses or networks, got {item!r}") from exc
        return value

    @field_validator("sentry_release_pattern")
    @classmethod
    def _valid_release_pattern(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        if compiled.groups < 1:
            raise ValueError("needs a group naming the commit or release tag")
        return value

    @field_validator("cors_allowed_origins")
    @classmethod
    def _valid_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ValueError(f"expected origins like https://app.example.com, got {origin!r}")
        return [origin.rstrip("/") for origin in value]

    @field_validator("github_oauth_base_url", "oauth_backend_base_url")
    @classmethod
    def _valid_base_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"expected a URL like https://veelocity.example.com, got {value!r}")
        return value.rstrip("/") if value else value

    @field_validator("oauth_frontend_redirect_url")
    @classmethod
    def _valid_redirect_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://", "/")):
            raise ValueError(f"expected a URL or a path starting with /, got {value!r}")
        return value

    @field_validator("production_environment_pattern")
    @classmethod
    def _valid_regex(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"expected a regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _default_log_format(self) -> Settings:
        if self.log_format is None:
            fmt = LogFormat.CONSOLE if self.debug else LogFormat.JSON
            object.__setattr__(self, "log_format", fmt)
        return self

    # --- derived values -----------------------------------------------------------------
    @property
    def uses_postgres_parts(self) -> bool:
        """True when the operator configured PostgreSQL through the POSTGRES_* variables."""
        return bool({"postgres_password", "postgres_host"} & self.model_fields_set)

    @property
    def sqlalchemy_url(self) -> str:
        """The database to use: DATABASE_URL, else POSTGRES_* parts, else embedded SQLite."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        if self.uses_postgres_parts:
            from sqlalchemy.engine import URL

            password = self.postgres_password.get_secret_value() if self.postgres_password else None
            return URL.create(
                "postgresql+psycopg",
                username=self.postgres_user,
                password=password,
                host=self.postgres_host,
                port=self.postgres_port,
                database=self.postgres_db,
            ).render_as_string(hide_password=False)
        return f"sqlite:///{(self.veelocity_data_dir / 'veelocity.db').resolve()}"

    @property
    def web_workers(self) -> int:
        """WEB_CONCURRENCY, or the default for this machine and database (one process in
        development: it starts at once and logs in one stream)."""
        if self.web_concurrency is not None:
            return self.web_concurrency
        if self.debug:
            return 1
        return default_web_workers(
            available_cpus(), sqlite=self.sqlalchemy_url.startswith("sqlite")
        )

    @property
    def github_oauth_available(self) -> bool:
        """Connect with GitHub is offered when the OAuth app's id and secret are both set."""
        return bool(self.github_oauth_client_id and self.github_oauth_client_secret)

    @property
    def spa_dir(self) -> Path:
        return self.veelocity_spa_dir or _SOURCE_TREE_SPA


#: Each worker keeps a pool of up to 20 PostgreSQL connections; PostgreSQL allows 100.
MAX_DEFAULT_WORKERS = 4
#: SQLite takes one writer at a time, whichever process it is in; more readers add little.
MAX_DEFAULT_SQLITE_WORKERS = 2


def available_cpus() -> int:
    """CPUs this process may run on (a container's cpuset, not the host's count)."""
    return len(os.sched_getaffinity(0)) or 1


def default_web_workers(cpus: int, *, sqlite: bool) -> int:
    """One worker process per CPU, capped (see the caps above)."""
    cap = MAX_DEFAULT_SQLITE_WORKERS if sqlite else MAX_DEFAULT_WORKERS
    return max(1, min(cpus, cap))


def normalise_database_url(url: str) -> str:
    """Accept the common `postgres://` and `postgresql://` forms and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class SettingsError(Exception):
    """A setting is missing or wrong; the message names the variable and what it expects."""


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, naming the environment variable and what it expects."""
    lines = []
    for item in error.errors():
        field = str(item["loc"][0]).upper() if item["loc"] else "settings"
        message = item["msg"].removeprefix("Value error, ")
        given = item.get("input")
        shown = (
            ""
            if "key" in field.lower() or "password" in field.lower() or "secret" in field.lower()
            else f" (got {given!r})"
        )
        lines.append(f"invalid setting {field}: {message}{shown}")
    return "; ".join(lines)


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment; raise SettingsError with a clear message."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None

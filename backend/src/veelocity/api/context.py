"""What request handlers share: settings, the database, the cipher and the token policy."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from veelocity.accounts.sessions import TokenPolicy
from veelocity.core.config import Settings
from veelocity.core.db_monitor import DatabaseMonitor
from veelocity.core.security.crypto import SecretCipher
from veelocity.metrics.cache import MetricCache
from veelocity.sync.runs import SyncOrchestrator
from veelocity.sync.scheduler import Scheduler


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    cipher: SecretCipher
    #: Sync work's own engine: longer statement timeout, a pool apart from the requests'.
    sync_engine: Engine
    sync_session_factory: sessionmaker[Session]
    #: Probes the database; the health check reads it, an outage makes requests fail fast.
    database_monitor: DatabaseMonitor
    started_monotonic: float = field(default_factory=time.monotonic)
    #: Stored secrets the configured keys cannot decrypt (checked at startup).
    unreadable_secrets: int = 0
    #: This process's sync scheduler, while it runs (None when SCHEDULER_ENABLED=false).
    scheduler: Scheduler | None = None
    #: Queues, runs and cancels this process's sync runs (set by create_app).
    sync: SyncOrchestrator | None = None
    #: Metrics computed by this process, per data version.
    metric_cache: MetricCache = field(default_factory=MetricCache)

    @property
    def token_policy(self) -> TokenPolicy:
        assert self.settings.jwt_secret_key is not None
        return TokenPolicy(
            secret=self.settings.jwt_secret_key.get_secret_value(),
            access_lifetime=timedelta(minutes=self.settings.access_token_minutes),
            session_lifetime=timedelta(hours=self.settings.session_max_hours),
        )

"""Reading and writing source settings; secrets go in and never come back out in clear.

The only way a secret leaves this module decrypted is `read_secret`, for the connector that
needs it. Views for the API carry `configured` and the last four characters.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veelocity.core.config import Settings
from veelocity.core.security.crypto import SecretCipher, SecretDecryptionError
from veelocity.core.time import utcnow
from veelocity.credentials.catalogue import SOURCES, SourceName
from veelocity.derive.config import DeriveConfig
from veelocity.models import AppSetting, SourceConfig, StoredSecret

DEPLOYMENT_PATTERNS_KEY = "deployment_patterns"
INCIDENT_PATTERNS_KEY = "incident_patterns"


@dataclass(frozen=True)
class SecretView:
    configured: bool
    last4: str | None
    readable: bool = True


def _last4(value: str) -> str | None:
    # Short secrets would be half revealed by their last four characters.
    return value[-4:] if len(value) >= 12 else None


def _stored_secrets(session: Session, source: SourceName) -> dict[str, StoredSecret]:
    rows = session.scalars(select(StoredSecret).where(StoredSecret.source == source.value))
    return {row.name: row for row in rows}


def source_view(
    session: Session, cipher: SecretCipher | None, source: SourceName
) -> dict[str, Any]:
    """Options as stored (or defaults) and each secret as a SecretView."""
    fields = SOURCES[source]
    config = session.get(SourceConfig, source.value)
    options = copy.deepcopy(fields.options)
    if config is not None:
        options.update({k: v for k, v in config.options.items() if k in fields.options})
    stored = _stored_secrets(session, source)
    view: dict[str, Any] = dict(options)
    for name in fields.secrets:
        row = stored.get(name)
        if row is None:
            view[name] = SecretView(configured=False, last4=None)
            continue
        try:
            clear = cipher.decrypt(row.ciphertext) if cipher else None
        except SecretDecryptionError:
            clear = None
        view[name] = SecretView(
            configured=True, last4=_last4(clear) if clear else None, readable=clear is not None
        )
    return view


def update_source(
    session: Session,
    cipher: SecretCipher,
    source: SourceName,
    *,
    options: dict[str, Any],
    secrets: dict[str, str | None],
    actor_id: int | None,
) -> dict[str, Any]:
    """Store options and secrets (None clears a secret). Returns what changed, without values
    for secrets, for the audit log."""
    fields = SOURCES[source]
    now = utcnow()
    changes: dict[str, Any] = {}
    config = session.get(SourceConfig, source.value)
    if options:
        if config is None:
            config = SourceConfig(source=source.value, options={}, updated_at=now)
            session.add(config)
        merged = dict(config.options)
        for name, value in options.items():
            if merged.get(name, fields.options.get(name)) != value:
                changes[name] = {"from": merged.get(name, fields.options.get(name)), "to": value}
            merged[name] = value
        config.options = merged
        config.updated_at = now
        config.updated_by = actor_id
    stored = _stored_secrets(session, source)
    for name, value in secrets.items():
        row = stored.get(name)
        if value is None:
            if row is not None:
                session.delete(row)
                changes[name] = "cleared"
            continue
        if row is None:
            session.add(
                StoredSecret(
                    source=source.value, name=name, ciphertext=cipher.encrypt(value), updated_at=now
                )
            )
        else:
            row.ciphertext = cipher.encrypt(value)
            row.updated_at = now
        changes[name] = "set"
    session.flush()
    return changes


def read_secret(
    session: Session, cipher: SecretCipher, source: SourceName, name: str
) -> str | None:
    row = session.scalar(
        select(StoredSecret).where(StoredSecret.source == source.value, StoredSecret.name == name)
    )
    return cipher.decrypt(row.ciphertext) if row else None


@dataclass(frozen=True)
class RotationReport:
    rewritten: int
    already_current: int
    unreadable: int


def rotate_secrets(session: Session, cipher: SecretCipher) -> RotationReport:
    """Re-encrypt every stored secret with the current key."""
    rewritten = current = unreadable = 0
    for row in session.scalars(select(StoredSecret).with_for_update()):
        try:
            if not cipher.needs_rotation(row.ciphertext):
                current += 1
                continue
            row.ciphertext = cipher.rotate(row.ciphertext)
            row.updated_at = utcnow()
            rewritten += 1
        except SecretDecryptionError:
            unreadable += 1
    session.flush()
    return RotationReport(rewritten, current, unreadable)


def count_unreadable_secrets(session: Session, cipher: SecretCipher) -> int:
    unreadable = 0
    for ciphertext in session.scalars(select(StoredSecret.ciphertext)):
        try:
            cipher.decrypt(ciphertext)
        except SecretDecryptionError:
            unreadable += 1
    return unreadable


def _patterns(session: Session, key: str, default: list[str]) -> list[str]:
    row = session.get(AppSetting, key)
    return list(row.value) if row is not None else list(default)


def _set_patterns(session: Session, key: str, patterns: list[str]) -> None:
    row = session.get(AppSetting, key)
    if row is None:
        session.add(AppSetting(key=key, value=patterns, updated_at=utcnow()))
    else:
        row.value = patterns
        row.updated_at = utcnow()
    session.flush()


def deployment_patterns(session: Session, default: list[str]) -> list[str]:
    return _patterns(session, DEPLOYMENT_PATTERNS_KEY, default)


def set_deployment_patterns(session: Session, patterns: list[str]) -> None:
    _set_patterns(session, DEPLOYMENT_PATTERNS_KEY, patterns)


def incident_patterns(session: Session, default: list[str]) -> list[str]:
    return _patterns(session, INCIDENT_PATTERNS_KEY, default)


def set_incident_patterns(session: Session, patterns: list[str]) -> None:
    _set_patterns(session, INCIDENT_PATTERNS_KEY, patterns)


SENTRY_THRESHOLDS_KEY = "sentry_thresholds"


@dataclass(frozen=True)
class SentryThresholds:
    """When a Sentry issue is an incident: saved in Settings, else the environment's."""

    min_events: int
    min_users: int
    levels: tuple[str, ...]
    saved: bool


def sentry_thresholds(session: Session, settings: Settings) -> SentryThresholds:
    row = session.get(AppSetting, SENTRY_THRESHOLDS_KEY)
    if row is None or not isinstance(row.value, dict):
        return SentryThresholds(
            settings.sentry_incident_min_events,
            settings.sentry_incident_min_users,
            tuple(level.lower() for level in settings.sentry_incident_levels),
            saved=False,
        )
    value = row.value
    return SentryThresholds(
        int(value["min_events"]),
        int(value["min_users"]),
        tuple(str(level) for level in value["levels"]),
        saved=True,
    )


def set_sentry_thresholds(
    session: Session, min_events: int, min_users: int, levels: list[str]
) -> None:
    value = {"min_events": min_events, "min_users": min_users, "levels": levels}
    row = session.get(AppSetting, SENTRY_THRESHOLDS_KEY)
    if row is None:
        session.add(AppSetting(key=SENTRY_THRESHOLDS_KEY, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()
    session.flush()


def forget_sentry_thresholds(session: Session) -> None:
    row = session.get(AppSetting, SENTRY_THRESHOLDS_KEY)
    if row is not None:
        session.delete(row)
        session.flush()


def derive_config(session: Session, settings: Settings) -> DeriveConfig:
    """Derive's choices: the settings, with the patterns and thresholds admins saved."""
    thresholds = sentry_thresholds(session, settings)
    return replace(
        DeriveConfig.from_settings(
            settings,
            deployment_patterns(session, settings.deployment_patterns),
            incident_patterns(session, settings.incident_patterns),
        ),
        sentry_incident_min_events=thresholds.min_events,
        sentry_incident_min_users=thresholds.min_users,
        sentry_incident_levels=thresholds.levels,
    )

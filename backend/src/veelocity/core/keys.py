"""The two keys the service needs: the Fernet key for stored credentials and the JWT secret.

Production (DEBUG=false) requires both from the environment. A development start generates
them once, keeps them in the data directory with mode 0600, and reuses them on later starts.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from pydantic import SecretStr

from veelocity.core.config import Settings, SettingsError

MIN_JWT_SECRET_LENGTH = 32
KEYS_DIRNAME = "keys"


@dataclass(frozen=True)
class GeneratedKey:
    variable: str
    path: Path
    created: bool


def _read_or_create(path: Path, make: Callable[[], str]) -> tuple[str, bool]:
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # O_EXCL: two processes starting at once never overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip(), False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(make() + "\n")
    return path.read_text(encoding="utf-8").strip(), True


def resolve_keys(settings: Settings) -> tuple[Settings, list[GeneratedKey]]:
    """Return settings with both keys present, or raise SettingsError naming what is missing."""
    generated: list[GeneratedKey] = []
    updates: dict[str, SecretStr] = {}
    wanted = {
        "VEELOCITY_ENCRYPTION_KEY": (
            settings.veelocity_encryption_key,
            "encryption.key",
            lambda: Fernet.generate_key().decode(),
        ),
        "JWT_SECRET_KEY": (
            settings.jwt_secret_key,
            "jwt.key",
            lambda: secrets.token_urlsafe(48),
        ),
    }
    for variable, (current, filename, make) in wanted.items():
        if current is not None and current.get_secret_value():
            continue
        if not settings.debug:
            raise SettingsError(
                f"missing setting {variable}: it is required when DEBUG=false "
                f"(see docs/deployment.md for how to generate it)"
            )
        path = settings.veelocity_data_dir / KEYS_DIRNAME / filename
        value, created = _read_or_create(path, make)
        updates[variable.lower()] = SecretStr(value)
        generated.append(GeneratedKey(variable, path, created))
    resolved = settings.model_copy(update=updates) if updates else settings
    check_keys(resolved)
    return resolved, generated


def check_keys(settings: Settings) -> None:
    """Refuse malformed keys with a message naming the variable."""
    assert settings.veelocity_encryption_key is not None
    candidates = [("VEELOCITY_ENCRYPTION_KEY", settings.veelocity_encryption_key)] + [
        ("VEELOCITY_ENCRYPTION_KEY_ROTATING_FROM", key)
        for key in settings.veelocity_encryption_key_rotating_from
    ]
    for variable, key in candidates:
        try:
            Fernet(key.get_secret_value().encode())
        except (ValueError, TypeError):
            raise SettingsError(
                f"invalid setting {variable}: expected a Fernet key (32 url-safe base64-encoded "
                "bytes, as printed by Fernet.generate_key())"
            ) from None
    assert settings.jwt_secret_key is not None
    if (
        not settings.debug
        and len(settings.jwt_secret_key.get_secret_value()) < MIN_JWT_SECRET_LENGTH
    ):
        raise SettingsError(
            f"invalid setting JWT_SECRET_KEY: expected at least {MIN_JWT_SECRET_LENGTH} random "
            "characters, e.g. from secrets.token_urlsafe(32)"
        )

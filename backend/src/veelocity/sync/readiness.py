"""Whether a source has the settings it needs to sync, and what is missing in plain words."""

from __future__ import annotations

from sqlalchemy.orm import Session

from veelocity.core.security.crypto import SecretCipher
from veelocity.credentials import store
from veelocity.credentials.catalogue import SOURCES, SourceName

_TITLES = {
    SourceName.GITHUB: "GitHub",
    SourceName.LINEAR: "Linear",
    SourceName.SENTRY: "Sentry",
    SourceName.CURSOR: "Cursor",
    SourceName.GREPTILE: "Greptile",
}


def source_title(source: str) -> str:
    try:
        return _TITLES[SourceName(source)]
    except ValueError:
        return source


def missing_settings(session: Session, cipher: SecretCipher | None, source: str) -> list[str]:
    """The settings SOURCE still needs before it can sync (empty when it is configured)."""
    name = SourceName(source)
    view = store.source_view(session, cipher, name)
    missing = [secret for secret in SOURCES[name].required_secrets if not view[secret].configured]
    if name is SourceName.GITHUB and not (view["organizations"] or view["repositories"]):
        missing.append("organizations or repositories")
    if name is SourceName.SENTRY and not view["organization"]:
        missing.append("organization")
    return missing


def not_configured_message(source: str, missing: list[str]) -> str:
    title = source_title(source)
    return (
        f"{title} is not configured: set {', '.join(missing)} in Settings → {title} "
        f"(PUT /api/v1/settings/sources/{source})."
    )

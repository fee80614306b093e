"""The OpenAPI document, built from the real application (used by the typed web client)."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from pydantic import SecretStr


def build_openapi() -> dict[str, Any]:
    from veelocity.app import create_app
    from veelocity.core.config import Settings

    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            debug=True,
            veelocity_data_dir=Path(scratch),
            database_url=f"sqlite:///{scratch}/openapi.db",
            veelocity_encryption_key=SecretStr(Fernet.generate_key().decode()),
            jwt_secret_key=SecretStr(secrets.token_urlsafe(32)),
            log_level="WARNING",
        )
        app = create_app(settings)
        document = app.openapi()
        app.state.context.engine.dispose()
        return document

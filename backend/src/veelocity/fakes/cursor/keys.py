"""The API keys the fake Cursor accepts: HTTP Basic, the key as username, empty password."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

# The key the demo configures Veelocity with. It only opens this local fake.
DEMO_KEY = "key_" + "0" * 60 + "demo"  # pragma: allowlist secret


@dataclass(frozen=True, slots=True)
class KeySpec:
    """A key and its team's plan: `enterprise=False` is refused by the Admin API (403);
    `ai_code_tracking=False` is refused by the AI code tracking API (403)."""

    key: str
    enterprise: bool = True
    ai_code_tracking: bool = True


def basic_username(authorization: str) -> str | None:
    """The username of an HTTP Basic `Authorization` header, or None."""
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme.lower() != "basic" or not rest.strip():
        return None
    try:
        decoded = base64.b64decode(rest.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, _, _password = decoded.partition(":")
    return username or None

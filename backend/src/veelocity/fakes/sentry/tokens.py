"""Accepted credentials: auth tokens (`Bearer`) and legacy API keys (Basic, key as username)."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

# The token the demo configures Veelocity with. It only opens this local fake.
DEMO_TOKEN = "sntrys_demo0000000000000000000000000000000000000000"  # noqa: S105  # pragma: allowlist secret

#: the read scopes Veelocity asks for
READ_SCOPES = frozenset({"org:read", "project:read", "event:read"})


@dataclass(frozen=True, slots=True)
class TokenSpec:
    """A credential the fake accepts and the scopes it carries.

    `api_key=True`: a legacy API key, sent as HTTP Basic with the key as username and an empty
    password; otherwise an auth token sent as `Bearer <token>`.
    """

    token: str
    scopes: frozenset[str] = READ_SCOPES
    api_key: bool = False


@dataclass(frozen=True, slots=True)
class Credential:
    value: str
    api_key: bool


def credential(authorization: str) -> Credential | None:
    """What an `Authorization` header carries, or None when it carries nothing usable."""
    scheme, _, rest = authorization.strip().partition(" ")
    rest = rest.strip()
    if scheme.lower() == "bearer" and rest:
        return Credential(rest, api_key=False)
    if scheme.lower() == "basic" and rest:
        try:
            decoded = base64.b64decode(rest, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, _, _password = decoded.partition(":")
        return Credential(username, api_key=True) if username else None
    return None

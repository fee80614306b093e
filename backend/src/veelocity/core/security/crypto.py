"""Encryption of stored credentials with MultiFernet, so keys rotate without downtime."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr


class SecretDecryptionError(Exception):
    """A stored secret cannot be decrypted with the configured keys."""


class SecretCipher:
    """Encrypts with the current key; decrypts with the current or any rotating-from key."""

    def __init__(self, current: SecretStr, rotating_from: list[SecretStr] | None = None) -> None:
        keys = [current, *(rotating_from or [])]
        self._fernet = MultiFernet([Fernet(key.get_secret_value().encode()) for key in keys])
        self._current_only = Fernet(current.get_secret_value().encode())

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise SecretDecryptionError("stored secret cannot be decrypted") from None

    def needs_rotation(self, token: str) -> bool:
        """True when the token was not written with the current key."""
        try:
            self._current_only.decrypt(token.encode("ascii"))
        except InvalidToken:
            return True
        return False

    def rotate(self, token: str) -> str:
        """Re-encrypt with the current key (raises SecretDecryptionError when unreadable)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise SecretDecryptionError("stored secret cannot be decrypted") from None

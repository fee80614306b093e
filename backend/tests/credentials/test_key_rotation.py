"""Fernet keys rotate without downtime; a wrong key is reported, never silently ignored."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr
from sqlalchemy import create_engine, text

from tests.conftest import setup_admin

TOKEN = "ghp_rotationCanary0123456789abcdefLAST"


def _env(database_url: str, tmp_path, current: str, rotating: str = "") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "VEELOCITY_DATA_DIR": str(tmp_path),
        "VEELOCITY_ENCRYPTION_KEY": current,
        "VEELOCITY_ENCRYPTION_KEY_ROTATING_FROM": rotating,
        "JWT_SECRET_KEY": "j" * 40,
    }


def _ciphertexts(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT ciphertext FROM stored_secret")).scalars().all()
    engine.dispose()
    return list(rows)


def test_rotation_from_k1_to_k2(make_client, database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    first = make_client(veelocity_encryption_key=SecretStr(k1))
    headers = setup_admin(first)
    first.put("/api/v1/settings/sources/github", json={"token": TOKEN}, headers=headers)
    first.put(
        "/api/v1/settings/sources/linear",
        json={"api_key": "lin_api_rotation_0001"},
        headers=headers,
    )

    # Restart with K2 current and K1 still accepted: everything reads.
    second = make_client(
        veelocity_encryption_key=SecretStr(k2),
        veelocity_encryption_key_rotating_from=[SecretStr(k1)],
    )
    view = second.get("/api/v1/settings", headers=headers).json()
    assert view["sources"]["github"]["token"] == {"configured": True, "last4": "LAST"}
    assert view["unreadable_secrets"] == 0

    result = subprocess.run(
        [sys.executable, "-m", "veelocity", "keys", "rotate"],
        env=_env(database_url, tmp_path, k2, k1),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "re-encrypted 2 secrets" in result.stdout

    for ciphertext in _ciphertexts(database_url):
        Fernet(k2.encode()).decrypt(ciphertext.encode())
        with pytest.raises(InvalidToken):
            Fernet(k1.encode()).decrypt(ciphertext.encode())

    third = make_client(veelocity_encryption_key=SecretStr(k2))
    assert (
        third.get("/api/v1/settings", headers=headers).json()["sources"]["github"]["token"]["last4"]
        == "LAST"
    )
    audit = third.get("/api/v1/audit?action=keys.rotated", headers=headers).json()["items"]
    assert audit[0]["details"]["rewritten"] == 2


def test_a_wrong_key_at_startup_is_detected_and_reported(
    make_client,
    capfd,  # type: ignore[no-untyped-def]
) -> None:
    first = make_client()
    headers = setup_admin(first)
    first.put("/api/v1/settings/sources/github", json={"token": TOKEN}, headers=headers)
    capfd.readouterr()

    wrong = make_client(veelocity_encryption_key=SecretStr(Fernet.generate_key().decode()))
    assert "stored secrets cannot be decrypted" in capfd.readouterr().err
    settings = wrong.get("/api/v1/settings", headers=headers).json()
    assert settings["unreadable_secrets"] == 1
    # Shown as configured but never as garbage or ciphertext.
    assert settings["sources"]["github"]["token"] == {"configured": True, "last4": None}
    assert wrong.get("/api/v1/status", headers=headers).json()["unreadable_secrets"] == 1

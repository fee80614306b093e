"""Single-process mode as `make run` starts it: development keys, SQLite, the SPA at /."""

import json
import stat
from pathlib import Path

import httpx
import pytest

from tests.server_process import SPA_DIR, running_server


def test_development_start_generates_keys_and_serves_everything(tmp_path: Path) -> None:
    spa_dir = tmp_path / "spa"
    (spa_dir / "assets").mkdir(parents=True)
    (spa_dir / "index.html").write_text(
        "<!doctype html><title>Veelocity</title><div id=root></div>"
    )
    (spa_dir / "assets" / "index-3f9a1c.js").write_text("console.log('app')")

    env = {"DEBUG": "true", "LOG_FORMAT": "json", "VEELOCITY_SPA_DIR": str(spa_dir)}
    with running_server(tmp_path, env) as (base, log_path):
        keys = tmp_path / "data" / "keys"
        for name in ("encryption.key", "jwt.key"):
            assert stat.S_IMODE((keys / name).stat().st_mode) == 0o600
        assert (tmp_path / "data" / "veelocity.db").is_file()
        log_records = [
            json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")
        ]
        generated = [r for r in log_records if r["event"] == "generated a development key"]
        assert {r["variable"] for r in generated} == {"VEELOCITY_ENCRYPTION_KEY", "JWT_SECRET_KEY"}
        key_text = (keys / "encryption.key").read_text().strip()
        assert key_text not in log_path.read_text()

        assert httpx.get(f"{base}/health").text == "ok"
        root = httpx.get(f"{base}/")
        assert root.status_code == 200
        assert "<div id=root>" in root.text
        assert "script-src 'self'" in root.headers["content-security-policy"]
        deep = httpx.get(f"{base}/settings?tab=users")
        assert deep.status_code == 200
        assert "<div id=root>" in deep.text
        asset = httpx.get(f"{base}/assets/index-3f9a1c.js")
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        for probe in ("/.env", "/.git/config", "/backup.sql", "/assets/missing.js"):
            assert httpx.get(f"{base}{probe}").status_code == 404, probe
        assert httpx.get(f"{base}/api/v1/nothing").json()["error"]["code"] == "not_found"
        assert "server" not in root.headers

    # A second start reuses the stored keys.
    with running_server(tmp_path, env) as (_, log_path):
        assert "generated a development key" not in log_path.read_text()


def test_the_built_web_app_is_served(tmp_path: Path) -> None:
    if not (SPA_DIR / "index.html").is_file():
        pytest.skip("the web app is not built")
    with running_server(tmp_path, {"DEBUG": "true", "VEELOCITY_SPA_DIR": str(SPA_DIR)}) as (
        base,
        _,
    ):
        page = httpx.get(f"{base}/")
        assert '<div id="root">' in page.text
        script = next(
            part.split('"')[0]
            for part in page.text.split('src="')[1:]
            if part.startswith("/assets/")
        )
        assert httpx.get(base + script).status_code == 200

"""Browser tests: the real backend (single-process mode, serving the built SPA) in a
subprocess, driven through headless Chromium with Playwright.

In CI (CI=true) a missing Chromium or a missing SPA build fails the run instead of skipping.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.server_process import SPA_DIR, running_server

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"browser tests are mandatory in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        _missing("chromium is not installed (apt-get install -y chromium)")
    assert path
    return path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A fresh Veelocity on a free port with its own SQLite database."""
    if not (SPA_DIR / "index.html").is_file():
        _missing(f"the web app is not built ({SPA_DIR}); run `make install`")
    env = {
        "DEBUG": "false",
        "VEELOCITY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "JWT_SECRET_KEY": secrets.token_urlsafe(32),
        "VEELOCITY_SPA_DIR": str(SPA_DIR),
        "LOG_LEVEL": "WARNING",
    }
    with running_server(tmp_path, env) as (base, _log):
        yield base


@pytest.fixture
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One real server per test module, seeded with the demo workspace through push ingest."""
    from tests.e2e.workspace import seed_workspace

    if not (SPA_DIR / "index.html").is_file():
        _missing(f"the web app is not built ({SPA_DIR}); run `make install`")
    env = {
        "DEBUG": "false",
        "VEELOCITY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "JWT_SECRET_KEY": secrets.token_urlsafe(32),
        "VEELOCITY_SPA_DIR": str(SPA_DIR),
        "LOG_LEVEL": "WARNING",
    }
    with running_server(tmp_path_factory.mktemp("workspace"), env) as (base, _log):
        yield seed_workspace(base)


@pytest.fixture(scope="module")
def module_browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()

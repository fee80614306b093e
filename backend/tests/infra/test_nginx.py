"""nginx run for real with infra/docker/nginx.conf serving the built web app.

The configuration is the image's, with only what the image decides replaced: the listen
address (a free loopback port instead of 8080), the web root (frontend/dist, copied), the
writable paths (/tmp, /dev/stdout, /dev/stderr → a temporary directory) and the API origin
the image build fills in. As in the image, nginx runs as an unprivileged user.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI, TEST_DB
from tests.infra.conftest import DOCKER, REPO, require_tool
from tests.server_process import free_port

DIST = REPO / "frontend" / "dist"
API_ORIGIN = "http://localhost:8000"

# Nothing here depends on the database: run once, in the SQLite pass.
pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")


IMAGE_SCRATCH = "/tmp/"  # noqa: S108  (the image's writable directory, replaced below)


def render(config: str, *, port: int, root: Path, scratch: Path) -> str:
    assert config.count(IMAGE_SCRATCH) == 6  # the pid file and five temporary directories
    config = config.replace(IMAGE_SCRATCH, f"{scratch}/")
    replacements = [
        ("listen 8080;", f"listen 127.0.0.1:{port};"),
        ("root /usr/share/nginx/html;", f"root {root};"),
        ("/dev/stdout", f"{scratch}/access.log"),
        ("/dev/stderr", f"{scratch}/error.log"),
        ("__API_ORIGIN__", API_ORIGIN),
    ]
    for old, new in replacements:
        assert old in config, old
        config = config.replace(old, new)
    return config


@pytest.fixture(scope="module")
def nginx() -> Iterator[str]:
    binary = require_tool("nginx", "serves the web app in the frontend image")
    if not (DIST / "index.html").is_file():
        message = "frontend/dist is not built (make install builds it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    scratch = Path(tempfile.mkdtemp(prefix="veelocity-nginx-"))
    root = scratch / "html"
    shutil.copytree(DIST, root)
    port = free_port()
    conf = scratch / "nginx.conf"
    conf.write_text(
        render((DOCKER / "nginx.conf").read_text(), port=port, root=root, scratch=scratch)
    )
    command = [binary, "-p", str(scratch), "-e", f"{scratch}/error.log", "-c", str(conf)]
    command += ["-g", "daemon off;"]
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for directory, _, files in os.walk(scratch):
            os.chown(directory, nobody.pw_uid, nobody.pw_gid)
            for name in files:
                os.chown(os.path.join(directory, name), nobody.pw_uid, nobody.pw_gid)
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    check = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (
                        (scratch / "error.log").read_text()
                        if (scratch / "error.log").exists()
                        else ""
                    )
                    pytest.fail(f"nginx did not start: {log}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


def _hashed_asset() -> str:
    index = (DIST / "index.html").read_text()
    match = re.search(r'src="(/assets/[^"]+\.js)"', index)
    assert match, "index.html loads no hashed script"
    return match.group(1)


def test_health_answers_ok(nginx: str) -> None:
    response = httpx.get(f"{nginx}/health")
    assert (response.status_code, response.text) == (200, "ok")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_the_app_and_its_deep_links_get_the_shell_uncached(nginx: str) -> None:
    index = (DIST / "index.html").read_text()
    for path in ("/", "/settings", "/settings/users?tab=1", "/status/"):
        response = httpx.get(f"{nginx}{path}")
        assert response.status_code == 200, path
        assert response.text == index, path
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache", path


def test_hashed_assets_are_cached_for_a_year(nginx: str) -> None:
    response = httpx.get(nginx + _hashed_asset())
    assert response.status_code == 200
    assert response.headers["cache-control"] == "max-age=31536000"
    assert "javascript" in response.headers["content-type"]
    assert "charset=utf-8" in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    ["/.env", "/.git/config", "/.git/", "/backup.sql", "/assets/", "/assets/missing.js", "/x.php"],
)
def test_files_that_do_not_exist_are_404_not_the_app(nginx: str, path: str) -> None:
    response = httpx.get(f"{nginx}{path}")
    assert response.status_code == 404, path
    assert '<div id="root">' not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_security_headers_and_no_version(nginx: str) -> None:
    response = httpx.get(f"{nginx}/")
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert f"connect-src 'self' {API_ORIGIN};" in csp
    assert headers.get("server") == "nginx", "the version must not be sent"
    assert "x-powered-by" not in headers


def test_unused_methods_are_refused(nginx: str) -> None:
    for method in ("TRACE", "DELETE", "PUT"):
        response = httpx.request(method, f"{nginx}/")
        assert response.status_code in {405, 501}, method

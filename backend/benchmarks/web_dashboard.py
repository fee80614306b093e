"""The web app's dashboard on the demo: the JavaScript it needs and how soon it is usable.

Starts `veelocity demo` (the fake GitHub and the generated organisation, synced by the real
backend, serving the built SPA), signs in with headless Chromium, then loads the dashboard
several times and prints:

- the JavaScript the dashboard downloads (every script response until the page is idle),
  raw and gzipped (level 9, as nginx or a CDN would send it);
- the time from navigation to interactive: every metric card shows its value (the page has
  fetched its data, drawn it, and answers clicks), median and worst of the runs.

    make frontend/dist/index.html
    cd backend && .venv/bin/python benchmarks/web_dashboard.py [--runs 7] [--seed 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

BACKEND = Path(__file__).resolve().parents[1]
SPA_DIR = BACKEND.parent / "frontend" / "dist"
EMAIL = "lead@example.com"
# A throwaway instance: a fresh random password for its admin.
PASSWORD = secrets.token_urlsafe(24)
CARDS = 8  # five DORA keys, review time, cycle time, throughput


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_demo(data_dir: Path, seed: int) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("POSTGRES_", "DATABASE", "VEELOCITY_", "JWT"))
    }
    env.update({"VEELOCITY_SPA_DIR": str(SPA_DIR), "LOG_LEVEL": "WARNING"})
    command = [sys.executable, "-m", "veelocity", "demo", "--port", str(port), "--seed", str(seed)]
    command += ["--data-dir", str(data_dir / "demo"), "--admin", EMAIL]
    log = (data_dir / "demo.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, env=env, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdin is not None
    process.stdin.write(PASSWORD + "\n")
    process.stdin.close()
    return process, f"http://127.0.0.1:{port}"


def _wait_until_synced(process: subprocess.Popen[str], base: str) -> float:
    started = time.monotonic()
    headers: dict[str, str] | None = None
    while time.monotonic() - started < 300:
        if process.poll() is not None:
            raise SystemExit("the demo exited; see its log")
        try:
            if headers is None:
                response = httpx.post(
                    f"{base}/api/v1/auth/login",
                    json={"email": EMAIL, "password": PASSWORD},
                    timeout=5,
                )
                if response.status_code == 200:
                    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
            else:
                source = httpx.get(f"{base}/api/v1/sync/status", headers=headers, timeout=10)
                first = source.json()["sources"][0]
                if first["last_run"] is not None and first["state"] == "idle":
                    return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("the demo's first sync did not end in 300 s")


def _measure(base: str, runs: int) -> tuple[dict[str, int], list[float]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed")
    scripts: dict[str, int] = {}
    timings: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/login")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_test_id("metric-value").nth(CARDS - 1).wait_for()

        def record(response: object) -> None:
            url = urlparse(response.url)  # type: ignore[attr-defined]
            if url.path.endswith(".js"):
                scripts[url.path] = len(response.body())  # type: ignore[attr-defined]

        for run in range(runs):
            if run == 0:
                page.on("response", record)
            # A fresh load of the dashboard by a signed-in person (the session comes back from
            # the refresh cookie, as after a reload).
            page.goto(base + "/", wait_until="commit")
            page.get_by_test_id("metric-value").nth(CARDS - 1).wait_for(timeout=30_000)
            timings.append(float(page.evaluate("performance.now()")) / 1000)
            if run == 0:
                page.wait_for_load_state("networkidle")
                page.remove_listener("response", record)
        browser.close()
    return scripts, timings


def _gzipped(path: str) -> tuple[int, int]:
    raw = (SPA_DIR / path.lstrip("/")).read_bytes()
    return len(raw), len(gzip.compress(raw, compresslevel=9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if not (SPA_DIR / "index.html").is_file():
        raise SystemExit(f"build the web app first: make frontend/dist/index.html ({SPA_DIR})")
    with tempfile.TemporaryDirectory() as scratch:
        process, base = _start_demo(Path(scratch), args.seed)
        try:
            synced = _wait_until_synced(process, base)
            scripts, timings = _measure(base, args.runs)
        finally:
            process.terminate()
            process.wait(timeout=20)
    print(f"demo started and first sync done in {synced:.1f} s")
    print("JavaScript the dashboard loads:")
    total_raw = total_gzip = 0
    for path in sorted(scripts):
        raw, packed = _gzipped(path)
        total_raw += raw
        total_gzip += packed
        print(f"  {path:<48} {raw / 1024:8.1f} KB  {packed / 1024:7.1f} KB gzipped")
    print(f"  {'total':<48} {total_raw / 1024:8.1f} KB  {total_gzip / 1024:7.1f} KB gzipped")
    print(f"  goal: at most 300 KB gzipped -> {'met' if total_gzip <= 300 * 1024 else 'MISSED'}")
    print(
        f"time to interactive ({len(timings)} loads, every card showing its value): "
        f"median {statistics.median(timings):.2f} s, worst {max(timings):.2f} s, "
        f"best {min(timings):.2f} s"
    )
    print(f"  goal: 1 s -> {'met' if statistics.median(timings) <= 1 else 'MISSED'} (median)")


if __name__ == "__main__":
    main()

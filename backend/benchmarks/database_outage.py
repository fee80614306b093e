"""Database outages: how the real server answers while PostgreSQL refuses or hangs.

Starts `veelocity serve` (its default worker processes) on a throwaway PostgreSQL database
reached through the loopback fault proxy of the test suite, keeps a steady load of API
reads and health checks on it, then for each kind of outage (refused: the listener and
every connection closed; hung: connections accepted and held, nothing forwarded) takes the
database away for `--seconds`, brings it back, and prints:

- the answer times during the outage (p50, p95, max) and how many took over 2 s;
- the answers by status and error code;
- how long after the database's return health answered 200, and an API read succeeded.

    cd backend
    .venv/bin/python benchmarks/database_outage.py                  # 30 s outages
    .venv/bin/python benchmarks/database_outage.py --seconds 10 --rate 40
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BACKEND = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BACKEND))

from tests.faults.outage import HEALTH, Answer, ask  # noqa: E402
from tests.faults.tcp_proxy import TcpProxy  # noqa: E402

READS = ("/api/v1/settings", "/api/v1/sync/runs")


@dataclass(frozen=True)
class Sent:
    at: float
    answer: Answer


class SteadyLoad:
    """RATE requests a second (API reads and health checks in turn), each in a thread."""

    def __init__(self, base: str, headers: dict[str, str], rate: float) -> None:
        self._base = base
        self._headers = headers
        self._every = 1 / rate
        self._stop = threading.Event()
        self._mutex = threading.Lock()
        self.sent: list[Sent] = []
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> SteadyLoad:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        paths = [*READS, HEALTH]
        workers: list[threading.Thread] = []
        count = 0
        while not self._stop.wait(self._every):
            path = paths[count % len(paths)]
            count += 1
            worker = threading.Thread(target=self._one, args=(path,), daemon=True)
            worker.start()
            workers.append(worker)
        for worker in workers:
            worker.join()

    def _one(self, path: str) -> None:
        at = time.monotonic()
        answer = ask(self._base, path, self._headers, timeout=30)
        with self._mutex:
            self.sent.append(Sent(at, answer))

    def between(self, start: float, end: float) -> list[Answer]:
        with self._mutex:
            return [s.answer for s in self.sent if start <= s.at < end]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _outcome(answer: Answer) -> str:
    if answer.status is None:
        return "no answer"
    if answer.status == 503 and isinstance(answer.body, dict) and "error" in answer.body:
        return f"503 {answer.body['error'].get('code')}"
    if answer.status == 503 and answer.path == HEALTH:
        return "503 unhealthy (health)"
    return str(answer.status)


def _times(answers: list[Answer]) -> str:
    times = [a.seconds for a in answers]
    if not times:
        return "no requests"
    return (
        f"p50 {statistics.median(times):.3f} s, p95 {_percentile(times, 0.95):.3f} s, "
        f"max {max(times):.3f} s; over 2 s: {sum(t > 2 for t in times)} of {len(times)}"
    )


def _first_ok(base: str, path: str, headers: dict[str, str], since: float) -> float | None:
    while time.monotonic() - since < 60:
        if ask(base, path, headers, timeout=5).status == 200:
            return time.monotonic() - since
        time.sleep(0.05)
    return None


def measure(
    mode: str, proxy: TcpProxy, base: str, headers: dict[str, str], seconds: float, rate: float
) -> None:
    with SteadyLoad(base, headers, rate) as load:
        time.sleep(5)
        started = time.monotonic()
        proxy.refusing() if mode == "refused" else proxy.hanging()
        time.sleep(seconds)
        proxy.resume()
        back = time.monotonic()
        healthy = _first_ok(base, HEALTH, headers, back)
        readable = _first_ok(base, READS[0], headers, back)
        recovered = time.monotonic()
        time.sleep(5)
    before = load.between(started - 4, started)
    during = load.between(started, back)
    after = load.between(recovered, time.monotonic())
    print(f"\n## {mode} for {seconds:g} s, {rate:g} requests/s")
    print(f"before the outage: {_times(before)}")
    print(f"during the outage: {_times(during)}")
    for label, answers in (("during", during), ("after recovery", after)):
        counts = Counter(map(_outcome, answers)).most_common()
        print(f"answers {label}: " + ", ".join(f"{k} ×{v}" for k, v in counts))
    if healthy is None or readable is None:
        print("after the return: not healthy within 60 s")
    else:
        print(
            f"after the return: health 200 in {healthy:.2f} s, an API read 200 in {readable:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each outage")
    parser.add_argument("--rate", type=float, default=20.0, help="requests a second")
    args = parser.parse_args()

    admin_url = make_url(args.database_url).set(drivername="postgresql+psycopg")
    name = f"veelocity_outage_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    proxy = TcpProxy(admin_url.host or "127.0.0.1", admin_url.port or 5432).start()
    through_proxy = admin_url.set(host=proxy.host, port=proxy.port, database=name)
    workdir = Path(tempfile.mkdtemp(prefix="veelocity-outage-"))
    port = 18000 + os.getpid() % 1000
    env = {
        **os.environ,
        "DEBUG": "true",
        "LOG_FORMAT": "json",
        "VEELOCITY_DATA_DIR": str(workdir / "data"),
        "DATABASE_URL": through_proxy.render_as_string(hide_password=False),
        "SCHEDULER_ENABLED": "false",
    }
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-m", "veelocity", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if _first_ok(base, HEALTH, {}, time.monotonic()) is None:
            raise SystemExit(f"the server did not start; see {workdir / 'server.log'}")
        setup = httpx.post(
            f"{base}/api/v1/auth/setup",
            json={"email": "admin@example.com", "password": secrets.token_urlsafe(16)},
        )
        setup.raise_for_status()
        headers = {"Authorization": f"Bearer {setup.json()['access_token']}"}
        print(f"# Database outages (server log: {workdir / 'server.log'})")
        for mode in ("refused", "hung"):
            measure(mode, proxy, base, headers, args.seconds, args.rate)
    finally:
        server.terminate()
        server.wait(timeout=15)
        proxy.stop()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

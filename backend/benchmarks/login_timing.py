"""Sign-in timing: does a wrong password take as long as an account that does not exist?

Signs in with a wrong password for an existing account, for a deactivated one and for a
missing one, in turn, `--attempts` times each, against the app on a fresh SQLite database,
and prints the median and p95 answer times of each and how far the medians are apart. The
goal (security check A-08) is medians within 20 %, so answer times do not tell which email
addresses have accounts. The clock is moved two hours between rounds so the sign-in limits
never answer instead of the password check.

    cd backend
    .venv/bin/python benchmarks/login_timing.py
    .venv/bin/python benchmarks/login_timing.py --attempts 100
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import time_machine
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from pydantic import SecretStr

from veelocity import schema
from veelocity.accounts.users import create_user
from veelocity.app import create_app
from veelocity.core.config import Settings
from veelocity.core.db import make_engine, make_session_factory
from veelocity.core.time import utcnow
from veelocity.models import UserRole

PASSWORD = secrets.token_urlsafe(24)  # a throwaway instance: a fresh password each run
ACCOUNTS = {
    "wrong password": "admin@example.com",
    "deactivated account": "former@example.com",
    "missing account": "nobody@example.com",
}
GOAL = 0.20


def _prepare(directory: Path) -> Settings:
    settings = Settings(
        database_url=f"sqlite:///{directory / 'veelocity.db'}",
        veelocity_data_dir=directory / "data",
        veelocity_encryption_key=SecretStr(Fernet.generate_key().decode()),
        jwt_secret_key=SecretStr("t" * 40),
        veelocity_spa_dir=directory / "no-spa",
        log_level="ERROR",
    )
    engine = make_engine(settings)
    schema.upgrade_to_head(engine)
    with make_session_factory(engine).begin() as session:
        create_user(
            session, email=ACCOUNTS["wrong password"], password=PASSWORD, role=UserRole.ADMIN
        )
        former = create_user(
            session, email=ACCOUNTS["deactivated account"], password=PASSWORD, role=UserRole.VIEWER
        )
        former.is_active = False
    engine.dispose()
    return settings


def _measure(client: TestClient, attempts: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {kind: [] for kind in ACCOUNTS}
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        for round_number in range(attempts + 1):
            clock.move_to(start + timedelta(hours=2 * round_number))
            for kind, email in ACCOUNTS.items():
                began = time.perf_counter()
                response = client.post(
                    "/api/v1/auth/login", json={"email": email, "password": "not the password"}
                )
                elapsed = time.perf_counter() - began
                if response.status_code != 401:
                    sys.exit(f"{kind}: expected 401, got {response.status_code}")
                if round_number:  # the first round warms up
                    times[kind].append(elapsed)
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=50, help="sign-ins of each kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = _prepare(Path(scratch))
        with TestClient(create_app(settings)) as client:
            times = _measure(client, args.attempts)
    print(f"sign-in answer times, {args.attempts} wrong attempts of each kind (401 each):")
    medians = {}
    for kind, values in times.items():
        medians[kind] = statistics.median(values)
        print(
            f"  {kind:<20} median {medians[kind] * 1000:6.1f} ms   "
            f"p95 {_p95(values) * 1000:6.1f} ms"
        )
    reference = medians["wrong password"]
    spread = max(abs(m - reference) / reference for m in medians.values())
    verdict = "met" if spread <= GOAL else "MISSED"
    print(f"  medians differ by at most {spread:.1%}; goal {GOAL:.0%} -> {verdict}")


if __name__ == "__main__":
    main()

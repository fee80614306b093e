"""detect-secrets finds nothing new in the repository (C-06).

Tests hold canary secrets on purpose and are left out; the baseline lists the remaining
findings, each audited as a false positive (placeholders such as `secretName:` and
`PASSWORD` in an example URL, commit SHAs in API examples). After auditing a new finding,
`make secrets-baseline`.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import TEST_DB
from tests.infra.conftest import REPO, VENV_BIN

pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")

BASELINE = REPO / ".secrets.baseline"


def _findings(report: dict[str, dict[str, list[dict[str, str]]]]) -> set[tuple[str, str, str]]:
    return {
        (path, item["type"], item["hashed_secret"])
        for path, items in report["results"].items()
        for item in items
    }


def test_no_new_secret_in_the_repository() -> None:
    baseline = json.loads(BASELINE.read_text())
    (exclude,) = [
        f["pattern"] for f in baseline["filters_used"] if f["path"].endswith("should_exclude_file")
    ]
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    if not files:
        pytest.skip("not a git checkout")
    scan = subprocess.run(
        [str(VENV_BIN / "detect-secrets"), "scan", "--exclude-files", exclude[0], *files],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    new = _findings(json.loads(scan.stdout)) - _findings(baseline)
    assert sorted(new) == [], "audit these findings, then regenerate .secrets.baseline"

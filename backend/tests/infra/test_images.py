"""The Dockerfiles and their build context, checked without a Docker engine: hadolint,
ShellCheck, non-root users, nothing secret in the context, locks that agree."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import TEST_DB
from tests.infra.conftest import DOCKER, REPO, VENV_BIN

DOCKERFILES = [DOCKER / "Dockerfile.backend", DOCKER / "Dockerfile.frontend"]
ENTRYPOINT = DOCKER / "docker-entrypoint.sh"

# Nothing here depends on the database: run once, in the SQLite pass.
pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")


def _stages(dockerfile: Path) -> list[list[str]]:
    """Instructions per stage, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", dockerfile.read_text())
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_finds_nothing(dockerfile: Path) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "hadolint"), "--no-color", "--failure-threshold", "info", str(dockerfile)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_shellcheck_finds_nothing_in_the_entrypoint() -> None:
    result = subprocess.run(
        [str(VENV_BIN / "shellcheck"), "--shell=sh", str(ENTRYPOINT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert os.access(ENTRYPOINT, os.X_OK)


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_the_final_image_runs_as_a_non_root_user(dockerfile: Path) -> None:
    final = _stages(dockerfile)[-1]
    users = [line.split(None, 1)[1] for line in final if line.upper().startswith("USER ")]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit(), "a numeric uid lets Kubernetes check runAsNonRoot"


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_the_final_image_has_no_build_tools_and_no_secrets(dockerfile: Path) -> None:
    final = "\n".join(_stages(dockerfile)[-1])
    for tool in ("gcc", "build-essential", "make ", "git ", "npm ", "pip install"):
        assert tool not in final, tool
    for line in _stages(dockerfile)[-1]:
        keyword = line.split()[0].upper()
        if keyword in {"ARG", "ENV"}:
            names = re.findall(r"([A-Z_]+)=", line)
            assert not [n for n in names if re.search("KEY|SECRET|PASSWORD|TOKEN", n)], line
        if keyword in {"COPY", "ADD"}:
            assert ".env" not in line
            assert "keys" not in line


def test_the_backend_entrypoint_migrates_then_serves_without_reload() -> None:
    script = ENTRYPOINT.read_text()
    assert "veelocity migrate --wait" in script
    assert script.index("veelocity migrate") < script.index("exec uvicorn")
    assert "--reload" not in script.replace("Never with --reload", "")
    for flag in (
        "--factory veelocity.app:create_app_from_env",
        '--workers "$WEB_CONCURRENCY"',
        "--proxy-headers",
        '--forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"',
    ):
        assert flag in script, flag
    backend = _stages(DOCKERFILES[0])[-1]
    assert 'ENTRYPOINT ["docker-entrypoint.sh"]' in backend


def test_the_image_installs_the_hashed_runtime_lock() -> None:
    dockerfile = DOCKERFILES[0].read_text()
    assert "uv pip sync --python /opt/venv/bin/python --require-hashes" in dockerfile
    assert "uv.lock" not in dockerfile.replace("no uv.lock", "")


def _pins(lock: Path) -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9._-]+)==([^ \\\n]+)", lock.read_text(), re.MULTILINE))


def test_the_runtime_lock_agrees_with_the_development_lock() -> None:
    runtime = _pins(REPO / "backend" / "requirements-runtime.lock")
    development = _pins(REPO / "backend" / "requirements.lock")
    assert "fastapi" in runtime
    assert "pytest" not in runtime
    assert {name: development.get(name) for name in runtime} == runtime
    text = (REPO / "backend" / "requirements-runtime.lock").read_text()
    assert len(runtime) <= text.count("--hash=sha256:"), "every pin carries its hashes"


# --- the build context: what `docker build` would send, after .dockerignore -----------------


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Docker's .dockerignore matching: Go filepath.Match plus `**` for any directories."""
    pattern = os.path.normpath(pattern).lstrip("/")
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + "$")


def _rules() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in (REPO / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        rules.append((negate, _pattern_regex(line.lstrip("!"))))
    return rules


def _excluded(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """The last rule that matches the path or one of its parent directories decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for negate, regex in rules:
        if any(regex.match(candidate) for candidate in candidates):
            excluded = not negate
    return excluded


PRUNED = {".git", "node_modules", ".venv", ".make", "dist", ".mypy_cache", ".ruff_cache"}


def _context(root: Path) -> set[str]:
    rules = _rules()
    files = set()
    for directory, subdirs, names in os.walk(root):
        relative_dir = os.path.relpath(directory, root)
        for sub in list(subdirs):
            relative = os.path.normpath(os.path.join(relative_dir, sub))
            if sub in PRUNED or sub.startswith("pytest-"):
                assert _excluded(relative, rules), f"{relative} would be sent to the builder"
                subdirs.remove(sub)
        for name in names:
            relative = os.path.normpath(os.path.join(relative_dir, name))
            if not _excluded(relative, rules):
                files.add(relative)
    return files


def test_dockerignore_matching_follows_dockers_rules() -> None:
    rules = [(False, _pattern_regex("**")), (True, _pattern_regex("frontend/"))]
    rules.append((False, _pattern_regex("**/*.key")))
    assert _excluded("README.md", rules)
    assert not _excluded("frontend/src/app.tsx", rules)
    assert _excluded("frontend/keys/jwt.key", rules)


def test_the_build_context_holds_no_secret_key_dump_or_data(tmp_path: Path) -> None:
    planted = [
        ".env",
        "infra/docker/.env",
        "frontend/.env.local",
        "backend/.env",
        "data/keys/encryption.key",
        "backend/data/veelocity.db",
        "backend/data/keys/jwt.key",
        "backend/backup.sql",
        "frontend/veelocity.dump",
        "infra/docker/server.pem",
        "backend/veelocity.backup",
    ]
    made = []
    try:
        for relative in planted:
            path = (REPO / relative).resolve()
            if path.exists():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("secret\n")
            made.append(path)
        context = _context(REPO)
    finally:
        for path in made:
            path.unlink()
    leaked = sorted(
        f
        for f in context
        if re.search(r"(^|/)\.env|\.key$|\.pem$|\.sql$|\.dump$|\.backup$|\.db$|(^|/)data/", f)
    )
    assert leaked == []
    assert not [f for f in context if f.startswith(("backend/tests/", ".git/", "docs/"))]


def test_the_build_context_holds_everything_the_dockerfiles_copy() -> None:
    context = _context(REPO)
    for dockerfile in DOCKERFILES:
        for line in (s for stage in _stages(dockerfile) for s in stage):
            if not line.upper().startswith("COPY ") or "--from=" in line:
                continue
            sources = [part for part in line.split()[1:-1] if not part.startswith("--")]
            for source in sources:
                source = source.rstrip("/")
                assert any(f == source or f.startswith(source + "/") for f in context), (
                    f"{dockerfile.name}: {source} is not in the build context"
                )

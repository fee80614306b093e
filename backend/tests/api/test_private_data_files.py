"""The embedded database and its directory are readable by the service's user only."""

import stat
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import setup_admin


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_directory_and_database_are_private(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    data_dir = tmp_path / "fresh" / "data"
    database = data_dir / "veelocity.db"
    client = make_client(veelocity_data_dir=data_dir, database_url=f"sqlite:///{database}")
    setup_admin(client)
    assert _mode(data_dir) == 0o700
    assert _mode(database) == 0o600
    for companion in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        if companion.exists():
            assert _mode(companion) == 0o600


def test_a_database_file_left_readable_by_others_is_tightened(
    make_client: Callable[..., TestClient], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    database = data_dir / "veelocity.db"
    database.touch(mode=0o644)
    database.chmod(0o644)
    make_client(veelocity_data_dir=data_dir, database_url=f"sqlite:///{database}")
    assert _mode(database) == 0o600

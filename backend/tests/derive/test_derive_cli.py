"""`veelocity derive --all` from the command line."""

import os
import subprocess
import sys

from sqlalchemy.orm import Session

from tests.builders import at, make_deployment, make_pull_request, make_repository
from veelocity.models import PullRequest


def test_derive_all_from_the_cli(db_session: Session, settings, database_url: str) -> None:  # type: ignore[no-untyped-def]
    repo = make_repository(db_session)
    pr = make_pull_request(db_session, repo, merged_at=at(2), merge_commit_sha="m")
    make_deployment(db_session, repo, finished_at=at(3), commits=["m"])
    db_session.commit()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VEELOCITY_DATA_DIR": str(settings.veelocity_data_dir),
        "VEELOCITY_ENCRYPTION_KEY": settings.veelocity_encryption_key.get_secret_value(),
        "JWT_SECRET_KEY": settings.jwt_secret_key.get_secret_value(),
    }
    result = subprocess.run(
        [sys.executable, "-m", "veelocity", "derive", "--all"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "derived 1 pull requests, 1 deployments" in result.stdout
    db_session.expire_all()
    assert db_session.get(PullRequest, pr.id).deployed_at == at(3)  # type: ignore[union-attr]

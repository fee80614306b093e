"""Rollbacks: a redeploy of an earlier commit fails the deployment it rolls back, recovers
it, and is itself rework."""

from types import SimpleNamespace

from sqlalchemy.orm import Session

from tests.builders import at, everything, make_deployment, make_repository
from veelocity.derive import ChangeSet, DeriveConfig, derive_changes
from veelocity.derive.outcomes import find_rollbacks

config = DeriveConfig()


def _deployment(
    id_: int, sha: str, status: str = "success", environment: str = "production"
) -> SimpleNamespace:
    return SimpleNamespace(id=id_, commit_sha=sha, status=status, environment=environment)


def test_returning_to_an_earlier_commit_rolls_back_the_first_deployment_after_it() -> None:
    found = find_rollbacks(
        [_deployment(1, "v1"), _deployment(2, "v2"), _deployment(3, "v3"), _deployment(4, "v1")]
    )
    assert [(r.victim.id, r.redeploy.id) for r in found] == [(2, 4)]


def test_a_plain_redeploy_or_another_environment_is_no_rollback() -> None:
    assert find_rollbacks([_deployment(1, "v1"), _deployment(2, "v1")]) == []
    assert find_rollbacks([_deployment(1, "v1"), _deployment(2, "v1", "failure"),
                           _deployment(3, "v1")]) == []  # fmt: skip
    assert (
        find_rollbacks(
            [
                _deployment(1, "v1", environment="production"),
                _deployment(2, "v2", environment="production-eu"),
                _deployment(3, "v1", environment="production"),
            ]
        )
        == []
    )
    # a failed attempt to go back is not a rollback
    assert find_rollbacks([_deployment(1, "v1"), _deployment(2, "v2"),
                           _deployment(3, "v1", "failure")]) == []  # fmt: skip


def test_a_rolled_back_deployment_is_failed_and_the_redeploy_is_rework(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    v1 = make_deployment(db_session, repo, finished_at=at(1), commit_sha="v1")
    v2 = make_deployment(db_session, repo, finished_at=at(2), commit_sha="v2")
    v3 = make_deployment(db_session, repo, finished_at=at(3), commit_sha="v3")
    back = make_deployment(db_session, repo, finished_at=at(5), commit_sha="v1")
    derive_changes(db_session, config, everything(db_session))
    assert v2.is_failed is True
    assert v2.failure_reason == f"rolled back by deployment {back.id}"
    assert v2.recovered_at == at(5)
    assert v2.recovery_seconds == 3 * 3600
    assert (v1.is_failed, v3.is_failed, back.is_failed) == (False, False, False)
    assert back.is_rework is True
    assert back.rework_reason == f"rolls back deployment {v2.id}"


def test_a_rollback_arriving_later_fails_the_deployment_already_derived(
    db_session: Session,
) -> None:
    repo = make_repository(db_session)
    make_deployment(db_session, repo, finished_at=at(1), commit_sha="v1")
    v2 = make_deployment(db_session, repo, finished_at=at(2), commit_sha="v2")
    derive_changes(db_session, config, everything(db_session))
    assert v2.is_failed is False
    back = make_deployment(db_session, repo, finished_at=at(4), commit_sha="v1")
    derive_changes(db_session, config, ChangeSet(deployment_ids={back.id}))
    assert v2.is_failed is True
    assert v2.failure_reason == f"rolled back by deployment {back.id}"
    assert back.is_rework is True

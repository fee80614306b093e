"""An ingested pull request's description: only the issue identifiers it names are kept."""

from tests.ingest.conftest import pull_request
from veelocity.ingest.payloads import PullRequestIn


def test_a_description_sent_keeps_the_identifiers_it_names() -> None:
    item = PullRequestIn.model_validate(pull_request(body="Closes eng-7 (and ENG-7, OPS-12)"))
    assert item.to_record().body_references == ("ENG-7", "OPS-12")


def test_a_description_left_out_keeps_the_references_found_before() -> None:
    assert PullRequestIn.model_validate(pull_request()).to_record().body_references is None

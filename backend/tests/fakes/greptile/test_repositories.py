"""`GET /v2/repositories/{repositoryId}` of the fake Greptile."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from veelocity.demo.ai_model import GreptileAccount


def _path(repository_id: str) -> str:
    return "/v2/repositories/" + quote(repository_id, safe="")


def test_an_indexed_repository_has_its_sha(
    greptile: httpx.Client, account: GreptileAccount
) -> None:
    indexed = next(r for r in account.repositories if r.status == "completed")

    answer = greptile.get(_path(indexed.id))

    assert answer.status_code == 200
    assert answer.json()["sha"] == indexed.sha
    assert answer.json()["repository"] == indexed.repository


def test_a_repository_still_processing_has_no_sha(
    greptile: httpx.Client, account: GreptileAccount
) -> None:
    stuck = next(r for r in account.repositories if r.status == "processing")

    info = greptile.get(_path(stuck.id)).json()

    assert info["status"] == "processing"
    assert "sha" not in info
    assert info["filesProcessed"] < info["numFiles"]


def test_an_unknown_repository_is_not_found(greptile: httpx.Client) -> None:
    answer = greptile.get(_path("github:main:acme/nothing"))

    assert answer.status_code == 404
    assert answer.json()["message"] == "Repository not found"


def test_an_id_whose_slash_is_not_encoded_is_another_route(
    greptile: httpx.Client, account: GreptileAccount
) -> None:
    indexed = account.repositories[0]

    answer = greptile.get("/v2/repositories/" + indexed.id.replace(":", "%3A"))

    assert answer.status_code == 404


def test_a_wrong_key_is_unauthorised(base_url: str, account: GreptileAccount) -> None:
    answer = httpx.get(
        base_url + _path(account.repositories[0].id), headers={"Authorization": "Bearer nope"}
    )

    assert answer.status_code == 401

"""Every relative link in README.md and docs/ leads to a file, and every anchor to a heading."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.conftest import TEST_DB
from tests.infra.conftest import REPO

pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")

_PARSER = MarkdownIt("commonmark").enable("table")
_HTML_ID = re.compile(r"""<a\s+(?:id|name)=["']([^"']+)["']""")
_NOT_IN_SLUG = re.compile(r"[^\w\- ]")


def documents() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return _NOT_IN_SLUG.sub("", heading.strip().lower()).replace(" ", "-")


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def anchors(path: Path) -> set[str]:
    text = path.read_text()
    tokens = _PARSER.parse(text)
    found: set[str] = set(_HTML_ID.findall(text))
    seen: dict[str, int] = {}
    for opening, inline in pairwise(tokens):
        if opening.type != "heading_open":
            continue
        words = [child for child in inline.children or [] if child.type in ("text", "code_inline")]
        plain = "".join(child.content for child in words)
        slug = github_slug(plain)
        # GitHub numbers repeated headings: intro, intro-1, intro-2.
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path) -> Iterator[str]:
    for token in _walk(_PARSER.parse(path.read_text())):
        if token.type == "link_open":
            yield str(token.attrs["href"])
        elif token.type == "image":
            yield str(token.attrs["src"])


def broken_links(path: Path) -> list[str]:
    broken = []
    for href in links(path):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # another site: not ours to check offline
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not target.exists():
            broken.append(f"{href}: no such file")
        elif (
            parts.fragment
            and target.suffix == ".md"
            and unquote(parts.fragment) not in anchors(target)
        ):
            broken.append(f"{href}: no heading #{parts.fragment} in {target.name}")
    return broken


@pytest.mark.parametrize("path", documents(), ids=lambda path: str(path.relative_to(REPO)))
def test_every_link_and_anchor_resolves(path: Path) -> None:
    assert broken_links(path) == []


def test_the_deployment_guide_has_the_anchors_the_handoff_links() -> None:
    guide = anchors(REPO / "docs" / "deployment.md")
    assert {"environment-variables", "example-runbook", "runbook"} <= guide


def test_a_missing_anchor_or_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Fly.io and `code`\n\n## Intro\n\n## Intro\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#flyio-and-code) [again](other.md#intro-1) [gone](other.md#nowhere) "
        "[missing](absent.md) [web](https://example.com/#x)\n"
    )
    assert [problem.split(":")[0] for problem in broken_links(page)] == [
        "other.md#nowhere",
        "absent.md",
    ]

"""docs/security.md's "Security checks" table lists every release check, with tests that exist.

The table names tests as `tests/<path>.py::<name>`; the names are read from the files with
`ast`, so a renamed or deleted test fails here instead of leaving the table wrong.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.conftest import TEST_DB
from tests.infra.conftest import REPO

pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="runs once, in the SQLite pass")

SECURITY_DOC = REPO / "docs" / "security.md"
BACKEND = REPO / "backend"
SECTION = "Security checks"
#: The release checks: authentication, sessions, authorization, outbound requests,
#: cryptography, HTTP hardening; each family numbered from 01.
CHECK_IDS = [
    f"{family}-{number:02d}"
    for family, count in (("A", 11), ("J", 12), ("Z", 7), ("R", 7), ("C", 7), ("H", 12))
    for number in range(1, count + 1)
]
_TEST_NODE = re.compile(r"(tests/[\w/]+\.py)::(\w+(?:::\w+)?)")
_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class CheckRow:
    check_id: str
    what: str
    how: str
    test_nodes: tuple[str, ...]


def _cells(tokens: list[Token], start: int) -> tuple[list[Token], int]:
    """The inline tokens of the row opening at `start`, and the index after the row."""
    cells = []
    index = start
    while tokens[index].type != "tr_close":
        if tokens[index].type == "inline":
            cells.append(tokens[index])
        index += 1
    return cells, index + 1


def check_rows(markdown: str) -> list[CheckRow]:
    """The body rows of the first table under the "Security checks" heading."""
    tokens = _PARSER.parse(markdown)
    in_section = False
    rows: list[CheckRow] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            title = tokens[index + 1].content.strip()
            if in_section and token.tag in {"h1", "h2"}:
                break
            in_section = in_section or title == SECTION
        elif in_section and token.type == "tbody_open":
            index += 1
            while tokens[index].type == "tr_open":
                cells, index = _cells(tokens, index)
                id_cell, what, how = [cell.content.strip() for cell in cells[:3]] + [""] * (
                    3 - len(cells[:3])
                )
                nodes = tuple(
                    child.content
                    for cell in cells[2:3]
                    for child in cell.children or []
                    if child.type == "code_inline" and child.content.startswith("tests/")
                )
                rows.append(CheckRow(id_cell.strip("`* "), what, how, nodes))
            break
        index += 1
    return rows


def defined_test_names(path: Path) -> set[str]:
    """`name` and `Class::name` of every test function the file defines."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, functions) and node.name.startswith("test"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.update(
                f"{node.name}::{member.name}"
                for member in node.body
                if isinstance(member, functions) and member.name.startswith("test")
            )
    return names


def table_problems(markdown: str, backend: Path) -> list[str]:
    rows = check_rows(markdown)
    if not rows:
        return [f'no table under a "{SECTION}" heading']
    problems = []
    listed = [row.check_id for row in rows]
    problems += [f"{check_id}: missing" for check_id in CHECK_IDS if check_id not in listed]
    problems += [
        f"{check_id}: not a release check" for check_id in listed if check_id not in CHECK_IDS
    ]
    problems += sorted({f"{c}: listed twice" for c in listed if listed.count(c) > 1})
    names_by_file: dict[str, set[str]] = {}
    for row in rows:
        if not row.what:
            problems.append(f"{row.check_id}: says nothing about what is checked")
        if not row.test_nodes and "not tested" not in row.how.lower():
            problems.append(f"{row.check_id}: names no test and does not say it is not tested")
        for node in row.test_nodes:
            match = _TEST_NODE.fullmatch(node)
            if match is None:
                problems.append(f"{row.check_id}: {node} is not tests/<path>.py::<test>")
                continue
            file, name = match.groups()
            if file not in names_by_file:
                path = backend / file
                names_by_file[file] = defined_test_names(path) if path.is_file() else set()
            if name not in names_by_file[file]:
                problems.append(f"{row.check_id}: {node} does not exist")
    return problems


def test_every_release_check_is_listed_with_tests_that_exist() -> None:
    assert table_problems(SECURITY_DOC.read_text(encoding="utf-8"), BACKEND) == []


def test_a_missing_check_a_vanished_test_or_an_unexplained_gap_is_reported(
    tmp_path: Path,
) -> None:
    (tmp_path / "tests" / "api").mkdir(parents=True)
    (tmp_path / "tests" / "api" / "test_auth.py").write_text(
        "def test_real():\n    pass\n\n\n"
        "class TestGroup:\n    def test_inner(self):\n        pass\n"
    )
    markdown = "\n".join(
        [
            "# Security",
            "## Security checks",
            "| Id | What is checked | How it is tested |",
            "|---|---|---|",
            "| A-01 | hashes | `tests/api/test_auth.py::test_real` |",
            "| A-02 | upgrades | `tests/api/test_auth.py::TestGroup::test_inner` |",
            "| A-03 | policy | `tests/api/test_auth.py::test_renamed` |",
            "| A-04 | common | `tests/api/test_gone.py::test_real` |",
            "| A-05 | limits | a benchmark prints it |",
            "| A-06 | account limit | Not tested: needs a second machine. |",
            "| A-06 | again | Not tested. |",
            "| X-99 | stray | Not tested. |",
            "## Another section",
            "| Id | What | How |",
            "|---|---|---|",
            "| A-07 | below the section | `tests/api/test_auth.py::test_real` |",
        ]
    )
    problems = table_problems(markdown, tmp_path)
    assert [p for p in problems if not p.endswith(": missing")] == [
        "X-99: not a release check",
        "A-06: listed twice",
        "A-03: tests/api/test_auth.py::test_renamed does not exist",
        "A-04: tests/api/test_gone.py::test_real does not exist",
        "A-05: names no test and does not say it is not tested",
    ]
    assert "A-07: missing" in problems
    assert len([p for p in problems if p.endswith(": missing")]) == len(CHECK_IDS) - 6
    assert table_problems("# Security\n", tmp_path) == [
        'no table under a "Security checks" heading'
    ]

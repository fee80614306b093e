"""Issue identifiers ("ENG-123") that a pull request's branch, title or description names.

A pure function shared by the sources that read a description (which is not stored) and by
derive, which links pull requests to the issues of known Linear teams.
"""

from __future__ import annotations

import re

#: A team key (a letter, then up to nine letters or digits), a dash, a number; not inside a
#: longer word, so `utf8-2` in `xutf8-2` or `ENG-12` in `ENG-12a` is no reference.
_IDENTIFIER = re.compile(r"(?<![A-Za-z0-9])([A-Za-z][A-Za-z0-9]{0,9})-(\d{1,9})(?![A-Za-z0-9])")
#: At most this many identifiers are kept from one description.
MAX_BODY_REFERENCES = 50


def issue_identifiers(text: str | None, limit: int | None = None) -> list[str]:
    """The identifiers in `text`, upper-cased, in order of first mention, without repeats."""
    found: dict[str, None] = {}
    for key, number in _IDENTIFIER.findall(text or ""):
        found.setdefault(f"{key.upper()}-{int(number)}", None)
        if limit is not None and len(found) >= limit:
            break
    return list(found)


def body_references(body: str | None) -> tuple[str, ...]:
    """What a pull request keeps of its description: the issue identifiers it names."""
    return tuple(issue_identifiers(body, MAX_BODY_REFERENCES))

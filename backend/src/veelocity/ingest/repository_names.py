"""A repository's `owner/name` from the ways other tools name it: a clone or web address,
or a package URL (purl) of a source host."""

from __future__ import annotations

import re

from packageurl import PackageURL

#: purl types whose namespace and name are a repository's owner and name.
_SOURCE_HOST_PURL_TYPES = frozenset({"github", "gitlab", "bitbucket"})

_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?P<path>.+)$")
_WEB_OR_CLONE = re.compile(r"^(?:https?|ssh|git)://[^/]+(?::\d+)?/(?P<path>.+)$", re.IGNORECASE)
#: Where a web address stops naming the repository (GitLab's /-/…, GitHub's /tree/…).
_PAGE_SUFFIX = re.compile(r"/(?:-|tree|blob|commit|pull|merge_requests|src)(?:/.*)?$")


def repository_from_url(url: str) -> str | None:
    """`owner/name` (or `group/subgroup/name`) from https://host/owner/name(.git), an
    ssh://… or git@host:owner/name.git clone address; None when it names no repository."""
    text = url.strip()
    match = _WEB_OR_CLONE.match(text) or _SCP_LIKE.match(text)
    if match is None:
        return None
    path = _PAGE_SUFFIX.sub("", match.group("path").split("?")[0].split("#")[0]).strip("/")
    path = path.removesuffix(".git")
    return path if "/" in path else None


def repository_and_commit_from_purl(purl: str) -> tuple[str, str | None] | None:
    """(owner/name, version) from pkg:github/acme/api@<sha> and the like; None for a purl of
    another type (an OCI image, a package) or text that is no purl."""
    try:
        parsed = PackageURL.from_string(purl.strip())
    except ValueError:
        return None
    if parsed.type not in _SOURCE_HOST_PURL_TYPES or not parsed.namespace:
        return None
    return f"{parsed.namespace}/{parsed.name}", parsed.version

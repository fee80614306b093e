"""GitHub's published GraphQL schema (schema.graphql, MIT, see schema.LICENSE), loaded once."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")
_lock = threading.Lock()


@cache
def _load() -> GraphQLSchema:
    # The published SDL defines two EnterpriseOwnerInfo fields twice and deprecates a few
    # interface fields only on their implementations, which graphql-core's checks refuse;
    # the schema is GitHub's own, so it is trusted as is. Queries are still validated.
    return build_schema(
        SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid_sdl=True, assume_valid=True
    )


def github_schema() -> GraphQLSchema:
    """The schema, built on first use (about two seconds) and shared by the process."""
    with _lock:
        return _load()

"""Linear's published GraphQL schema (schema.graphql, MIT, see schema.LICENSE), loaded once."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema

SCHEMA_PATH = Path(__file__).with_name("schema.graphql")
_lock = threading.Lock()


@cache
def _load() -> GraphQLSchema:
    # The schema is Linear's own (its SDK's), so it is trusted as is; queries are validated.
    return build_schema(
        SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid_sdl=True, assume_valid=True
    )


def linear_schema() -> GraphQLSchema:
    """The schema, built on first use (about a second) and shared by the process."""
    with _lock:
        return _load()

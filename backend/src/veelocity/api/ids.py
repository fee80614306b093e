"""Ids in paths, queries and bodies, bounded by the columns that store them.

A number past a column's range is no id of anything; refusing it at validation answers 422
instead of letting PostgreSQL (or SQLite's 64-bit integers) fail the query with a 500.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

#: INTEGER primary keys (users, teams, repositories, sync runs, ingest tokens, audit events).
MAX_INTEGER_ID = 2**31 - 1
#: BIGINT primary keys on PostgreSQL (pull requests, deployments, incidents, issues).
MAX_BIGINT_ID = 2**63 - 1

#: The id of a row in a table with an INTEGER primary key.
RowId = Annotated[int, Ge(1), Le(MAX_INTEGER_ID)]
#: The id of a row in a table with a BIGINT primary key.
BigRowId = Annotated[int, Ge(1), Le(MAX_BIGINT_ID)]

"""Count what a piece of work reads from the database: its SELECTs and the rows they returned.

Each SELECT the work runs is recorded as it ran (statement and parameters) and counted again afterwards in
the database (``SELECT COUNT(*)`` over the same statement), so a test can hold a page or a service to the rows
it fetches, not only to its number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection


def rows_read(work: Callable[[], Any]) -> tuple[tuple[int, int], Any]:
    """``((selects, rows), result)`` of calling ``work``."""
    statements: list[tuple[str, Any]] = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = work()
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS work_read", params)  # noqa: S608
            rows += cursor.fetchone()[0]
    return (len(statements), rows), result

"""Tables of the user's edits keyed by application (scope, preparation, annotations): set
some columns of one application's row, or many applications' rows at once, checked first."""

from __future__ import annotations

import duckdb

from pipelines.store.db import scalar, transaction


def save_edits(con: duckdb.DuckDBPyConnection, table: str, fields: tuple[str, ...], check,
               changes: list[tuple[str, dict]]) -> None:
    """Store the user's values for several applications in a table of edits: every change
    is checked first (unknown field, ``check(values)``, unknown application), then all are
    stored in one transaction, so a bad one stores none. A row left empty is removed."""
    for application_id, values in changes:
        unknown = set(values) - set(fields)
        if unknown:
            raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
        check(values)
        if not scalar(con, "SELECT count(*) FROM applications WHERE application_id = ?",
                      [application_id]):
            raise ValueError(f"no application {application_id!r}")
    with transaction(con):
        for application_id, values in changes:
            _upsert(con, table, application_id, values, drop_empty=fields)


def _upsert(con: duckdb.DuckDBPyConnection, table: str, application_id: str, values: dict,
            drop_empty: tuple[str, ...] = ()) -> None:
    """Set these columns of one application's row in a table of edits (inside the caller's
    transaction); with ``drop_empty``, a row left with all those columns NULL is removed."""
    con.execute(f"INSERT INTO {table} (application_id, updated_at) "
                "VALUES (?, now()::TIMESTAMP) ON CONFLICT DO NOTHING", [application_id])
    for column, value in values.items():
        con.execute(f"UPDATE {table} SET {column} = ?, updated_at = now()::TIMESTAMP "
                    "WHERE application_id = ?", [value, application_id])
    if drop_empty:
        con.execute(f"DELETE FROM {table} WHERE application_id = ? AND "
                    f"{' AND '.join(f'{c} IS NULL' for c in drop_empty)}", [application_id])

"""Derived data a migration marked stale, redone in one transaction: called where the product
starts (``silverlining run``, the dashboard's first page run), never when a database is
merely opened."""

from __future__ import annotations

import duckdb

from pipelines.derive.scope import refresh_scope
from pipelines.derive.themes import refresh_themes
from pipelines.store.db import transaction
from pipelines.store.migrations import stale


def refresh_stale(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Re-tag the feedback and re-read the titles where a migration said they are stale;
    returns what was refreshed ([] when nothing was: the usual case, which writes nothing)."""
    todo = stale(con)
    if todo:
        with transaction(con):
            if "themes" in todo:
                refresh_themes(con)
            if "scope" in todo:
                refresh_scope(con)
    return todo

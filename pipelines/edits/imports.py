"""Removing an import: the applications only it described go, in one transaction with the
themes and levels derived from them; the demo's own extras go with the demo import."""

from __future__ import annotations

import duckdb

from pipelines.derive.scope import refresh_scope
from pipelines.derive.themes import refresh_themes
from pipelines.edits.demo import remove_demo_coaching
from pipelines.store.db import scalar, transaction


def remove_import(con: duckdb.DuckDBPyConnection, import_id: int) -> int:
    """Remove one import: applications that only it described go (their annotations stay,
    so importing the file again brings the edits back); applications another import also
    describes stay. One transaction, the themes and levels refreshed in it. Returns the
    number of applications removed."""
    with transaction(con):
        con.execute("""CREATE OR REPLACE TEMP TABLE _gone AS
            SELECT application_id FROM application_sources WHERE import_id = ?
            EXCEPT SELECT application_id FROM application_sources WHERE import_id <> ?""",
                    [import_id, import_id])
        removed = scalar(con, "SELECT count(*) FROM _gone")
        con.execute("DELETE FROM applications WHERE application_id IN (SELECT * FROM _gone)")
        con.execute("DELETE FROM application_sources WHERE import_id = ?", [import_id])
        sha = scalar(con, "SELECT content_sha256 FROM imports WHERE import_id = ?",
                     [import_id])
        con.execute("DELETE FROM imports WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM import_files WHERE content_sha256 = ? AND content_sha256 NOT "
                    "IN (SELECT content_sha256 FROM imports)", [sha])
        if scalar(con, "SELECT value FROM app_state WHERE key = 'demo_import_id'") == str(
                import_id) and scalar(con, "SELECT count(*) FROM app_state "
                                           "WHERE key = 'demo_profile'"):
            con.execute("DELETE FROM candidate_profile")  # Dana's, set with the demo data
            con.execute("DELETE FROM app_state WHERE key = 'demo_profile'")
        if scalar(con, "SELECT value FROM app_state WHERE key = 'demo_import_id'") == str(
                import_id):
            remove_demo_coaching(con)
        con.execute("DELETE FROM app_state WHERE key = 'demo_import_id' AND value = ?",
                    [str(import_id)])
        con.execute("DROP TABLE _gone")
        refresh_themes(con)  # in the same transaction: no stale themes after a crash
        refresh_scope(con)
    return removed

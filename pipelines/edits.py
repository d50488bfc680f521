"""What the user changes in the app, written in one transaction each.

Corrections live in their own tables (``annotations``, ``status_overrides``) keyed by
``application_id`` or status text, so re-importing a tracker never touches them; the
``applications_view`` applies them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.db import scalar
from pipelines.ingest import ImportReport, ingest_file
from pipelines.normalize.statuses import OUTCOMES, STAGES
from pipelines.themes import refresh_themes

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "tracker.xlsx"
_UNSET = object()


def _check(stage: str | None, outcome: str | None) -> None:
    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    if outcome is not None and outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; outcomes are {', '.join(OUTCOMES)}")


def save_annotation(con: duckdb.DuckDBPyConnection, application_id: str, *,
                    stage: str | None | object = _UNSET, outcome: str | None | object = _UNSET,
                    feedback: str | None | object = _UNSET,
                    notes: str | None | object = _UNSET) -> None:
    """Record the user's correction of one application; fields not given keep their value,
    None clears a correction. Raises ValueError for an unknown application, stage or
    outcome."""
    if not scalar(con, "SELECT count(*) FROM applications WHERE application_id = ?",
                  [application_id]):
        raise ValueError(f"no application {application_id!r}")
    given = {"stage_reached": stage, "outcome": outcome, "feedback": feedback, "notes": notes}
    given = {k: v for k, v in given.items() if v is not _UNSET}
    _check(given.get("stage_reached"), given.get("outcome"))
    with _transaction(con):
        con.execute("INSERT INTO annotations (application_id, updated_at) "
                    "VALUES (?, now()::TIMESTAMP) ON CONFLICT DO NOTHING", [application_id])
        for column, value in given.items():
            con.execute(f"UPDATE annotations SET {column} = ?, updated_at = now()::TIMESTAMP "
                        "WHERE application_id = ?", [value, application_id])
    if "feedback" in given or "notes" in given:
        refresh_themes(con)


def place_status(con: duckdb.DuckDBPyConnection, status_raw: str, stage: str,
                 outcome: str) -> int:
    """Give every application with this status text a stage and outcome (for a status the
    rules did not understand). Returns how many applications carry it."""
    _check(stage, outcome)
    with _transaction(con):
        con.execute("INSERT OR REPLACE INTO status_overrides VALUES (?, ?, ?, now()::TIMESTAMP)",
                    [status_raw, stage, outcome])
    return scalar(con, "SELECT count(*) FROM applications WHERE status_raw = ?", [status_raw])


def remove_import(con: duckdb.DuckDBPyConnection, import_id: int) -> int:
    """Remove one import: applications that only it described go (their annotations stay,
    so importing the file again brings the edits back); applications another import also
    describes stay. Returns the number of applications removed."""
    with _transaction(con):
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
        con.execute("DELETE FROM app_state WHERE key = 'demo_import_id' AND value = ?",
                    [str(import_id)])
        con.execute("DROP TABLE _gone")
    refresh_themes(con)
    return removed


def load_demo(con: duckdb.DuckDBPyConnection) -> ImportReport:
    """Import the sample tracker and remember it as demo data (to clear with one click)."""
    report = ingest_file(con, SAMPLE, display_name="Demo data — Dana's sample tracker.xlsx")
    if report.import_id is not None:
        con.execute("INSERT OR REPLACE INTO app_state VALUES ('demo_import_id', ?)",
                    [str(report.import_id)])
    return report


def demo_import_id(con: duckdb.DuckDBPyConnection) -> int | None:
    """The import that holds the demo data, if it is still loaded."""
    value = scalar(con, "SELECT value FROM app_state WHERE key = 'demo_import_id'")
    return int(value) if value else None


class _transaction:
    """BEGIN … COMMIT, or ROLLBACK on any error."""

    def __init__(self, con):
        self.con = con

    def __enter__(self):
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, kind, error, trace):
        self.con.execute("ROLLBACK" if kind else "COMMIT")
        return False


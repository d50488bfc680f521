"""The one writer: an import lands whole in one transaction, or not at all.

Applications are matched to those already stored (same company and title, a date
applied within a week, a compatible reference), so re-importing a file adds
nothing, an updated tracker updates what changed, and the same application from
two sources is stored once with what each source knows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import zstandard

from pipelines.errors import IngestError
from pipelines.store.checks import failing_checks
from pipelines.store.db import first_row, scalar, transaction

MATCH_WINDOW_DAYS = 7
FIELDS = ("company", "job_title", "company_key", "title_key", "applied_on", "outcome_on",
          "status_raw", "feedback", "notes", "location", "salary_raw", "salary_min",
          "salary_max", "salary_currency", "salary_period", "source_channel", "referral",
          "contact", "org_size", "org_type", "org_reach", "people_managed", "budget", "job_url",
          "source_ref", "prep_hours", "researched", "insiders_contacted", "questions_prepared",
          "feedback_asked")


def _match(con) -> int:
    """``_match``: each candidate paired with at most one stored application and back.
    Returns the number of pairs."""
    if not scalar(con, "SELECT count(*) FROM applications"):
        con.execute("CREATE OR REPLACE TEMP TABLE _match (source_row INTEGER, "
                    "application_id VARCHAR)")
        return 0
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _match AS
        WITH cand AS (
            SELECT c.source_row, a.application_id,
                   c.applied_on IS NOT DISTINCT FROM a.applied_on AS same_day,
                   lower(c.location) IS NOT DISTINCT FROM lower(a.location) AS same_place,
                   coalesce(abs(date_diff('day', c.applied_on, a.applied_on)), 0) AS gap
            FROM _canonical c JOIN applications a
              ON c.company_key IS NOT DISTINCT FROM a.company_key
             AND c.title_key IS NOT DISTINCT FROM a.title_key
            WHERE (c.source_ref IS NOT DISTINCT FROM a.source_ref
                   OR c.source_ref IS NULL OR a.source_ref IS NULL)
              AND (c.applied_on IS NULL OR a.applied_on IS NULL
                   OR abs(date_diff('day', c.applied_on, a.applied_on)) <= {MATCH_WINDOW_DAYS})),
        best AS (
            SELECT *, row_number() OVER (PARTITION BY source_row
                                         ORDER BY same_day DESC, same_place DESC, gap,
                                                  application_id) AS r
            FROM cand)
        SELECT source_row, application_id FROM (
            SELECT *, row_number() OVER (PARTITION BY application_id
                                         ORDER BY same_day DESC, same_place DESC, gap,
                                                  source_row) AS r2
            FROM best WHERE r = 1)
        WHERE r2 = 1""")
    return scalar(con, "SELECT count(*) FROM _match")


def _merged_sql(import_id: int) -> str:
    """The stored row after this import: each field takes the new value where the new source
    has one; 'applied' or no stage never lowers a stage already known. One parameter: the
    file's name."""
    keep = ", ".join(f"coalesce(c.{f}, a.{f}) AS {f}" for f in FIELDS)
    return f"""
        SELECT a.application_id, {keep},
               CASE WHEN c.stage_reached IS NULL OR c.stage_reached = 'applied'
                    THEN a.stage_reached ELSE c.stage_reached END AS stage_reached,
               coalesce(c.outcome, a.outcome) AS outcome,
               CASE WHEN c.status_raw IS NOT NULL THEN c.s_known ELSE a.status_known END
                   AS status_known,
               ?::VARCHAR AS source_file, a.first_import_id,
               {import_id} AS last_import_id
        FROM _canonical c JOIN _match m USING (source_row)
        JOIN applications a ON a.application_id = m.application_id"""


def _update_matched(con, import_id: int, source_file: str) -> int:
    compared = FIELDS + ("stage_reached", "outcome", "status_known")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _merged AS {_merged_sql(import_id)}",
                [source_file])
    changed = " OR ".join(f"m.{f} IS DISTINCT FROM a.{f}" for f in compared)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _changed AS
        SELECT m.* FROM _merged m JOIN applications a USING (application_id) WHERE {changed}""")
    sets = ", ".join(f"{f} = ch.{f}" for f in compared + ("source_file", "last_import_id"))
    con.execute(f"""UPDATE applications SET {sets}, updated_at = now()::TIMESTAMP
        FROM _changed ch WHERE applications.application_id = ch.application_id""")
    return scalar(con, "SELECT count(*) FROM _changed")


def _new_id(con, import_id: int, matched: int) -> str:
    """SQL for the id of a new application over columns ``{t}dedupe_key`` and
    ``{t}source_row`` (``t`` a table alias and a dot, or nothing): the hash of its matching
    key as 16 hex digits; in the rare case that id is taken, the import and row are
    appended. The insert and the application's source row use the same expression."""
    plain = "printf('a%016x', {t}dedupe_key)"
    if matched == 0 and not scalar(con, "SELECT count(*) FROM applications"):
        return plain
    con.execute("""CREATE OR REPLACE TEMP TABLE _taken AS
        SELECT DISTINCT dedupe_key FROM _kept k SEMI JOIN applications a
        ON a.application_id = printf('a%016x', k.dedupe_key)""")
    if not scalar(con, "SELECT count(*) FROM _taken"):
        return plain
    return (f"CASE WHEN {{t}}dedupe_key IN (SELECT dedupe_key FROM _taken) "
            f"THEN {plain} || '-{import_id}-' || {{t}}source_row ELSE {plain} END")


def _insert_new(con, import_id: int, source_file: str, new_id: str, matched: int) -> None:
    """Insert the candidates no stored application matched."""
    columns = ", ".join(FIELDS)
    values = ", ".join(f"c.{f}" for f in FIELDS)
    unmatched = "ANTI JOIN _match m USING (source_row)" if matched else ""
    con.execute(f"""INSERT INTO applications (application_id, {columns}, stage_reached, outcome,
            status_known, source_file, first_import_id, last_import_id, updated_at)
        SELECT {new_id.format(t="c.")}, {values}, coalesce(c.stage_reached, 'applied'),
               coalesce(c.outcome, 'active'), coalesce(c.s_known, c.status_raw IS NULL),
               ?, {import_id}, {import_id}, now()::TIMESTAMP
        FROM _canonical c {unmatched}""", [source_file])


def write_import(con: duckdb.DuckDBPyConnection, record: dict, original: PackedFile,
                 also=lambda: None) -> dict:
    """Store one import (its record, the original file and its applications) in one
    transaction.

    ``record`` holds the imports-table fields except the ids and counts that this function
    fills in; ``also`` runs inside the transaction too, after the applications are stored and
    before the data checks (what is derived from them: themes, levels). Returns the record
    completed. Raises IngestError if a data check fails, after rolling everything back.
    """
    with transaction(con):
        import_id = scalar(con, "SELECT nextval('import_id_seq')")
        _store_file(con, original, record)
        matched = _match(con)
        new_id = _new_id(con, import_id, matched)
        updated = _update_matched(con, import_id, record["source_file"]) if matched else 0
        _insert_new(con, import_id, record["source_file"], new_id, matched)
        con.execute(f"""INSERT INTO application_sources
            SELECT coalesce(m.application_id, {new_id.format(t="k.")}), {import_id},
                   k.source_row
            FROM _kept k LEFT JOIN _match m USING (source_row)""")
        loaded = scalar(con, "SELECT count(*) FROM _kept")
        new = loaded - matched
        record.update(import_id=import_id, applications_loaded=loaded, applications_new=new,
                      applications_updated=updated)
        _insert_record(con, record)
        also()  # e.g. remember the mapping, tag the themes: in the same transaction
        failures = failing_checks(con)
        if failures:
            raise IngestError("the import was rolled back because a data check failed: " +
                              "; ".join(f"{k} ({v} rows)" for k, v in failures.items()) + ".",
                              hint="Please report this with the file's layout.")
    return record


@dataclass(frozen=True)
class PackedFile:
    """A file's content hash, size and zstd-compressed bytes, from one read."""

    sha256: str
    size: int
    data: bytes


def pack_file(path: Path) -> PackedFile:
    """Hash and compress a file in one pass (zstd level 1: fast; both release the GIL, so
    this can run in a thread while DuckDB reads the same file)."""
    digest, size = hashlib.sha256(), 0
    packer = zstandard.ZstdCompressor(level=1).compressobj()
    chunks = []
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
            size += len(block)
            chunks.append(packer.compress(block))
    chunks.append(packer.flush())
    return PackedFile(digest.hexdigest(), size, b"".join(chunks))


def _store_file(con, packed: PackedFile, record: dict) -> None:
    """Keep the original bytes once per distinct content."""
    if first_row(con, "SELECT 1 FROM import_files WHERE content_sha256 = ?", [packed.sha256]):
        return
    con.execute("INSERT INTO import_files VALUES (?, ?, ?, 'zstd', ?)",
                [packed.sha256, record["source_file"], packed.size, packed.data])


def stored_file(con: duckdb.DuckDBPyConnection, content_sha256: str) -> bytes | None:
    """The original bytes of an imported file, or None if it is not stored."""
    row = first_row(con, "SELECT data FROM import_files WHERE content_sha256 = ?",
                      [content_sha256])
    return zstandard.ZstdDecompressor().decompressobj().decompress(row[0]) if row else None


def _insert_record(con, record: dict) -> None:
    json_fields = ("mapping", "skipped", "unknown_statuses", "unparsed_dates")
    names = ["import_id", "source_file", "content_sha256", "layout", "layout_key", "sheet",
             "header_row", "columns", "mapping", "rows_read", "applications_loaded",
             "applications_new", "applications_updated", "rows_skipped", "skipped",
             "unknown_statuses", "unparsed_dates", "unmapped_columns"]
    values = [json.dumps(record[n], ensure_ascii=False) if n in json_fields else record[n]
              for n in names]
    con.execute(f"INSERT INTO imports ({', '.join(names)}, imported_at) VALUES "
                f"({', '.join('?' * len(names))}, now()::TIMESTAMP)", values)

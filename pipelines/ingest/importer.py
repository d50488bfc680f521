"""One file → the database: read, map, stage, normalise, load.

``ingest_file`` is the library entry point the CLI and the dashboard call. It
returns an ImportReport; it raises IngestError subclasses (with the file name)
when the input cannot be used, and then the database is left as it was.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from pipelines.errors import Choice, IngestError, MappingError, NoApplications, listed
from pipelines.ingest.detect.layouts import LAYOUTS, LINKEDIN_OWN, detect_layout, transition_columns
from pipelines.ingest.detect.mapping import propose_mapping
from pipelines.ingest.detect.profile import distinct_values, profile_columns
from pipelines.ingest.headers import normalize_header
from pipelines.ingest.load import pack_file, write_import
from pipelines.ingest.read.files import check_readable, read_file
from pipelines.ingest.read.rawtable import MAX_CELL_CHARS
from pipelines.ingest.stage import stage
from pipelines.store.db import first_row

# What an import needs only after reading the file: pandas, numpy and the modules built on
# them, half a second to import. warm_imports() imports them in a thread meanwhile, while
# DuckDB or calamine reads the file (both let go of the interpreter).
_AFTER_READING = ("pipelines.ingest.canonical", "pipelines.derive.scope", "pipelines.derive.themes")
_warming: list[threading.Thread] = []


def warm_imports() -> None:
    """Start importing what an import needs after its read, in a thread (once). An import
    that fails there fails again, with its message, where the module is used."""
    if _warming or all(name in sys.modules for name in _AFTER_READING):
        return

    def load() -> None:
        for name in _AFTER_READING:
            try:
                importlib.import_module(name)
            except Exception:  # raised again where the module is used
                return

    _warming.append(threading.Thread(target=load, name="warm-imports", daemon=True))
    _warming[0].start()


@dataclass
class ImportReport:
    """What one import did: counts, the mapping used, and everything left out and why."""

    source_file: str
    layout: str
    sheet: str | None
    header_row: int
    columns: list[str]
    mapping: dict[str, str]
    unmapped_columns: list[str]
    rows_read: int
    applications_loaded: int = 0
    applications_new: int = 0
    applications_updated: int = 0
    rows_skipped: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    unparsed_dates: dict[str, list[str]] = field(default_factory=dict)
    unparsed_date_rows: int = 0
    import_id: int | None = None
    already_imported: bool = False
    date_order: str = ""          # e.g. 'day first (proved by the dates)'; '' without dates
    warnings: list[str] = field(default_factory=list)
    asks: list[Choice] = field(default_factory=list)   # what the user may choose to do better
    sample: list[list] = field(default_factory=list)   # first rows as read, for a preview
    preview: list[dict] = field(default_factory=list)  # first applications, with dry_run
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)  # a workbook's sheets, to choose among

    def as_dict(self) -> dict:
        return asdict(self)


def layout_key(columns: list[str]) -> str:
    """A fingerprint of a header, so a mapping chosen once is reused for the same layout."""
    return hashlib.sha1("|".join(normalize_header(c) for c in columns).encode()).hexdigest()[:16]


def _saved(con, key: str) -> tuple[dict[str, str], str | None]:
    row = first_row(con, "SELECT overrides, layout FROM saved_mappings WHERE layout_key = ?",
                      [key])
    return (json.loads(row[0]), row[1]) if row else ({}, None)


def _save(con, key: str, overrides: dict[str, str], layout: str | None) -> None:
    con.execute("""INSERT OR REPLACE INTO saved_mappings VALUES (?, ?, ?, now()::TIMESTAMP)""",
                [key, json.dumps(overrides, ensure_ascii=False), layout])


def _previous_import(con, sha: str, sheet: str | None, mapping: dict, layout: str):
    return first_row(con,
        """SELECT import_id FROM imports WHERE content_sha256 = ? AND sheet IS NOT DISTINCT FROM ?
           AND mapping = ?::JSON AND layout = ? ORDER BY import_id DESC LIMIT 1""",
        [sha, sheet, json.dumps(mapping, ensure_ascii=False), layout])


def ingest_file(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, *,
                sheet: str | None = None, overrides: dict[str, str] | None = None,
                layout: str | None = None, display_name: str | None = None,
                dayfirst: bool | None = None, dry_run: bool = False) -> ImportReport:
    """Import one tracker file into the database and report what happened.

    ``dayfirst`` forces the order of numeric dates (True: 4/3/2025 is 4 March); by default
    it is proved from the dates or assumed from the file. ``dry_run`` does everything but
    write (and remember no mapping): the report then carries a preview of the first
    applications, for a mapping editor.

    Raises UnreadableFile, NoApplications or MappingError (all IngestError) naming the file.
    """
    path = Path(path)
    name = display_name or path.name
    warm_imports()
    cursor = con.cursor()  # its own temporary tables and transaction, gone when it closes
    try:
        return _ingest(cursor, path, name, sheet, overrides or {}, layout, dayfirst, dry_run)
    except IngestError as exc:
        exc.file = name
        raise
    finally:
        cursor.close()


def _ingest(con, path: Path, name: str, sheet, overrides, layout, dayfirst,
            dry_run) -> ImportReport:
    if layout is not None and layout not in LAYOUTS:
        raise MappingError(f"unknown layout {layout!r}.", hint="Layouts: " + ", ".join(LAYOUTS))
    check_readable(path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return _ingest_read(con, path, name, sheet, overrides, layout, dayfirst, dry_run,
                            pool)


def _ingest_read(con, path: Path, name: str, sheet, overrides, layout, dayfirst, dry_run,
                 pool: ThreadPoolExecutor) -> ImportReport:
    raw = read_file(con, path, sheet)
    # Hash and compress the file (both release the GIL) while Python profiles and maps the
    # columns on one core; during the read DuckDB wants both.
    packing = pool.submit(pack_file, path)
    key = layout_key(raw.columns)
    saved_overrides, saved_layout = _saved(con, key)
    profiles = profile_columns(con, raw.columns)  # the first rows, in order
    # Rows are numbered now; later steps need not keep their order, which lets DuckDB run
    # them in parallel with less memory.
    con.execute("SET SESSION preserve_insertion_order = false")
    mapping = propose_mapping(raw.columns, profiles, {**saved_overrides, **overrides})
    statuses = distinct_values(con, raw.columns, mapping.fields.get("status"))
    filled = [c for c in mapping.stage_columns if profiles[c].filled]
    chosen = layout or saved_layout or detect_layout(raw.columns, mapping, statuses, filled)
    _assign_roles(raw.columns, mapping, chosen)
    _require_identity(raw.columns, mapping, chosen)
    _refuse_summary(mapping, profiles)
    _require_progress(raw.columns, mapping, chosen, filled)
    report = ImportReport(source_file=name, layout=chosen, sheet=raw.sheet,
                          header_row=raw.header_row, columns=raw.columns,
                          mapping=mapping.as_dict(), unmapped_columns=mapping.unmapped,
                          rows_read=raw.rows_read, encoding=raw.encoding,
                          delimiter=raw.delimiter, sheets=list(raw.sheets))
    if raw.rows_cut:
        report.warnings.append(
            f"{raw.rows_cut:,} row{'s' if raw.rows_cut > 1 else ''} held a cell longer than "
            f"{MAX_CELL_CHARS:,} characters (what a spreadsheet cell holds), cut there.")
    report.sample = [list(r) for r in con.execute(
        "SELECT * EXCLUDE (source_row) FROM _raw_head LIMIT 20").fetchall()]
    remember = (lambda: _save(con, key, {**saved_overrides, **overrides},
                              layout or saved_layout)) if overrides or layout else (lambda: None)
    packed = packing.result()
    previous = _previous_import(con, packed.sha256, raw.sheet, report.mapping, chosen)
    if previous and not dry_run:
        report.already_imported, report.import_id = True, previous[0]
        remember()
        return report
    from pipelines.ingest.canonical import canonicalise  # imported meanwhile (warm_imports)

    staged = stage(con, chosen, raw.columns, mapping)
    found = canonicalise(con, staged=staged, dayfirst_hint=dayfirst_hint(raw, mapping),
                         dayfirst=dayfirst)
    if found.dayfirst is not None:
        report.date_order = (f"{'day' if found.dayfirst else 'month'} first "
                             f"({found.date_order_reason})")
    if "status" not in mapping.fields and chosen == "status_column":
        report.warnings.append("no status column was found, so every application counts as "
                               "active.")
        report.asks.append(Choice("field", "status", options=tuple(raw.columns)))
    report.skipped = {**raw.skipped, **found.skipped}
    report.rows_skipped = sum(v for k, v in report.skipped.items())
    report.unknown_statuses = found.unknown_statuses
    report.unparsed_dates = found.unparsed_dates
    report.unparsed_date_rows = found.unparsed_date_rows
    for label, rows in found.unread_scope.items():
        shown = ", ".join(f"{raw!r}" + (f" ×{n}" if n > 1 else "") for raw, n in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        report.warnings.append(f"{label} not understood, left empty (set it on the Scope fit "
                               f"page): {shown}{more}")
    if found.applications == 0:
        hint, choice = _nothing_hint(report)
        raise NoApplications(_nothing_found(report), hint=hint, choice=choice)
    if dry_run:
        report.already_imported = bool(previous)
        report.applications_loaded = found.applications
        cursor = con.execute(
            "SELECT company, job_title, applied_on, coalesce(stage_reached, 'applied') AS stage, "
            "coalesce(outcome, 'active') AS outcome, status_raw FROM _canonical "
            "ORDER BY source_row LIMIT 20")
        names = [d[0] for d in cursor.description]
        report.preview = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return report
    record = {**report.as_dict(), "content_sha256": packed.sha256, "layout_key": key}
    from pipelines.derive.scope import refresh_scope
    from pipelines.derive.themes import refresh_themes

    def derive() -> None:  # in the import's transaction: a kill never leaves half of it
        remember()
        refresh_themes(con)  # derived from the stored feedback: rebuilt, never edited by hand
        refresh_scope(con)  # levels derived from titles, scope and the profile

    write_import(con, record, original=packed, also=derive)
    for fld in ("import_id", "applications_loaded", "applications_new", "applications_updated"):
        setattr(report, fld, record[fld])
    return report


def _assign_roles(columns: list[str], mapping, layout: str) -> None:
    """Columns that the layout itself reads (stage transitions, one column per day)."""
    if layout == "transitions" and transition_columns(columns):
        source, target = transition_columns(columns)
        mapping.assign_role(source, "from stage")
        mapping.assign_role(target, "to stage")
    if layout == "date_columns":
        for column in columns:
            mapping.assign_role(column, "day applied")
    if layout == "linkedin":
        for column in columns:
            if normalize_header(column) in LINKEDIN_OWN:
                mapping.assign_role(column, "ignore")


def _require_identity(columns: list[str], mapping, layout: str) -> None:
    """A file must say which application is which: a company, a title or a reference."""
    if layout == "date_columns" or any(f in mapping.fields
                                       for f in ("company", "job_title", "source_ref")):
        return
    raise MappingError(
        "no column says which company or job each row is about.",
        hint=f"The columns are: {listed(columns)}.",
        choice=Choice("field", "company", others=("job_title",), options=tuple(columns)))


_DAY_FIRST_WORDS = {"firma", "empresa", "entreprise", "poste", "cargo", "vaga", "datum", "fecha",
                    "data", "stato", "estado", "statut", "ort", "ville", "ciudad", "plaats",
                    "bedrijf", "azienda", "unternehmen", "stelle", "sirket", "durum", "tarih",
                    "notizen", "bemerkung", "notas", "situacao", "jobtitel", "bewerbungsdatum",
                    "einreichdatum", "functie", "vacature", "sollicitatiedatum"}


def dayfirst_hint(raw, mapping) -> bool | None:
    """True when the file looks European or otherwise day-first: semicolons (European
    Excel), or headers in a language that writes the day first; None when nothing says."""
    if raw.delimiter == ";":
        return True
    words = {w for column in mapping.fields.values() for w in normalize_header(column).split()}
    if words & _DAY_FIRST_WORDS or any(not column.isascii() for column in mapping.fields.values()):
        return True
    return None


def _refuse_summary(mapping, profiles) -> None:
    """A pivot or summary table names categories and counts them: its company or title
    column holds numbers. Such a table is refused rather than loaded as applications."""
    named = [mapping.fields[f] for f in ("company", "job_title") if f in mapping.fields]
    if named and all(profiles[c].filled and profiles[c].numbers >= 0.8 for c in named):
        raise NoApplications(
            "this looks like a summary table (categories and counts), not one row per "
            "application.", hint="Import the sheet or file that lists each application.")


def _require_progress(columns: list[str], mapping, layout: str, filled: list[str]) -> None:
    """A file must say whether or when each row was applied for: a status, a date, a
    history, or at least two stage columns (one yes/no column alone is a side table)."""
    if layout in ("linkedin", "transitions", "date_columns") or len(filled) >= 2 or any(
            f in mapping.fields for f in ("status", "applied_on", "created_on",
                                          "status_history")):
        return
    raise NoApplications(
        "no column says whether or when each row was applied for (no status, no date "
        "applied, no stage columns); this looks like a list of companies, not applications.",
        hint="If it is your tracker, say which column holds the status.",
        choice=Choice("field", "status", others=("applied_on",), options=tuple(columns)))


def _nothing_found(report: ImportReport) -> str:
    if not report.rows_read:
        return "the table has a header but no data rows."
    reasons = "; ".join(f"{count} {reason}" for reason, count in report.skipped.items())
    return f"none of the {report.rows_read} rows is an application ({reasons})."


def _nothing_hint(report: ImportReport) -> tuple[str, Choice | None]:
    if "no sign it was applied for (no date applied or status)" in report.skipped:
        return ("If these rows are applications, add a Date Applied or Status column to the "
                "tracker, or say which column holds one.",
                Choice("field", "status", others=("applied_on",),
                       options=tuple(report.columns)))
    return "Check that this is the sheet or file that lists your applications.", None

"""Staged candidates (``_staged``) → canonical applications (``_canonical``).

Vectorised the way the conventions ask: the distinct values of each messy column
(statuses, dates, company names, titles, salaries, sizes) are learned once,
classified by the pure functions in ``pipelines.normalize``, registered as small
lookup tables and joined back in one SQL statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.db import scalar
from pipelines.normalize.dates import date_order_evidence, parse_dates
from pipelines.normalize.salary import parse_salary
from pipelines.normalize.sizes import (
    parse_amount,
    parse_org_size,
    parse_org_type,
    parse_reach,
    parse_yes_no,
)
from pipelines.normalize.statuses import STAGES, classify_statuses
from pipelines.normalize.text import clean_company, clean_title, company_key, title_key


@dataclass
class CanonicalReport:
    """What normalisation learned about one import."""

    skipped: dict[str, int] = field(default_factory=dict)
    unknown_statuses: dict[str, int] = field(default_factory=dict)
    unparsed_dates: dict[str, list[str]] = field(default_factory=dict)
    unparsed_date_rows: int = 0
    unread_scope: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    duplicates_merged: int = 0
    dayfirst: bool | None = None     # the date order used, None when no numeric dates
    date_order_reason: str = ""


def _distinct(con, column: str) -> pd.Series:
    values = con.execute(
        f"SELECT DISTINCT {column} FROM _staged WHERE {column} IS NOT NULL").fetchall()
    return pd.Series([v[0] for v in values], dtype="object")


def _register(con, name: str, frame: pd.DataFrame) -> None:
    con.register(f"{name}_df", frame)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
    finally:
        con.unregister(f"{name}_df")


def _status_map(con) -> None:
    raw = pd.concat([_distinct(con, "status_raw"), _distinct(con, "history_raw")]).drop_duplicates()
    found = classify_statuses(raw)
    _register(con, "_status_map", pd.DataFrame({
        "status_raw": raw.astype("string"), "s_stage": found["stage"].astype("string"),
        "s_outcome": found["outcome"].astype("string"), "s_known": found["known"],
        "s_pre": found["pre_application"]}))


DATE_COLUMNS = ("applied_raw", "outcome_raw", "created_raw")


def decide_date_order(con, hint: bool | None, forced: bool | None) -> tuple[bool | None, str]:
    """Day-first or month-first for every date column of the import, and why.

    One order for the whole file: a day above 12 anywhere proves it. Without proof, the
    user's choice, else the file's hint (semicolons, headers in a day-first language), else
    dots and dashes mean day-first and slashes month-first.
    """
    values = pd.concat([_distinct(con, c) for c in DATE_COLUMNS])
    total, day_proofs, month_proofs, european = date_order_evidence(values)
    if forced is not None:
        return forced, "as chosen"
    if not total:
        return None, ""
    if day_proofs != month_proofs:
        return day_proofs > month_proofs, "proved by the dates"
    if hint is not None:
        return hint, "assumed from the file's language and separators"
    return european > total - european, "assumed from how the dates are written"


def _date_map(con, column: str, dayfirst: bool | None) -> None:
    """Distinct date texts → dates. Whole numbers in the serial range are Excel serials;
    dates without a year take the column's most common year."""
    raw = _distinct(con, column)
    if not len(raw):
        _register(con, f"_dates_{column}", pd.DataFrame({
            "raw": pd.Series([], dtype="string"), "d": pd.Series([], dtype="object")}))
        return
    # In a column known to hold dates, a whole number in the serial range (1990-2100) is an
    # Excel date that lost its format.
    parsed = parse_dates(raw, dayfirst=dayfirst, allow_serials=True)
    years = parsed.dt.year.dropna()
    if parsed.isna().any() and len(years):
        parsed = parsed.fillna(parse_dates(raw, dayfirst=dayfirst, allow_serials=True,
                                           default_year=int(years.mode().iloc[0])))
    _register(con, f"_dates_{column}", pd.DataFrame({
        "raw": raw.astype("string"), "d": pd.to_datetime(parsed, errors="coerce").dt.date}))


def _text_map(con, column: str, clean, key) -> None:
    raw = _distinct(con, column)
    cleaned = clean(raw) if len(raw) else raw
    _register(con, f"_text_{column}", pd.DataFrame({
        "raw": raw.astype("string"), "clean": pd.Series(cleaned, dtype="string"),
        "key": pd.Series(key(cleaned, cleaned=True) if len(raw) else raw, dtype="string")}))


def _salary_map(con) -> None:
    raw = _distinct(con, "salary_raw")
    parsed = parse_salary(raw) if len(raw) else pd.DataFrame(
        columns=["salary_min", "salary_max", "salary_currency", "salary_period"])
    frame = pd.DataFrame({"raw": raw.astype("string")})
    frame["salary_min"] = pd.to_numeric(parsed["salary_min"], errors="coerce").astype("float64")
    frame["salary_max"] = pd.to_numeric(parsed["salary_max"], errors="coerce").astype("float64")
    frame["salary_currency"] = parsed["salary_currency"].astype("string")
    frame["salary_period"] = parsed["salary_period"].astype("string")
    _register(con, "_salary_map", frame)


def _size_map(con) -> None:
    raw = _distinct(con, "org_size_raw")
    _register(con, "_size_map", pd.DataFrame({
        "raw": raw.astype("string"),
        "employees": pd.Series(parse_org_size(raw) if len(raw) else [], dtype="Int64")}))


def _word_map(con, column: str, parse, dtype: str) -> None:
    """``_map_<column>``: each distinct raw value of a scope column and what it says."""
    raw = _distinct(con, column)
    _register(con, f"_map_{column}", pd.DataFrame({
        "raw": raw.astype("string"),
        "value": pd.Series(parse(raw) if len(raw) else [], dtype=dtype)}))


_STAGE_NAMES = "['applied', 'screen', 'interview', 'final', 'offer']"


def _stage_rank(column: str) -> str:
    """SQL for a stage's rank 1-5 (NULL when no stage): a CASE, cheaper than a list search."""
    whens = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STAGES, start=1))
    return f"CASE {column} {whens} END"


def canonicalise(con: duckdb.DuckDBPyConnection, *, dayfirst_hint: bool | None = None,
                 dayfirst: bool | None = None) -> CanonicalReport:
    """Create ``_canonical``: one row per application in this import, normalised and
    de-duplicated, with the reasons rows were left out counted in the report.
    ``dayfirst`` forces the date order; ``dayfirst_hint`` is used when the dates leave it
    open."""
    report = CanonicalReport()
    _status_map(con)
    order, report.date_order_reason = decide_date_order(con, dayfirst_hint, dayfirst)
    report.dayfirst = order
    for column in DATE_COLUMNS:
        _date_map(con, column, order)
    _text_map(con, "company", clean_company, company_key)
    _text_map(con, "job_title", clean_title, title_key)
    _salary_map(con)
    _size_map(con)
    _word_map(con, "org_type", parse_org_type, "string")
    _word_map(con, "org_reach", parse_reach, "string")
    _word_map(con, "people_raw", parse_amount, "Float64")
    _word_map(con, "budget_raw", parse_amount, "Float64")
    _word_map(con, "prep_hours_raw", parse_amount, "Float64")
    for column in ("researched_raw", "insiders_raw", "questions_raw", "feedback_asked_raw"):
        _word_map(con, column, parse_yes_no, "boolean")
    _report_unread_scope(con, report)
    ranks = [_stage_rank(c) for c in ("sm.s_stage", "sh.s_stage", "s.flag_stage")]
    furthest = f"{_STAGE_NAMES}[greatest({', '.join(ranks)})]"
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _joined AS
        SELECT s.source_row, tc.clean AS company, tt.clean AS job_title,
               tc.key AS company_key, tt.key AS title_key,
               coalesce(da.d, dc.d) AS applied_on,
               coalesce(s.applied_raw, s.created_raw) AS applied_raw,
               s.applied_raw IS NOT NULL OR dc.d IS NOT NULL AND s.created_counts AS dated,
               dout.d AS outcome_on, s.outcome_raw,
               s.status_raw, coalesce(sm.s_known, sh.s_known) AS s_known,
               coalesce(sm.s_pre, sh.s_pre) AS s_pre, {furthest} AS stage_reached,
               coalesce(CASE WHEN sm.s_outcome <> 'active' THEN sm.s_outcome END,
                        s.flag_outcome, sm.s_outcome,
                        CASE WHEN sh.s_outcome <> 'active' THEN sh.s_outcome END, sh.s_outcome,
                        CASE WHEN s.flag_stage IS NOT NULL THEN 'active' END) AS outcome,
               s.feedback AS feedback, s.notes AS notes,
               s.location AS location, s.salary_raw AS salary_raw,
               sal.salary_min, sal.salary_max, sal.salary_currency, sal.salary_period,
               s.source_channel AS source_channel,
               s.referral AS referral, s.contact AS contact,
               sz.employees AS org_size, ot.value AS org_type, rc.value AS org_reach,
               CASE WHEN pm.value < 1e6 THEN round(pm.value)::INTEGER END AS people_managed,
               bu.value AS budget, ph.value AS prep_hours, rs.value AS researched,
               ins.value AS insiders_contacted, qp.value AS questions_prepared,
               fa.value AS feedback_asked,
               s.job_url AS job_url, s.source_ref AS source_ref,
               s.layout_applied, s.not_applied, s.flag_stage, s.flag_outcome, s.occurrence
        FROM _staged s
        LEFT JOIN _status_map sm ON sm.status_raw = s.status_raw
        LEFT JOIN _status_map sh ON sh.status_raw = s.history_raw
        LEFT JOIN _dates_created_raw dc ON dc.raw = s.created_raw
        LEFT JOIN _dates_applied_raw da ON da.raw = s.applied_raw
        LEFT JOIN _dates_outcome_raw dout ON dout.raw = s.outcome_raw
        LEFT JOIN _text_company tc ON tc.raw = s.company
        LEFT JOIN _text_job_title tt ON tt.raw = s.job_title
        LEFT JOIN _salary_map sal ON sal.raw = s.salary_raw
        LEFT JOIN _size_map sz ON sz.raw = s.org_size_raw
        LEFT JOIN _map_org_type ot ON ot.raw = s.org_type
        LEFT JOIN _map_org_reach rc ON rc.raw = s.org_reach
        LEFT JOIN _map_people_raw pm ON pm.raw = s.people_raw
        LEFT JOIN _map_budget_raw bu ON bu.raw = s.budget_raw
        LEFT JOIN _map_prep_hours_raw ph ON ph.raw = s.prep_hours_raw
        LEFT JOIN _map_researched_raw rs ON rs.raw = s.researched_raw
        LEFT JOIN _map_insiders_raw ins ON ins.raw = s.insiders_raw
        LEFT JOIN _map_questions_raw qp ON qp.raw = s.questions_raw
        LEFT JOIN _map_feedback_asked_raw fa ON fa.raw = s.feedback_asked_raw""")
    # An outcome date belongs to an ended application ('Last updated' on an open one is not).
    con.execute("""CREATE OR REPLACE TEMP TABLE _judged AS SELECT * REPLACE (
                CASE WHEN outcome <> 'active' THEN outcome_on END AS outcome_on),
            outcome_on AS outcome_read,
            hash(company_key, title_key, applied_on, source_ref, occurrence,
                 lower(location)) AS dedupe_key,
            -- the id a new application gets: its key's 64-bit hash, as 16 hex digits
            printf('a%016x', hash(company_key, title_key, applied_on, source_ref, occurrence,
                                  lower(location))) AS new_id, CASE
            WHEN company IS NULL AND job_title IS NULL AND source_ref IS NULL
                THEN 'no company or job title'
            WHEN s_pre THEN 'not applied yet (wishlist status)'
            WHEN not_applied THEN 'marked as not applied'
            WHEN NOT (layout_applied OR dated OR status_raw IS NOT NULL)
                THEN 'no sign it was applied for (no date applied or status)'
            END AS skip_reason FROM _joined""")
    report.skipped = dict(con.execute(
        "SELECT skip_reason, count(*) FROM _judged WHERE skip_reason IS NOT NULL "
        "GROUP BY ALL ORDER BY 2 DESC").fetchall())
    _report_unknowns(con, report)
    _deduplicate(con, report)
    return report


_SCOPE_MAPS = (("organisation size", "org_size_raw", "_size_map", "employees"),
               ("organisation type", "org_type", "_map_org_type", "value"),
               ("reach", "org_reach", "_map_org_reach", "value"),
               ("people managed", "people_raw", "_map_people_raw", "value"),
               ("budget", "budget_raw", "_map_budget_raw", "value"))


def _report_unread_scope(con, report: CanonicalReport) -> None:
    """Scope values no rule could read (left empty), with how many rows hold each."""
    for label, column, table, value in _SCOPE_MAPS:
        rows = con.execute(f"""SELECT s.{column}, count(*) FROM _staged s
            JOIN {table} m ON m.raw = s.{column} WHERE m.{value} IS NULL
            GROUP BY 1 ORDER BY 2 DESC, 1""").fetchall()
        if rows:
            report.unread_scope[label] = rows


def _report_unknowns(con, report: CanonicalReport) -> None:
    report.unknown_statuses = dict(con.execute(
        "SELECT status_raw, count(*) FROM _judged WHERE skip_reason IS NULL AND NOT s_known "
        "GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
    for column, raw, read in (("date applied", "applied_raw", "applied_on"),
                              ("outcome date", "outcome_raw", "outcome_read")):
        rows = con.execute(
            f"SELECT {raw}, count(*) FROM _judged WHERE skip_reason IS NULL "
            f"AND {raw} IS NOT NULL AND {read} IS NULL GROUP BY ALL ORDER BY 2 DESC, 1"
        ).fetchall()
        if rows:
            report.unparsed_dates[column] = [r[0] for r in rows[:5]]
            report.unparsed_date_rows += sum(r[1] for r in rows)


def _deduplicate(con, report: CanonicalReport) -> None:
    """Rows naming the same application (company, title, date applied, reference) count once;
    the furthest stage, then the most definite outcome, then the last row wins. Only rows
    whose key repeats are ranked; the others are left as they are."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _repeats AS
        SELECT source_row FROM (
            SELECT source_row, row_number() OVER (
                PARTITION BY dedupe_key
                ORDER BY list_position(['applied','screen','interview','final','offer'],
                                       stage_reached) DESC NULLS LAST,
                         list_position(['offer','rejected','withdrawn','no_response','active'],
                                       outcome) NULLS LAST,
                         source_row DESC) AS rn
            FROM _judged
            WHERE skip_reason IS NULL AND dedupe_key IN (
                SELECT dedupe_key FROM _judged WHERE skip_reason IS NULL
                GROUP BY ALL HAVING count(*) > 1))
        WHERE rn > 1""")
    report.duplicates_merged = scalar(con, "SELECT count(*) FROM _repeats")
    if report.duplicates_merged:
        report.skipped["duplicate rows merged"] = report.duplicates_merged
        con.execute("UPDATE _judged SET skip_reason = 'duplicate' "
                    "WHERE source_row IN (SELECT source_row FROM _repeats)")
    con.execute("CREATE OR REPLACE TEMP VIEW _canonical AS "
                "SELECT * FROM _judged WHERE skip_reason IS NULL")

"""Staged candidates (``_staged``) → canonical applications (``_canonical``).

Vectorised the way the conventions ask: the distinct values of each messy column
(statuses, dates, company names, titles, salaries, sizes) are learned once, in one pass
over ``_staged``, classified by the pure functions in ``pipelines.normalize``, registered as
small lookup tables and joined back in SQL. Only the columns the file has are looked up.

Nothing of a million rows is copied on the way: ``_judged`` and ``_canonical`` are views
(the loader reads them once more to write the applications); one pass stores what the
report and the de-duplication need in the narrow table ``_keys``, and ``_kept`` names the
rows that become applications (``source_row`` and ``dedupe_key``, whose hash gives a new
application its id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.domain import OUTCOME_PRECEDENCE, STAGES, sql_array
from pipelines.ingest.stage import LOOKED_UP, STAGED, Staged, cell_text
from pipelines.normalize.dates import date_order_evidence, parse_dates
from pipelines.normalize.salary import parse_salary
from pipelines.normalize.sizes import (
    parse_amount,
    parse_org_size,
    parse_org_type,
    parse_reach,
    parse_yes_no,
)
from pipelines.normalize.statuses import classify_statuses
from pipelines.normalize.text import clean_company, clean_title, company_key, title_key
from pipelines.store.db import scalar


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
    applications: int = 0            # rows of _canonical: the applications this file holds


# Looked-up staged columns whose values are counted too, so that values no rule reads can
# be reported with their number of rows.
_COUNTED = ("org_size_raw", "org_type", "org_reach", "people_raw", "budget_raw")


@dataclass
class _Values:
    """The distinct values of the looked-up staged columns, learned in one pass over
    ``_staged``. A staged cell (``raw``, perhaps uncleaned) stands for its cleaned ``cell``
    (see ``layouts.Staged``); rules classify the distinct cells."""

    pairs: dict[str, list[tuple[str, str | None]]]  # column → [(raw, cell)]
    counts: dict[str, dict[str, int]]                # scope column → {cell: rows}

    def cells(self, column: str) -> pd.Series:
        """The distinct non-NULL cells of a column, in the order first seen."""
        return _series(dict.fromkeys(c for _, c in self.pairs.get(column, ()) if c is not None))


def _distinct_values(con, staged: Staged) -> _Values:
    wanted = [c for c in LOOKED_UP if c in staged.present]
    if not wanted:
        return _Values({}, {})
    # One pass over _staged: each column's distinct values (with their rows for the scope
    # columns), and those values cleaned where _staged holds them uncleaned.
    aggregates, finish = [], []
    for i, c in enumerate(wanted):
        if c in _COUNTED:
            aggregates.append(f"histogram({c}) FILTER (WHERE {c} IS NOT NULL) AS h{i}")
            raw, rows = f"map_keys(h{i})", f"map_values(h{i})"
        else:
            aggregates.append(f"list(DISTINCT {c}) FILTER (WHERE {c} IS NOT NULL) AS h{i}")
            raw, rows = f"h{i}", "NULL"
        cells = (f"list_transform({raw}, lambda x: {cell_text('x')})"
                 if c in staged.uncleaned else raw)
        finish += [raw, cells, rows]
    row = con.execute(f"SELECT {', '.join(finish)} FROM (SELECT {', '.join(aggregates)} "
                      f"FROM _staged)").fetchall()[0]
    pairs, counts = {}, {}
    for i, column in enumerate(wanted):
        raw, cells, rows = (row[3 * i] or []), (row[3 * i + 1] or []), row[3 * i + 2]
        pairs[column] = list(zip(raw, cells, strict=True))
        if column in _COUNTED:
            counted: dict[str, int] = {}
            for cell, n in zip(cells, rows or [], strict=True):
                if cell is not None:
                    counted[cell] = counted.get(cell, 0) + n
            counts[column] = counted
    return _Values({c: p for c, p in pairs.items() if p}, counts)


def _series(values) -> pd.Series:
    return pd.Series(list(values), dtype="object")


def _lookup(con, table: str, pairs: list[tuple[str, str | None]], found: pd.DataFrame) -> None:
    """Create ``table``: each staged value (``raw``), its cleaned ``cell`` and what the rules
    found for that cell (``found``, one row per distinct cell, in a column ``cell``)."""
    keys = pd.DataFrame({"raw": pd.Series([r for r, _ in pairs], dtype="string"),
                         "cell": pd.Series([c for _, c in pairs], dtype="string")})
    con.register("_keys_df", keys)
    con.register("_found_df", found.astype({"cell": "string"}))
    try:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT k.raw, k.cell, f.* EXCLUDE (cell) FROM _keys_df k
            LEFT JOIN _found_df f ON f.cell = k.cell""")
    finally:
        con.unregister("_keys_df")
        con.unregister("_found_df")


def _status_map(con, values: _Values) -> None:
    pairs = list(dict(values.pairs.get("status_raw", []) +
                      values.pairs.get("history_raw", [])).items())
    cells = pd.concat([values.cells("status_raw"),
                       values.cells("history_raw")]).drop_duplicates().reset_index(drop=True)
    found = classify_statuses(cells)
    _lookup(con, "_status_map", pairs, pd.DataFrame({
        "cell": cells, "s_stage": found["stage"].astype("string"),
        "s_outcome": found["outcome"].astype("string"), "s_known": found["known"],
        "s_pre": found["pre_application"]}))


DATE_COLUMNS = ("applied_raw", "outcome_raw", "created_raw")


def decide_date_order(values: _Values, hint: bool | None,
                      forced: bool | None) -> tuple[bool | None, str]:
    """Day-first or month-first for every date column of the import, and why.

    One order for the whole file: a day above 12 anywhere proves it. Without proof, the
    user's choice, else the file's hint (semicolons, headers in a day-first language), else
    dots and dashes mean day-first and slashes month-first.
    """
    dates = pd.concat([values.cells(c) for c in DATE_COLUMNS])
    total, day_proofs, month_proofs, european = date_order_evidence(dates)
    if forced is not None:
        return forced, "as chosen"
    if not total:
        return None, ""
    if day_proofs != month_proofs:
        return day_proofs > month_proofs, "proved by the dates"
    if hint is not None:
        return hint, "assumed from the file's language and separators"
    return european > total - european, "assumed from how the dates are written"


def _date_map(con, column: str, values: _Values, dayfirst: bool | None) -> None:
    """Distinct date texts → dates. Whole numbers in the serial range are Excel serials;
    dates without a year take the column's most common year."""
    cells = values.cells(column)
    # In a column known to hold dates, a whole number in the serial range (1990-2100) is an
    # Excel date that lost its format.
    parsed = parse_dates(cells, dayfirst=dayfirst, allow_serials=True)
    years = parsed.dt.year.dropna()
    if parsed.isna().any() and len(years):
        parsed = parsed.fillna(parse_dates(cells, dayfirst=dayfirst, allow_serials=True,
                                           default_year=int(years.mode().iloc[0])))
    _lookup(con, f"_dates_{column}", values.pairs[column], pd.DataFrame({
        "cell": cells, "d": pd.to_datetime(parsed, errors="coerce").dt.date}))


def _text_map(con, column: str, values: _Values, clean, key) -> None:
    cells = values.cells(column)
    cleaned = clean(cells)
    _lookup(con, f"_text_{column}", values.pairs[column], pd.DataFrame({
        "cell": cells, "clean": pd.Series(cleaned, dtype="string"),
        "key": pd.Series(key(cleaned, cleaned=True), dtype="string")}))


def _salary_map(con, values: _Values) -> None:
    cells = values.cells("salary_raw")
    parsed = parse_salary(cells)
    frame = pd.DataFrame({"cell": cells})
    frame["salary_min"] = pd.to_numeric(parsed["salary_min"], errors="coerce").astype("float64")
    frame["salary_max"] = pd.to_numeric(parsed["salary_max"], errors="coerce").astype("float64")
    frame["salary_currency"] = parsed["salary_currency"].astype("string")
    frame["salary_period"] = parsed["salary_period"].astype("string")
    _lookup(con, "_salary_map", values.pairs["salary_raw"], frame)


def _word_map(con, table: str, column: str, values: _Values, parse, dtype: str) -> None:
    """``table``: each distinct value of a column and what it says."""
    cells = values.cells(column)
    _lookup(con, table, values.pairs[column], pd.DataFrame({
        "cell": cells, "value": pd.Series(parse(cells) if len(cells) else [], dtype=dtype)}))


# Lookup tables joined onto _staged: alias → (table, staged column, {column: SQL type}).
# Every table also has ``raw`` (the staged value it is joined on) and ``cell`` (that value
# cleaned, which stands for the staged column in what follows).
_LOOKUPS = {
    "sm": ("_status_map", "status_raw", {"s_stage": "VARCHAR", "s_outcome": "VARCHAR",
                                         "s_known": "BOOLEAN", "s_pre": "BOOLEAN"}),
    "sh": ("_status_map", "history_raw", {"s_stage": "VARCHAR", "s_outcome": "VARCHAR",
                                          "s_known": "BOOLEAN", "s_pre": "BOOLEAN"}),
    "dc": ("_dates_created_raw", "created_raw", {"d": "DATE"}),
    "da": ("_dates_applied_raw", "applied_raw", {"d": "DATE"}),
    "dout": ("_dates_outcome_raw", "outcome_raw", {"d": "DATE"}),
    "tc": ("_text_company", "company", {"clean": "VARCHAR", "key": "VARCHAR"}),
    "tt": ("_text_job_title", "job_title", {"clean": "VARCHAR", "key": "VARCHAR"}),
    "sal": ("_salary_map", "salary_raw", {"salary_min": "DOUBLE", "salary_max": "DOUBLE",
                                         "salary_currency": "VARCHAR",
                                         "salary_period": "VARCHAR"}),
    "sz": ("_size_map", "org_size_raw", {"value": "BIGINT"}),
    "ot": ("_map_org_type", "org_type", {"value": "VARCHAR"}),
    "rc": ("_map_org_reach", "org_reach", {"value": "VARCHAR"}),
    "pm": ("_map_people_raw", "people_raw", {"value": "DOUBLE"}),
    "bu": ("_map_budget_raw", "budget_raw", {"value": "DOUBLE"}),
    "ph": ("_map_prep_hours_raw", "prep_hours_raw", {"value": "DOUBLE"}),
    "rs": ("_map_researched_raw", "researched_raw", {"value": "BOOLEAN"}),
    "ins": ("_map_insiders_raw", "insiders_raw", {"value": "BOOLEAN"}),
    "qp": ("_map_questions_raw", "questions_raw", {"value": "BOOLEAN"}),
    "fa": ("_map_feedback_asked_raw", "feedback_asked_raw", {"value": "BOOLEAN"}),
}
# The lookups that decide whether a row is an application and which rows are the same one.
_JUDGING = ("sm", "sh", "dc", "da", "dout", "tc", "tt")


class _Lookups:
    """SQL for lookup columns: ``alias.column`` where the file has the staged column, else a
    typed NULL (no table is built and nothing is joined for a column the file lacks)."""

    def __init__(self, looked_up: set[str], aliases) -> None:
        self.joined = [a for a in aliases if _LOOKUPS[a][1] in looked_up]

    def __getitem__(self, ref: str) -> str:
        alias, column = ref.split(".")
        if alias in self.joined:
            return ref
        return f"NULL::{'VARCHAR' if column == 'cell' else _LOOKUPS[alias][2][column]}"

    def joins(self) -> str:
        return "\n".join(f"LEFT JOIN {_LOOKUPS[a][0]} {a} ON {a}.raw = s.{_LOOKUPS[a][1]}"
                         for a in self.joined)


_STAGE_NAMES = sql_array(STAGES)


def _stage_rank(column: str) -> str:
    """SQL for a stage's rank 1-5 (NULL when no stage): a CASE, cheaper than a list search."""
    whens = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STAGES, start=1))
    return f"CASE {column} {whens} END"


def _build_maps(con, values: _Values, order: bool | None) -> None:
    """One lookup table per staged column the file fills (see _LOOKUPS)."""
    if "status_raw" in values.pairs or "history_raw" in values.pairs:
        _status_map(con, values)
    for column in DATE_COLUMNS:
        if column in values.pairs:
            _date_map(con, column, values, order)
    if "company" in values.pairs:
        _text_map(con, "company", values, clean_company, company_key)
    if "job_title" in values.pairs:
        _text_map(con, "job_title", values, clean_title, title_key)
    if "salary_raw" in values.pairs:
        _salary_map(con, values)
    words = {"org_size_raw": ("_size_map", parse_org_size, "Int64"),
             "org_type": ("_map_org_type", parse_org_type, "string"),
             "org_reach": ("_map_org_reach", parse_reach, "string"),
             "people_raw": ("_map_people_raw", parse_amount, "Float64"),
             "budget_raw": ("_map_budget_raw", parse_amount, "Float64"),
             "prep_hours_raw": ("_map_prep_hours_raw", parse_amount, "Float64")}
    words.update({c: (f"_map_{c}", parse_yes_no, "boolean") for c in
                  ("researched_raw", "insiders_raw", "questions_raw", "feedback_asked_raw")})
    for column, (table, parse, dtype) in words.items():
        if column in values.pairs:
            _word_map(con, table, column, values, parse, dtype)


def canonicalise(con: duckdb.DuckDBPyConnection, *, staged: Staged | None = None,
                 dayfirst_hint: bool | None = None,
                 dayfirst: bool | None = None) -> CanonicalReport:
    """Create ``_canonical``: one row per application in this import, normalised and
    de-duplicated, with the reasons rows were left out counted in the report.
    ``staged`` says what ``_staged`` holds (default: every column, all cleaned).
    ``dayfirst`` forces the date order; ``dayfirst_hint`` is used when the dates leave it
    open."""
    staged = staged or Staged(frozenset(STAGED))
    report = CanonicalReport()
    values = _distinct_values(con, staged)
    order, report.date_order_reason = decide_date_order(values, dayfirst_hint, dayfirst)
    report.dayfirst = order
    _build_maps(con, values, order)
    _report_unread_scope(con, values, report)
    _create_views(con, set(values.pairs))
    con.execute("""CREATE OR REPLACE TEMP TABLE _keys AS
        SELECT source_row, skip_reason, dedupe_key, stage_reached, outcome, s_known,
               CASE WHEN NOT s_known THEN status_raw END AS status_unknown,
               CASE WHEN applied_on IS NULL THEN applied_raw END AS applied_unread,
               CASE WHEN outcome_read IS NULL THEN outcome_raw END AS outcome_unread
        FROM _judged_core""")
    report.skipped = dict(con.execute(
        "SELECT skip_reason, count(*) FROM _keys WHERE skip_reason IS NOT NULL "
        "GROUP BY ALL ORDER BY 2 DESC").fetchall())
    _report_unknowns(con, report)
    _deduplicate(con, report)
    report.applications = scalar(con, "SELECT count(*) FROM _kept")
    return report


def _create_views(con, looked_up: set[str]) -> None:
    """``_judged_core``: each staged row with what decides whether and which application it
    is; ``_judged`` adds every other field; ``_canonical`` is added by _deduplicate.
    ``looked_up`` names the staged columns with a lookup table (the others hold no value)."""
    core = _Lookups(looked_up, _JUDGING)
    ranks = [_stage_rank(c) for c in (core["sm.s_stage"], core["sh.s_stage"], "s.flag_stage")]
    furthest = f"{_STAGE_NAMES}[greatest({', '.join(ranks)})]"
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _joined_core AS
        SELECT s.* EXCLUDE (company, job_title, status_raw, applied_raw, created_raw,
                            outcome_raw),
               {core["tc.clean"]} AS company, {core["tt.clean"]} AS job_title,
               {core["tc.key"]} AS company_key, {core["tt.key"]} AS title_key,
               {core["sm.cell"]} AS status_raw, {core["dout.cell"]} AS outcome_raw,
               coalesce({core["da.d"]}, {core["dc.d"]}) AS applied_on,
               coalesce({core["da.cell"]}, {core["dc.cell"]}) AS applied_raw,
               {core["da.cell"]} IS NOT NULL OR {core["dc.d"]} IS NOT NULL AND s.created_counts
                   AS dated,
               {core["dout.d"]} AS outcome_on,
               coalesce({core["sm.s_known"]}, {core["sh.s_known"]}) AS s_known,
               coalesce({core["sm.s_pre"]}, {core["sh.s_pre"]}) AS s_pre,
               {furthest} AS stage_reached,
               coalesce(CASE WHEN {core["sm.s_outcome"]} <> 'active'
                             THEN {core["sm.s_outcome"]} END,
                        s.flag_outcome, {core["sm.s_outcome"]},
                        CASE WHEN {core["sh.s_outcome"]} <> 'active'
                             THEN {core["sh.s_outcome"]} END, {core["sh.s_outcome"]},
                        CASE WHEN s.flag_stage IS NOT NULL THEN 'active' END) AS outcome
        FROM _staged s
        {core.joins()}""")
    # An outcome date belongs to an ended application ('Last updated' on an open one is not).
    con.execute("""CREATE OR REPLACE TEMP VIEW _judged_core AS
        SELECT * EXCLUDE (outcome_on, dedupe_key),
               CASE WHEN outcome <> 'active' THEN outcome_on END AS outcome_on,
               outcome_on AS outcome_read, dedupe_key,
               -- the id a new application gets: its key's 64-bit hash, as 16 hex digits
               printf('a%016x', dedupe_key) AS new_id, CASE
            WHEN company IS NULL AND job_title IS NULL AND source_ref IS NULL
                THEN 'no company or job title'
            WHEN s_pre THEN 'not applied yet (wishlist status)'
            WHEN not_applied THEN 'marked as not applied'
            WHEN NOT (layout_applied OR dated OR status_raw IS NOT NULL)
                THEN 'no sign it was applied for (no date applied or status)'
            END AS skip_reason
        FROM (SELECT *, hash(company_key, title_key, applied_on, source_ref, occurrence,
                             lower(location)) AS dedupe_key FROM _joined_core)""")
    rest = _Lookups(looked_up, [a for a in _LOOKUPS if a not in _JUDGING])
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _judged AS
        SELECT s.source_row, s.company, s.job_title, s.company_key, s.title_key,
               s.applied_on, s.applied_raw, s.dated, s.outcome_on, s.outcome_read,
               s.outcome_raw, s.status_raw, s.s_known, s.s_pre, s.stage_reached, s.outcome,
               s.feedback, s.notes, s.location, {rest["sal.cell"]} AS salary_raw,
               {rest["sal.salary_min"]} AS salary_min, {rest["sal.salary_max"]} AS salary_max,
               {rest["sal.salary_currency"]} AS salary_currency,
               {rest["sal.salary_period"]} AS salary_period,
               s.source_channel, s.referral, s.contact,
               {rest["sz.value"]} AS org_size, {rest["ot.value"]} AS org_type,
               {rest["rc.value"]} AS org_reach,
               CASE WHEN {rest["pm.value"]} < 1e6 THEN round({rest["pm.value"]})::INTEGER END
                   AS people_managed,
               {rest["bu.value"]} AS budget, {rest["ph.value"]} AS prep_hours,
               {rest["rs.value"]} AS researched, {rest["ins.value"]} AS insiders_contacted,
               {rest["qp.value"]} AS questions_prepared,
               {rest["fa.value"]} AS feedback_asked,
               s.job_url, s.source_ref, s.layout_applied, s.not_applied, s.flag_stage,
               s.flag_outcome, s.occurrence, s.dedupe_key, s.new_id, s.skip_reason
        FROM _judged_core s
        {rest.joins()}""")


_SCOPE_MAPS = (("organisation size", "org_size_raw", "_size_map"),
               ("organisation type", "org_type", "_map_org_type"),
               ("reach", "org_reach", "_map_org_reach"),
               ("people managed", "people_raw", "_map_people_raw"),
               ("budget", "budget_raw", "_map_budget_raw"))


def _report_unread_scope(con, values: _Values, report: CanonicalReport) -> None:
    """Scope values no rule could read (left empty), with how many rows hold each."""
    for label, column, table in _SCOPE_MAPS:
        if column not in values.pairs:
            continue
        unread = {r[0] for r in con.execute(
            f"SELECT cell FROM {table} WHERE cell IS NOT NULL AND value IS NULL").fetchall()}
        rows = sorted(((cell, n) for cell, n in values.counts[column].items() if cell in unread),
                      key=lambda item: (-item[1], item[0]))
        if rows:
            report.unread_scope[label] = rows


def _report_unknowns(con, report: CanonicalReport) -> None:
    report.unknown_statuses = dict(con.execute(
        "SELECT status_unknown, count(*) FROM _keys WHERE skip_reason IS NULL AND NOT s_known "
        "GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
    for column, unread in (("date applied", "applied_unread"),
                           ("outcome date", "outcome_unread")):
        rows = con.execute(
            f"SELECT {unread}, count(*) FROM _keys WHERE skip_reason IS NULL "
            f"AND {unread} IS NOT NULL GROUP BY ALL ORDER BY 2 DESC, 1").fetchall()
        if rows:
            report.unparsed_dates[column] = [r[0] for r in rows[:5]]
            report.unparsed_date_rows += sum(r[1] for r in rows)


def _deduplicate(con, report: CanonicalReport) -> None:
    """Rows naming the same application (company, title, date applied, reference) count once;
    the furthest stage, then the most definite outcome, then the last row wins. Only rows
    whose key repeats are ranked; the others are left as they are."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _repeats AS
        SELECT source_row FROM (
            SELECT source_row, row_number() OVER (
                PARTITION BY dedupe_key
                ORDER BY list_position({_STAGE_NAMES}, stage_reached) DESC NULLS LAST,
                         list_position({sql_array(OUTCOME_PRECEDENCE)}, outcome) NULLS LAST,
                         source_row DESC) AS rn
            FROM _keys
            WHERE skip_reason IS NULL AND dedupe_key IN (
                SELECT dedupe_key FROM _keys WHERE skip_reason IS NULL
                GROUP BY ALL HAVING count(*) > 1))
        WHERE rn > 1""")
    report.duplicates_merged = scalar(con, "SELECT count(*) FROM _repeats")
    repeats = ""
    if report.duplicates_merged:
        report.skipped["duplicate rows merged"] = report.duplicates_merged
        repeats = " AND source_row NOT IN (SELECT source_row FROM _repeats)"
    con.execute("CREATE OR REPLACE TEMP VIEW _kept AS SELECT source_row, dedupe_key FROM _keys "
                f"WHERE skip_reason IS NULL{repeats}")
    con.execute("CREATE OR REPLACE TEMP VIEW _canonical AS "
                f"SELECT * FROM _judged WHERE skip_reason IS NULL{repeats}")

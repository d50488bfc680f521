"""Raw rows → one row per application candidate (the temp table ``_staged``), by the layout
``detect.layouts`` named (see there for the layouts)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.domain import NO_WORDS, NOT_A_YES_WORDS, STAGE_RANK, sql_says
from pipelines.errors import Choice, MappingError
from pipelines.ingest.detect.layouts import LAYOUTS, NAME_SEPARATOR, transition_columns
from pipelines.ingest.detect.mapping import SECOND_STATUS, Mapping
from pipelines.ingest.headers import normalize_header

CELL_OUTCOMES = {"g": "no_response", "ghosted": "no_response", "ghost": "no_response",
                 "r": "rejected", "rejected": "rejected", "rej": "rejected"}
_OUTCOME_PRIORITY = ("offer", "withdrawn", "rejected", "no_response")
_APPLIED_FLAG_HEADERS = {"applied", "applied yes no", "applied y n", "submitted", "beworben",
                         "application submitted", "basvuruldu"}


def _col(columns: list[str], name: str) -> str:
    return f"c{columns.index(name)}"


def cell_text(expr: str) -> str:
    """SQL cleaning every cell: the no-break space spreadsheets carry made plain, ends trimmed,
    empty as NULL. (replace + trim costs a third of translate over a million rows, and is
    run only on the cells that need it: most need neither, and copying them cost as much
    again; company and title get the full clean-up in normalize/text.py.)"""
    return (f"CASE WHEN {expr} = '' OR starts_with({expr}, ' ') OR ends_with({expr}, ' ') "
            f"OR contains({expr}, '\u00a0') "
            f"THEN nullif(trim(replace({expr}, '\u00a0', ' ')), '') ELSE {expr} END")


STAGED = ("company", "job_title", "applied_raw", "created_raw", "status_raw", "history_raw",
          "outcome_raw", "feedback", "notes", "location", "salary_raw", "source_channel",
          "referral", "contact", "org_size_raw", "org_type", "org_reach", "people_raw",
          "budget_raw", "prep_hours_raw", "researched_raw", "insiders_raw", "questions_raw",
          "feedback_asked_raw", "job_url", "source_ref", "flag_stage", "flag_outcome",
          "occurrence")
# Staged columns whose distinct values are looked up (classified once each in Python).
LOOKED_UP = ("status_raw", "history_raw", "applied_raw", "outcome_raw", "created_raw", "company",
             "job_title", "salary_raw", "researched_raw", "insiders_raw", "questions_raw",
             "feedback_asked_raw", "prep_hours_raw", "org_size_raw", "org_type", "org_reach",
             "people_raw", "budget_raw")
RAW_FIELDS = {"applied_on": "applied_raw", "created_on": "created_raw", "status": "status_raw",
              "status_history": "history_raw", "outcome_on": "outcome_raw",
              "salary": "salary_raw", "org_size": "org_size_raw",
              "people_managed": "people_raw", "budget": "budget_raw",
              "prep_hours": "prep_hours_raw", "researched": "researched_raw",
              "insiders_contacted": "insiders_raw", "questions_prepared": "questions_raw",
              "feedback_asked": "feedback_asked_raw"}


@dataclass(frozen=True)
class Staged:
    """What ``_staged`` holds: the staged columns that can hold a value (the others are NULL
    on every row), and among the looked-up ones those that hold a file's cells as they are.
    Such a cell is cleaned (``cell_text``) once per distinct value, by its lookup table,
    rather than on every row of every pass."""

    present: frozenset[str]
    uncleaned: frozenset[str] = frozenset()


def _staged_select(exprs: dict[str, str], *, applied: str = "TRUE", not_applied: str = "FALSE",
                   created_counts: bool = True) -> str:
    """The select list of ``_staged``: every staged column, NULL where a layout has no value.

    ``applied`` says the layout itself shows the row was applied for; ``created_counts``
    whether a created-on date is evidence of applying (not when a status column exists).
    """
    cols = [f"{exprs.get(name, 'NULL::VARCHAR')} AS {name}" for name in STAGED]
    return ", ".join(cols + [f"{applied} AS layout_applied", f"{not_applied} AS not_applied",
                             f"{str(created_counts).upper()} AS created_counts"])


def _field_exprs(columns: list[str], mapping: Mapping) -> dict[str, str]:
    """Staged column → SQL over the raw columns, for every mapped field. A salary spread
    over min, max and currency columns is joined into one text ('80000 - 95000 EUR')."""
    exprs = {}
    for fld, col in mapping.fields.items():
        exprs[RAW_FIELDS.get(fld, fld)] = cell_text(_col(columns, col))
    if "salary_max" in exprs or "salary_currency" in exprs:
        parts = [exprs.get("salary_raw", "NULL"), "'- ' || " + exprs.get("salary_max", "NULL"),
                 exprs.get("salary_currency", "NULL")]
        exprs["salary_raw"] = f"nullif(concat_ws(' ', {', '.join(parts)}), '')"
    for column, role in mapping.roles.items():
        if role == "company and title":
            exprs["company"], exprs["job_title"] = _split_name(
                cell_text(_col(columns, column)))
        elif role == SECOND_STATUS and "status_raw" in exprs:  # 'Screen | Rejected'
            exprs["status_raw"] = (f"nullif(concat_ws(' | ', {exprs['status_raw']}, "
                                   f"{cell_text(_col(columns, column))}), '')")
    return exprs


_JOB_WORDS = (r"(?i)\b(engineer|developer|manager|analyst|designer|director|intern|internship|"
              r"scientist|consultant|specialist|lead|officer|associate|coordinator|architect|"
              r"administrator|assistant|head|vp|president|product|marketing|sales|data|"
              r"software|senior|junior|staff|principal|writer|editor|researcher|teacher)\b")


def _split_name(value: str) -> tuple[str, str]:
    """SQL for (company, title) from one 'Company – Role' or 'Role @ Company' cell: after
    '@' or 'at' the company comes second; otherwise the part with job words is the title."""
    left = f"trim(regexp_extract({value}, '^(.*?){NAME_SEPARATOR}', 1))"
    right = f"trim(regexp_replace({value}, '^(.*?){NAME_SEPARATOR}', ''))"
    title_first = (f"(regexp_matches({value}, '\\s(@|at|bei|chez)\\s') OR "
                   f"(regexp_matches({left}, '{_JOB_WORDS}') AND NOT "
                   f"regexp_matches({right}, '{_JOB_WORDS}')))")
    split = f"regexp_matches({value}, '{NAME_SEPARATOR}')"
    company = (f"CASE WHEN NOT {split} THEN {value} WHEN {title_first} THEN {right} "
               f"ELSE {left} END")
    title = (f"CASE WHEN NOT {split} THEN NULL WHEN {title_first} THEN {left} "
             f"ELSE {right} END")
    return company, title


def _reached(expr: str) -> str:
    """A stage cell that says the stage was reached: filled, not 'no', not an outcome word."""
    said = sql_says(expr, NOT_A_YES_WORDS + tuple(CELL_OUTCOMES))
    return f"({cell_text(expr)} IS NOT NULL AND NOT {said})"


def _evidence_exprs(columns: list[str], mapping: Mapping) -> tuple[str, str]:
    """SQL for 'some stage cell is filled in' and 'the Applied column says no'."""
    cells = [_col(columns, c) for c in mapping.stage_columns]
    filled = " OR ".join(f"{cell_text(c)} IS NOT NULL" for c in cells) or "FALSE"
    applied = [_col(columns, c) for c in mapping.stage_columns
               if normalize_header(c) in _APPLIED_FLAG_HEADERS]
    said_no = " AND ".join(sql_says(c, NOT_A_YES_WORDS) for c in applied)
    return f"({filled})", f"({said_no})" if applied else "FALSE"


def _flag_exprs(columns: list[str], mapping: Mapping, has_status: bool) -> tuple[str, str]:
    """SQL for the furthest stage reached and the outcome the stage columns show.

    The outcome comes from outcome columns ('Rejected', 'Ghosted'), then from outcome words
    in stage cells ('G' for ghosted), then, when the file has no status column, from an
    explicit 'no' under a stage past applied (the process stopped there: rejected).
    """
    stage_cols = [(STAGE_RANK[s], _col(columns, c)) for c, (s, _) in
                  mapping.stage_columns.items() if s]
    stage_sql = "CASE " + " ".join(
        f"WHEN {_reached(c)} THEN '{list(STAGE_RANK)[r]}'" for r, c in
        sorted(stage_cols, reverse=True)) + " END" if stage_cols else "NULL::VARCHAR"
    whens = [(o, _reached(_col(columns, c))) for c, (_, o) in mapping.stage_columns.items()
             if o]
    whens.sort(key=lambda item: _OUTCOME_PRIORITY.index(item[0]))
    for outcome in ("rejected", "no_response"):
        words = [w for w, o in CELL_OUTCOMES.items() if o == outcome]
        whens += [(outcome, sql_says(c, words)) for _, c in stage_cols]
    if not has_status:
        whens += [("rejected", sql_says(c, NO_WORDS)) for r, c in stage_cols if r > 0]
    outcome_sql = "CASE " + " ".join(f"WHEN {w} THEN '{o}'" for o, w in whens) + " END" \
        if whens else "NULL::VARCHAR"
    return stage_sql, outcome_sql


def stage(con: duckdb.DuckDBPyConnection, layout: str, columns: list[str],
          mapping: Mapping) -> Staged:
    """Create ``_staged`` from ``_raw``: one row per application candidate, canonical columns.
    Returns what it holds (see ``Staged``).

    For a layout of one row per application ``_staged`` is a view: the later steps read it
    two or three times, and recomputing its cells costs less than storing a copy of them."""
    if layout not in LAYOUTS:
        raise MappingError(f"unknown layout {layout!r}.", hint="Layouts: " + ", ".join(LAYOUTS))
    if layout == "transitions":
        return _stage_transitions(con, columns, mapping)
    if layout == "date_columns":
        return _stage_date_columns(con, columns)
    exprs = _field_exprs(columns, mapping)
    has_status = "status" in mapping.fields
    exprs["flag_stage"], exprs["flag_outcome"] = _flag_exprs(columns, mapping, has_status)
    filled, said_no = _evidence_exprs(columns, mapping)
    if layout == "linkedin" and "source_channel" not in mapping.fields:
        exprs["source_channel"] = "'LinkedIn'"
    # A looked-up field read from one column as it is (not joined with another column) is
    # staged uncleaned: its lookup cleans each distinct cell once.
    cells = {RAW_FIELDS.get(fld, fld): _col(columns, col) for fld, col in mapping.fields.items()}
    uncleaned = {name for name in LOOKED_UP
                 if name in cells and exprs.get(name) == cell_text(cells[name])}
    exprs.update({name: cells[name] for name in uncleaned})
    select = _staged_select(exprs, applied="TRUE" if layout == "linkedin" else filled,
                            not_applied=f"{said_no} AND ({exprs['flag_stage']}) IS NULL",
                            created_counts=not has_status)
    con.execute(f"CREATE OR REPLACE TEMP VIEW _staged AS SELECT source_row, {select} FROM _raw")
    return Staged(_present(exprs), frozenset(uncleaned))


def _present(exprs: dict[str, str]) -> frozenset[str]:
    """The staged columns an expression fills (not the NULL of an absent field)."""
    return frozenset(name for name in STAGED
                     if exprs.get(name) not in (None, "NULL", "NULL::VARCHAR"))


def _stage_transitions(con, columns: list[str], mapping: Mapping) -> Staged:
    """Transition rows → one row per application: a new application starts on every row
    with a company; rows with a blank company continue the one above. The path of targets
    becomes a multi-status ('A -> B -> C') that the status classifier reads."""
    source_col, target_col = (_col(columns, c) for c in transition_columns(columns))
    company = mapping.fields.get("company")
    if not company:
        raise MappingError("the transition list has no company column.",
                           choice=Choice("field", "company", options=tuple(columns)))
    exprs = {fld: f"any_value({e})" for fld, e in _field_exprs(columns, mapping).items()}
    exprs["status_raw"] = (f"string_agg(coalesce({cell_text(source_col)}, '') || ' -> ' || "
                           f"coalesce({cell_text(target_col)}, ''), ' -> ' "
                           f"ORDER BY source_row)")
    exprs["occurrence"] = "NULL"
    comp = cell_text(_col(columns, company))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _staged AS
        WITH grouped AS (
            SELECT *, count({comp}) OVER (ORDER BY source_row) AS app_no FROM _raw),
        apps AS (
            SELECT min(source_row) AS source_row, {_staged_select(exprs)}
            FROM grouped WHERE app_no > 0 GROUP BY app_no)
        SELECT * REPLACE (row_number() OVER (PARTITION BY lower(company)
                                            ORDER BY source_row)::VARCHAR AS occurrence)
        FROM apps""")
    return Staged(_present(exprs) | {"status_raw", "occurrence"})


def _stage_date_columns(con, columns: list[str]) -> Staged:
    """One column per day → one row per (day, company cell). A trailing '(…)' in a cell is
    the place ('2. Acme (Boston)'); list numbering is removed later with the company text.
    ``source_row`` is row × 100000 + column number, one per cell."""
    import pandas as pd

    from pipelines.normalize.dates import parse_dates

    dates = parse_dates(pd.Series(columns, dtype="object"), allow_serials=False)
    pairs = [(f"c{i}", d.date().isoformat()) for i, d in enumerate(dates) if pd.notna(d)]
    days = ", ".join(f"('{c}', '{d}')" for c, d in pairs)
    cells = ", ".join(c for c, _ in pairs)
    exprs = {"company": r"nullif(trim(regexp_replace(cell, '\s*\(([^()]*)\)\s*$', '')), '')",
             "location": r"nullif(regexp_extract(cell, '\(([^()]*)\)\s*$', 1), '')",
             "applied_raw": "day"}
    con.execute(rf"""CREATE OR REPLACE TEMP TABLE _staged AS
        WITH cells AS (
            SELECT source_row * 100000 + list_position([{", ".join(repr(c) for c, _ in pairs)}],
                   col) AS source_row, col, trim(cell) AS cell
            FROM (UNPIVOT (SELECT source_row, {cells} FROM _raw) ON {cells}
                  INTO NAME col VALUE cell)
            WHERE nullif(trim(cell), '') IS NOT NULL
              AND NOT regexp_matches(trim(cell), '^=|^[\d\s.,:/\-]+$'))
        SELECT source_row, {_staged_select(exprs)}
        FROM cells JOIN (VALUES {days}) d(col, day) USING (col)""")
    return Staged(_present(exprs))

"""SQL → small DataFrames for the dashboard. No streamlit here.

Every function that takes ``filters`` reads ``applications_view`` (imported facts with the
user's corrections; as ``_view`` writes it, joining only the correction tables that hold
rows) narrowed by ``filters.where``, aggregates in DuckDB and returns a frame of a few
hundred rows at most (``applications_table``, one row per application, is capped by
``limit``). ``con`` may be a connection or a cursor; every result is read to the end
(DuckDB 2 refuses other work on a connection while a result is half read).

Words used below:

* **stage rank**: 0 applied, 1 screen, 2 interview, 3 final, 4 offer. An application whose
  outcome is ``offer`` counts as having reached the offer stage whatever its stored stage
  (an offer means every round was passed), so the Sankey, the funnel and the rates agree.
* **as-of date**: the latest ``applied_on`` in the whole database (not only the filtered
  part). Silence is measured up to it rather than up to today, so an old tracker does not
  turn every open application into a ghost.
* Dates come back as pandas ``datetime64`` columns (midnight), as DuckDB gives them;
  ``filter_options`` and the ``kpis`` periods use ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from dashboard.filters import Filters, where
from dashboard.labels import FLOW_NODES, LEVEL_LABELS, OUTCOME_LABELS, STAGE_LABELS, TYPE_LABELS
from pipelines.derive.scope import candidate_level
from pipelines.domain import OUTCOMES, STAGES, sql_array, stage_rank_sql
from pipelines.edits.coaching import weekly_goal  # noqa: F401 (state.query reads it from here)
from pipelines.store.db import first_row, scalar
from pipelines.store.view import edits_present, pruned_view

DEFAULT_WINDOW_DAYS = 30   # the period compared when no dates are chosen
MAX_SEGMENTS = 15          # rows of segment_conversion, 'Other' included
Z_95 = 1.959963984540054   # two-sided 95% normal quantile

_STAGE_RANK_SQL = stage_rank_sql()
SIZE_BANDS = ("1-49", "50-249", "250-999", "1,000-4,999", "5,000+")
SIZE_BAND_SQL = ("CASE WHEN org_size IS NULL THEN 'Unknown' "
                 "WHEN org_size < 50 THEN '1-49' WHEN org_size < 250 THEN '50-249' "
                 "WHEN org_size < 1000 THEN '250-999' "
                 "WHEN org_size < 5000 THEN '1,000-4,999' ELSE '5,000+' END")
# Stretch (effective level of the role − the candidate's), in bands of whole levels.
STRETCH_BANDS = ("2+ levels below", "1 level below", "Your level", "1 level above",
                 "2+ levels above")
STRETCH_BAND_SQL = ("CASE WHEN stretch IS NULL THEN 'Unknown' "
                    "WHEN stretch <= -1.5 THEN '2+ levels below' "
                    "WHEN stretch <= -0.5 THEN '1 level below' "
                    "WHEN stretch < 0.5 THEN 'Your level' "
                    "WHEN stretch < 1.5 THEN '1 level above' ELSE '2+ levels above' END")
LEVEL_NAMES = LEVEL_LABELS
_LEVEL_LABELS = tuple(f"{k} {v}" for k, v in LEVEL_NAMES.items())
_LEVEL_SQL = ("CASE title_level " + " ".join(
    f"WHEN {k} THEN '{k} {v}'" for k, v in LEVEL_NAMES.items()) + " END")

# Segment label → SQL expression over applications_view. NULL or blank becomes 'Unknown'.
SEGMENTS: dict[str, str] = {
    "Source": "trim(source_channel)",
    # the view's one answer (applications_view.referred), as the Preparation page reads it
    "Referral": "CASE WHEN referred THEN 'Referred' WHEN NOT referred THEN 'Not referred' END",
    "Location": "trim(location)",
    "Organisation size": SIZE_BAND_SQL,
    "Organisation type": "CASE org_type " + " ".join(
        f"WHEN '{code}' THEN '{label}'" for code, label in TYPE_LABELS.items()) + " END",
    "Title level": _LEVEL_SQL,
    "Stretch": STRETCH_BAND_SQL,
    "Function": "replace(upper(left(title_function, 1)) || substr(title_function, 2), '_', ' ')",
}
# The columns each segment's expression reads: rows are counted per distinct value of these
# first and the expression is worked out once per distinct value, not once per application.
_SEGMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "Source": ("source_channel",), "Referral": ("referred",),
    "Location": ("location",), "Organisation size": ("org_size",),
    "Organisation type": ("org_type",), "Title level": ("title_level",),
    "Stretch": ("stretch",), "Function": ("title_function",),
}
# Segments with a natural order keep it instead of being sorted by size.
_SEGMENT_ORDER = {"Organisation size": SIZE_BANDS, "Title level": _LEVEL_LABELS,
                  "Stretch": STRETCH_BANDS}


_view = pruned_view  # applications_view joining only the correction tables in use


def _selection(con, filters: Filters) -> tuple[str, list]:
    """A CTE body: the filtered applications with their stage rank."""
    condition, params = where(filters)
    return (f"SELECT *, {_STAGE_RANK_SQL} AS stage_rank FROM {_view(con)} "
            f"WHERE {condition}"), params


def _frame(con, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ── headline figures ────────────────────────────────────────────────────────────────────

class _Periods(NamedTuple):
    start: dt.date
    end: dt.date
    prev_start: dt.date
    prev_end: dt.date
    comparable: bool     # False when the previous period ends before the earliest application
    label: str


def _periods(con, filters: Filters) -> _Periods | None:
    """The period and the one before it, or None when no matching application is dated.

    The period is ``date_from``..``date_to``; a missing end is the latest date applied in
    the selection, a missing start the earliest. With neither date chosen it is the last
    30 days of the data (ending at the latest date applied in the selection). The previous
    period has the same length and ends the day before the period starts.
    """
    undated = replace(filters, date_from=None, date_to=None)
    condition, params = where(undated)
    chosen = "applied_on BETWEEN coalesce(?, DATE '0001-01-01') AND coalesce(?, DATE '9999-12-31')"
    first, low, high = first_row(con, f"""
        SELECT min(applied_on), min(applied_on) FILTER (WHERE {chosen}),
               max(applied_on) FILTER (WHERE {chosen})
        FROM {_view(con)} WHERE {condition}""",
        [filters.date_from, filters.date_to] * 2 + params)
    if high is None:
        return None
    if filters.date_from is None and filters.date_to is None:
        start = high - dt.timedelta(days=DEFAULT_WINDOW_DAYS - 1)
        end, note = high, f" (the last {DEFAULT_WINDOW_DAYS} days of your data)"
    else:
        start, end, note = filters.date_from or low, filters.date_to or high, ""
    length = (end - start).days + 1
    prev_end = start - dt.timedelta(days=1)
    prev_start = prev_end - dt.timedelta(days=length - 1)
    comparable = prev_end >= first
    label = f"{_day_range(start, end)}{note} " + (
        f"against the {length} days before ({_day_range(prev_start, prev_end)})"
        if comparable else "(no earlier applications to compare with)")
    return _Periods(start, end, prev_start, prev_end, comparable, label)


def _day_range(start: dt.date, end: dt.date) -> str:
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


_KPI_COLUMNS = """
    count(*) AS applications,
    count(*) FILTER (WHERE stage_rank > 0 OR outcome IN ('rejected', 'offer')) AS responded,
    count(*) FILTER (WHERE stage_rank >= 2) AS interviews,
    count(*) FILTER (WHERE stage_rank = 4) AS offers,
    median(outcome_on - applied_on) FILTER (
        WHERE outcome IN ('rejected', 'offer') AND outcome_on >= applied_on) AS median_days"""
_FIGURES = ("applications", "responded", "response_rate", "interview_rate", "offer_rate",
            "median_days_to_response")


def _kpi_dict(row: dict | None, start=None, end=None) -> dict:
    n = int(row["applications"]) if row else 0
    responded = int(row["responded"]) if row else 0
    median = row["median_days"] if row else None
    return {
        "applications": n,
        "responded": responded,
        "response_rate": _rate(responded, n),
        "interview_rate": _rate(int(row["interviews"]) if row else 0, n),
        "offer_rate": _rate(int(row["offers"]) if row else 0, n),
        "median_days_to_response": None if median is None or pd.isna(median) else float(median),
        "period_start": start,
        "period_end": end,
    }


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """Headline figures for the period and for the period of equal length before it.

    One dict: ``applications``; ``responded`` (the employer answered: the application got
    past applied, or was rejected or offered; a withdrawal before any answer is not a
    response); ``response_rate``, ``interview_rate`` (reached interview or further),
    ``offer_rate`` as fractions 0..1, None without applications;
    ``median_days_to_response`` (applied_on to outcome_on over rejections and offers with
    both dates, None without any); ``period_start``, ``period_end``; ``period_label`` (plain
    words for both periods); ``previous``, the same figures for the previous period; and
    ``selection``, the same figures over everything the filters select, whatever the dates
    (for a page that wants totals beside the period comparison).

    The period is filters.date_from..date_to (see ``_periods``): with no dates chosen it is
    the last 30 days of the data against the 30 days before. The other filters apply to
    both periods. Applications without a date applied belong to no period. When the
    previous period ends before the earliest matching application there is nothing to
    compare with, and every figure in ``previous`` is None (its dates are still given).
    """
    periods = _periods(con, filters)
    if periods is None:
        return {**_kpi_dict(None), "period_label": "", "previous": _kpi_dict(None),
                "selection": _selection_figures(con, filters)}
    base, params = _selection(con, replace(filters, date_from=None, date_to=None))
    rows = _frame(con, f"""
        WITH base AS ({base})
        SELECT applied_on >= ? AS current, {_KPI_COLUMNS}
        FROM base WHERE applied_on BETWEEN ? AND ?
        GROUP BY ALL""", [*params, periods.start, periods.prev_start, periods.end])
    by_period = {bool(r["current"]): r for r in rows.to_dict("records")}
    result = _kpi_dict(by_period.get(True), periods.start, periods.end)
    result["period_label"] = periods.label
    previous = _kpi_dict(by_period.get(False), periods.prev_start, periods.prev_end)
    if not periods.comparable:
        previous.update(dict.fromkeys(_FIGURES))
    result["previous"] = previous
    result["selection"] = _selection_figures(con, filters)
    return result


def _selection_figures(con, filters: Filters) -> dict:
    """The headline figures over everything the filters select, undated applications
    included (no period)."""
    base, params = _selection(con, filters)
    row = _frame(con, f"WITH base AS ({base}) SELECT {_KPI_COLUMNS} FROM base", params)
    return _kpi_dict(row.to_dict("records")[0])


# ── over time ───────────────────────────────────────────────────────────────────────────

def _by_time(con, filters: Filters, unit: str, column: str) -> pd.DataFrame:
    base, params = _selection(con, filters)
    return _frame(con, f"""
        WITH base AS ({base})
        SELECT date_trunc('{unit}', applied_on)::DATE AS {column}, outcome,
               count(*) AS applications
        FROM base WHERE applied_on IS NOT NULL
        GROUP BY 1, 2 ORDER BY {column}, list_position({sql_array(OUTCOMES)}, outcome)""", params)


def weekly_applications(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per (week applied, outcome) with applications > 0: columns week (the Monday),
    outcome, applications. Applications without a date applied are left out."""
    return _by_time(con, filters, "week", "week")


def outcomes_over_time(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per (month applied, outcome) with applications > 0: columns month (the first
    of the month), outcome, applications. Applications without a date applied are left
    out."""
    return _by_time(con, filters, "month", "month")


# ── stages ──────────────────────────────────────────────────────────────────────────────

def _stage_outcome_counts(con, filters: Filters) -> list[tuple[int, str, int]]:
    base, params = _selection(con, filters)
    return con.execute(f"WITH base AS ({base}) SELECT stage_rank, outcome, count(*) FROM base "
                       "GROUP BY ALL", params).fetchall()


def stage_flow(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per Sankey link (source node, target node) with applications > 0.

    Every application leaves 'Applied' and passes through each stage up to its furthest
    (a rejection after the final round flows Applied → Screen → Interview → Final round →
    Rejected), then to its outcome node: 'Rejected', 'No response', 'Withdrawn', 'Still
    active', or 'Offer'. 'Offer' is both the last stage and the offer outcome: an offer ends
    there; an application that reached the offer stage and ended otherwise (declined,
    rescinded, pending) flows on from it. Flow into Screen, Interview and Final round
    equals flow out of them. Rows are ordered by source, then target, in node order.
    """
    stages = list(STAGE_LABELS.values())
    links: Counter[tuple[str, str]] = Counter()
    for rank, outcome, n in _stage_outcome_counts(con, filters):
        for i in range(1, rank + 1):
            links[stages[i - 1], stages[i]] += n
        if outcome != "offer":
            links[stages[rank], OUTCOME_LABELS[outcome]] += n
    order = {node: i for i, node in enumerate(FLOW_NODES)}
    rows = sorted(((s, t, n) for (s, t), n in links.items() if n > 0),
                  key=lambda r: (order[r[0]], order[r[1]]))
    return pd.DataFrame(rows, columns=["source", "target", "applications"]).astype(
        {"applications": "int64"})


def funnel(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per stage, the five in order: stage (code), reached (applications that got
    at least that far), share_of_applied (reached / applications), conversion_from_previous
    (reached / reached at the stage before; NaN for 'applied' and after a stage nobody
    reached). Empty when no application matches."""
    base, params = _selection(con, filters)
    counts = first_row(con, f"WITH base AS ({base}) SELECT "
                            + ", ".join(f"count(*) FILTER (WHERE stage_rank >= {i})"
                                        for i in range(len(STAGES))) + " FROM base", params)
    if not counts or not counts[0]:
        return pd.DataFrame(columns=["stage", "reached", "share_of_applied",
                                     "conversion_from_previous"])
    rows = [{"stage": stage, "reached": int(n), "share_of_applied": n / counts[0],
             "conversion_from_previous": None if i == 0 else _rate(n, counts[i - 1])}
            for i, (stage, n) in enumerate(zip(STAGES, counts, strict=True))]
    return pd.DataFrame(rows)


def rejections_by_stage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per stage, the five in order: stage (code), rejections (rejected
    applications whose furthest stage it is), share (of all rejections). Empty when no
    matching application was rejected."""
    base, params = _selection(con, filters)
    found = dict(con.execute(f"WITH base AS ({base}) SELECT stage_reached, count(*) FROM base "
                             "WHERE outcome = 'rejected' GROUP BY ALL", params).fetchall())
    total = sum(found.values())
    if not total:
        return pd.DataFrame(columns=["stage", "rejections", "share"])
    return pd.DataFrame([{"stage": s, "rejections": int(found.get(s, 0)),
                          "share": found.get(s, 0) / total} for s in STAGES])


# ── time to an answer ───────────────────────────────────────────────────────────────────

def _silent_sql(ghost_after_days: int) -> str:
    """Condition: an open application never past applied, older than the limit."""
    return (f"(outcome = 'active' AND stage_rank = 0 "
            f"AND applied_on < as_of - {int(ghost_after_days)})")


def days_to_outcome(con: duckdb.DuckDBPyConnection, filters: Filters,
                    ghost_after_days: int = 30) -> pd.DataFrame:
    """How long answers took, counted per day: outcome_kind ('rejected' | 'silence'), days
    (from applied_on), applications (that many days after applying); one row per kind and
    number of days, so a few hundred rows however many applications there are.

    Rejected: days to outcome_on. Silence: outcome no_response, or still active, never past
    applied and applied more than ``ghost_after_days`` before the as-of date (ghosted);
    days to outcome_on if recorded, else to the as-of date. Applications without the dates
    needed, or with an outcome date before the date applied, are left out. Ordered by
    outcome_kind, then days.
    """
    base, params = _selection(con, filters)
    return _frame(con, f"""
        WITH reference AS (SELECT max(applied_on) AS as_of FROM applications),
             base AS ({base})
        SELECT outcome_kind, days, count(*) AS applications FROM (
            SELECT CASE WHEN outcome = 'rejected' THEN 'rejected' ELSE 'silence' END
                       AS outcome_kind,
                   CASE WHEN outcome = 'rejected' THEN outcome_on - applied_on
                        ELSE coalesce(outcome_on, as_of) - applied_on END AS days
            FROM base, reference
            WHERE applied_on IS NOT NULL
              AND (outcome IN ('rejected', 'no_response') OR {_silent_sql(ghost_after_days)}))
        WHERE days >= 0
        GROUP BY ALL ORDER BY outcome_kind, days""", params)


def ghosted_count(con: duckdb.DuckDBPyConnection, filters: Filters,
                  ghost_after_days: int = 30) -> int:
    """How many open applications count as ghosted with this limit: still active, never
    past applied, applied more than ``ghost_after_days`` before the as-of date.
    Applications already marked no_response are not included (they are silence anyway)."""
    base, params = _selection(con, filters)
    return int(scalar(con, f"""
        WITH reference AS (SELECT max(applied_on) AS as_of FROM applications),
             base AS ({base})
        SELECT count(*) FROM base, reference WHERE {_silent_sql(ghost_after_days)}""", params))


# ── segments ────────────────────────────────────────────────────────────────────────────

def wilson_interval(successes, n, z: float = Z_95):
    """The Wilson score interval (low, high) for successes out of n; works on numbers or
    numpy/pandas arrays. (nan, nan) where n is 0."""
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / total
        denominator = 1 + z * z / total
        centre = (p + z * z / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def segment_conversion(con: duckdb.DuckDBPyConnection, filters: Filters, segment: str,
                       min_n: int = 10) -> pd.DataFrame:
    """One row per group of ``segment`` (a key of SEGMENTS): segment, applications,
    interviews (reached interview or further), rate (interviews / applications), low and
    high (95% Wilson interval), offers (reached an offer), offer_rate, offer_low and
    offer_high, too_small (applications < min_n).

    Groups are sorted by applications, largest first ('Organisation size' keeps its band
    order), with 'Other' and 'Unknown' (no value) last; beyond 15 rows the smallest groups
    are merged into 'Other'. Raises ValueError for an unknown segment.
    """
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}; choose one of {', '.join(SEGMENTS)}")
    base, params = _selection(con, filters)
    frame = _frame(con, f"""
        WITH base AS ({base}),
        per_value AS (
            SELECT {', '.join(_SEGMENT_COLUMNS[segment])}, count(*) AS applications,
                   count(*) FILTER (WHERE stage_rank >= 2) AS interviews,
                   count(*) FILTER (WHERE stage_rank >= 4) AS offers
            FROM base GROUP BY ALL),
        counted AS (
            SELECT coalesce(nullif(trim(CAST(({SEGMENTS[segment]}) AS VARCHAR)), ''),
                            'Unknown') AS segment,
                   sum(applications) AS applications, sum(interviews) AS interviews,
                   sum(offers) AS offers
            FROM per_value GROUP BY 1),
        ranked AS (
            SELECT *, row_number() OVER (ORDER BY segment = 'Unknown', applications DESC,
                                                  segment) AS rank,
                      count(*) OVER () AS groups,
                      max((segment = 'Unknown')::INTEGER) OVER () AS has_unknown
            FROM counted)
        SELECT CASE WHEN groups > {MAX_SEGMENTS} AND rank > {MAX_SEGMENTS - 1} - has_unknown
                         AND segment <> 'Unknown' THEN 'Other' ELSE segment END AS segment,
               sum(applications)::BIGINT AS applications, sum(interviews)::BIGINT AS interviews,
               sum(offers)::BIGINT AS offers
        FROM ranked GROUP BY 1""", params)
    return _finish_segments(frame, segment, min_n)


def _finish_segments(frame: pd.DataFrame, segment: str, min_n: int) -> pd.DataFrame:
    columns = ["segment", "applications", "interviews", "rate", "low", "high", "offers",
               "offer_rate", "offer_low", "offer_high", "too_small"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["rate"] = frame["interviews"] / frame["applications"]
    frame["low"], frame["high"] = wilson_interval(frame["interviews"], frame["applications"])
    frame["offer_rate"] = frame["offers"] / frame["applications"]
    frame["offer_low"], frame["offer_high"] = wilson_interval(frame["offers"],
                                                              frame["applications"])
    frame["too_small"] = frame["applications"] < min_n
    order = _SEGMENT_ORDER.get(segment)
    tail = {"Other": 1, "Unknown": 2}
    if order:
        key = frame["segment"].map({v: i for i, v in enumerate(order)}).fillna(len(order))
        frame = frame.assign(_k1=frame["segment"].map(tail).fillna(0), _k2=key)
        frame = frame.sort_values(["_k1", "_k2"])
    else:
        frame = frame.assign(_k1=frame["segment"].map(tail).fillna(0), _k2=-frame["applications"])
        frame = frame.sort_values(["_k1", "_k2", "segment"])
    return frame[columns].reset_index(drop=True)


# ── scope fit ───────────────────────────────────────────────────────────────────────────

def scope_points(con: duckdb.DuckDBPyConnection, filters: Filters,
                 limit: int = 2000) -> pd.DataFrame:
    """One row per application with a title level: company, job_title, org_size,
    title_level, effective_level, stretch, stage_rank. Beyond ``limit`` rows, an even sample
    of them (the same every time); the frame's ``attrs['total']`` says how many there are."""
    base, params = _selection(con, filters)
    total = int(scalar(con, f"WITH base AS ({base}) SELECT count(*) FROM base "
                            "WHERE title_level IS NOT NULL", params))
    keep = f"WHERE hash(application_id) % {max(1, -(-total // limit))} = 0" if total > limit \
        else ""
    frame = _frame(con, f"""
        WITH base AS ({base})
        SELECT company, job_title, org_size, title_level, effective_level, stretch, stage_rank
        FROM (SELECT * FROM base WHERE title_level IS NOT NULL) {keep}
        ORDER BY application_id LIMIT {limit}""", params)
    frame.attrs["total"] = total
    return frame


def scope_grid(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per (title level, organisation size band) with applications: title_level,
    size_band, applications, interviews (reached an interview or further)."""
    base, params = _selection(con, filters)
    return _frame(con, f"""
        WITH base AS ({base}),
        per_size AS (SELECT title_level, org_size, count(*) AS applications,
                            count(*) FILTER (WHERE stage_rank >= 2) AS interviews
                     FROM base WHERE title_level IS NOT NULL GROUP BY ALL)
        SELECT title_level, {SIZE_BAND_SQL} AS size_band,
               sum(applications)::BIGINT AS applications,
               sum(interviews)::BIGINT AS interviews
        FROM per_size GROUP BY ALL ORDER BY 1, 2""", params)


def candidate_scope(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The candidate's profile with its title level and effective level, or None."""
    row = first_row(con, "SELECT current_title, title_level, org_size, org_type, org_reach, "
                         "people_managed FROM candidate_profile")
    if row is None:
        return None
    names = ("current_title", "title_level_set", "org_size", "org_type", "org_reach",
             "people_managed")
    effective, level = candidate_level(con)
    return {**dict(zip(names, row, strict=True)), "title_level": level,
            "effective_level": effective}


SCOPE_COLUMNS = ("application_id", "company", "job_title", "title_level", "org_size",
                 "org_type", "org_reach", "people_managed", "budget", "effective_level",
                 "stretch", "stage_reached", "outcome")


def scope_table(con: duckdb.DuckDBPyConnection, filters: Filters,
                limit: int = 1000) -> pd.DataFrame:
    """The most recent matching applications (at most ``limit``) with their scope as shown
    (the user's scope edits applied), ``read_as`` (the words of the title that gave its
    level) and ``scope_edited``."""
    condition, params = where(filters, alias="v")
    edited = ("EXISTS (FROM scope_edits se WHERE se.application_id = v.application_id)"
              if "scope_edits" in edits_present(con) else "FALSE")
    frame = _frame(con, f"""
        SELECT {', '.join('v.' + c for c in SCOPE_COLUMNS[:3])}, v.title_words AS read_as,
               {', '.join('v.' + c for c in SCOPE_COLUMNS[3:])}, {edited} AS scope_edited
        FROM {_view(con)} v
        WHERE {condition}
        ORDER BY v.applied_on DESC NULLS LAST, v.company, v.job_title, v.application_id
        LIMIT {max(0, int(limit))}""", params)
    frame["read_as"] = frame["read_as"].astype("string")
    return frame


class Reading(NamedTuple):
    """A plain-language comparison of two groups, and whether the numbers carry it."""

    text: str
    carried: bool
    better: str = ""     # 'a' or 'b': the group with the higher rate


def compare_rates(label_a: str, hits_a: int, n_a: int, label_b: str, hits_b: int, n_b: int,
                  *, outcome: str = "reached an interview", min_n: int = 8) -> Reading:
    """'Roles two or more levels above … reached an interview 1 time in 12; roles within
    one level, 9 times in 20.' — carried when both groups have ``min_n`` applications and
    a two-proportion z-test puts the difference beyond chance at the 5% level."""
    def times(k: int, n: int) -> str:
        return f"{k} time{'s' if k != 1 else ''} in {n}"

    text = (f"{label_a} {outcome} {times(hits_a, n_a)}; {label_b}, {times(hits_b, n_b)}.")
    if min(n_a, n_b) < min_n:
        return Reading(text, False)
    pooled = (hits_a + hits_b) / (n_a + n_b)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if spread == 0:
        return Reading(text, False)
    better = "a" if hits_a / n_a > hits_b / n_b else "b"
    return Reading(text, bool(abs(hits_a / n_a - hits_b / n_b) / spread >= Z_95), better)


# ── tables and options ──────────────────────────────────────────────────────────────────

TABLE_COLUMNS = ("application_id", "company", "job_title", "applied_on", "stage_reached",
                 "outcome", "outcome_on", "status_raw", "feedback", "notes", "source_channel",
                 "location", "org_size", "source_file", "edited")


def applications_table(con: duckdb.DuckDBPyConnection, filters: Filters,
                        limit: int = 5000) -> pd.DataFrame:
    """One row per matching application (at most ``limit``), newest applied first (undated
    last): the columns in TABLE_COLUMNS, as corrected by the user."""
    condition, params = where(filters)
    return _frame(con, f"""
        SELECT {', '.join(TABLE_COLUMNS)} FROM {_view(con)} WHERE {condition}
        ORDER BY applied_on DESC NULLS LAST, company, job_title, application_id
        LIMIT {max(0, int(limit))}""", params)


def application_count(con: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    """How many applications match the filters (to say 'showing 5,000 of N')."""
    condition, params = where(filters)
    return int(scalar(con, f"SELECT count(*) FROM {_view(con)} WHERE {condition}",
                      params))


def filter_options(con: duckdb.DuckDBPyConnection) -> dict:
    """What the sidebar offers, over all applications: min_date and max_date (date applied,
    ``datetime.date`` or None), sources and files (sorted distinct non-empty values)."""
    low, high = first_row(con, "SELECT min(applied_on), max(applied_on) FROM applications")

    def distinct(column: str) -> list[str]:
        return [r[0] for r in con.execute(
            f"SELECT DISTINCT {column} FROM applications WHERE nullif(trim({column}), '') "
            f"IS NOT NULL ORDER BY 1").fetchall()]

    return {"min_date": low, "max_date": high, "sources": distinct("source_channel"),
            "files": distinct("source_file")}


def import_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per import, newest first: import_id, source_file, imported_at, layout, sheet,
    rows_read, applications_loaded, applications_new, applications_updated,
    rows_skipped."""
    return _frame(con, """
        SELECT import_id, source_file, imported_at, layout, sheet, rows_read,
               applications_loaded, applications_new, applications_updated, rows_skipped
        FROM imports ORDER BY imported_at DESC, import_id DESC""")


def unknown_statuses(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per status text no rule understood and the user has not yet placed (no
    status override): status_raw, applications (how many carry it, leaving out those
    corrected one by one with a stage or outcome), most frequent first."""
    return _frame(con, """
        SELECT a.status_raw, count(*) AS applications
        FROM applications a
        WHERE NOT a.status_known AND a.status_raw IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM status_overrides s WHERE s.status_raw = a.status_raw)
          AND NOT EXISTS (SELECT 1 FROM annotations n WHERE n.application_id = a.application_id
                          AND (n.stage_reached IS NOT NULL OR n.outcome IS NOT NULL))
        GROUP BY ALL ORDER BY applications DESC, a.status_raw""")


__all__ = [
    "FLOW_NODES", "OUTCOME_LABELS", "SEGMENTS", "STAGE_LABELS", "TABLE_COLUMNS",
    "application_count", "applications_table", "days_to_outcome", "filter_options", "funnel",
    "ghosted_count", "import_history", "kpis", "outcomes_over_time", "rejections_by_stage",
    "segment_conversion", "stage_flow", "unknown_statuses", "weekly_applications",
    "wilson_interval",
]


# ── feedback themes ─────────────────────────────────────────────────────────────────────

def _tagged(con, filters: Filters) -> tuple[str, list]:
    """SQL (with params) for one row per (application, theme) among the selection, with the
    theme's label and controllable flag, and the application's stage, outcome and dates.
    The themes come from ``applications.theme_codes``: no join of every application to its
    tags (``application_themes`` keeps the evidence, joined for a few rows only)."""
    condition, params = where(filters, "a")
    return f"""SELECT x.*, th.label, th.controllable
               FROM (SELECT a.application_id, a.company, a.job_title, a.applied_on,
                            a.stage_reached, a.outcome, a.outcome_on, a.feedback, a.notes,
                            unnest(string_split(a.theme_codes, ',')) AS theme
                     FROM {_view(con)} a
                     WHERE a.theme_codes IS NOT NULL AND {condition}) x
               LEFT JOIN themes th USING (theme)""", params


def _theme_totals(con, filters: Filters, keys: dict[str, str] | None = None,
                  only: str = "TRUE") -> tuple[str, list]:
    """SQL (with params) for one row per (theme, *keys) among the selected applications
    (and ``only``, a condition on the view aliased ``a``): theme, label, controllable, the
    keys (name → expression over ``a``), applications and rejections. Applications are
    counted per distinct ``theme_codes`` (and keys) first and each combination is then
    split into its themes: a few thousand rows to split instead of one per application."""
    condition, params = where(filters, "a")
    keys = keys or {}
    chosen = "".join(f"{expression} AS {name}, " for name, expression in keys.items())
    names = "".join(f"{name}, " for name in keys)
    return f"""
        WITH per_codes AS (
            SELECT a.theme_codes, {chosen}count(*) AS applications,
                   count(*) FILTER (WHERE a.outcome = 'rejected') AS rejections
            FROM {_view(con)} a
            WHERE a.theme_codes IS NOT NULL AND {condition} AND ({only})
            GROUP BY ALL),
        per_theme AS (
            SELECT unnest(string_split(theme_codes, ',')) AS theme, {names}applications,
                   rejections
            FROM per_codes)
        SELECT theme, any_value(th.label) AS label, any_value(th.controllable) AS controllable,
               {names}sum(applications)::BIGINT AS applications,
               sum(rejections)::BIGINT AS rejections
        FROM per_theme LEFT JOIN themes th USING (theme) GROUP BY ALL""", params


def theme_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per theme found in the selection: theme, label, controllable, applications
    (with that theme), rejections (of those, rejected); most frequent first."""
    sql, params = _theme_totals(con, filters)
    return _frame(con, f"""
        SELECT theme, label, controllable, applications, rejections
        FROM ({sql}) ORDER BY applications DESC, theme""", params)


def feedback_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """For the selection's rejections: how many there are, how many have feedback or notes,
    how many of those name a reason, and how many name only reasons outside the candidate's
    control (a stronger or internal candidate, a cancelled role, location) — the share of
    rejections that were not about them."""
    condition, params = where(filters, "a")
    controllable = [r[0] for r in con.execute(
        "SELECT theme FROM themes WHERE controllable").fetchall()]
    row = _frame(con, f"""
        WITH r AS (SELECT feedback IS NOT NULL OR notes IS NOT NULL AS has_text,
                          theme_codes, count(*) AS n
                   FROM {_view(con)} a WHERE {condition} AND outcome = 'rejected'
                   GROUP BY ALL),  -- a few hundred rows: each combination of themes once
             t AS (SELECT has_text, n, string_split(theme_codes, ',') AS codes FROM r),
             u AS (SELECT has_text, n, codes,
                          len(list_filter(codes, lambda x: x <> 'generic_template')) > 0
                              AS has_reason
                   FROM t)
        SELECT coalesce(sum(n), 0) AS rejections,
               coalesce(sum(n) FILTER (WHERE has_text), 0) AS with_text,
               coalesce(sum(n) FILTER (WHERE has_reason), 0) AS with_reason,
               coalesce(sum(n) FILTER (WHERE has_reason
                                       AND NOT list_has_any(codes, ?::VARCHAR[])), 0)
                   AS not_about_you
        FROM u""", [*params, controllable]).to_dict("records")[0]
    figures = {k: int(v) for k, v in row.items()}
    figures["not_about_you_share"] = _rate(figures["not_about_you"], figures["with_reason"])
    return figures


def themes_by_stage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per (theme, stage reached) among rejected applications: applications."""
    sql, params = _theme_totals(con, filters, {"stage": "a.stage_reached"},
                                only="a.outcome = 'rejected'")
    return _frame(con, f"SELECT theme, label, stage, applications FROM ({sql})", params)


def themes_over_time(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per (month applied, theme): applications whose feedback names the theme."""
    sql, params = _theme_totals(con, filters,
                                {"month": "date_trunc('month', a.applied_on)::DATE"},
                                only="a.applied_on IS NOT NULL")
    return _frame(con, f"""
        SELECT month, theme, label, controllable, applications
        FROM ({sql}) ORDER BY month, theme""", params)


def theme_quotes(con: duckdb.DuckDBPyConnection, filters: Filters, theme: str,
                 limit: int = 50) -> pd.DataFrame:
    """Up to ``limit`` applications whose feedback names ``theme``, newest first: company,
    job_title, applied_on, stage_reached, outcome, text (feedback and notes) and evidence.
    The applications are chosen first, then their evidence joined (a few rows)."""
    condition, params = where(filters, "a")
    return _frame(con, f"""
        WITH chosen AS (
            SELECT application_id, company, job_title, applied_on, stage_reached, outcome,
                   feedback, notes
            FROM {_view(con)} a
            WHERE {condition} AND list_contains(string_split(a.theme_codes, ','), ?)
            ORDER BY applied_on DESC NULLS LAST, application_id LIMIT {int(limit)})
        SELECT c.company, c.job_title, c.applied_on, c.stage_reached, c.outcome,
               concat_ws(' — ', c.feedback, c.notes) AS text, t.evidence
        FROM chosen c JOIN application_themes t
             ON t.application_id = c.application_id AND t.theme = ?
        ORDER BY c.applied_on DESC NULLS LAST, c.application_id""", [*params, theme, theme])


def codebook(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per theme of the stored codebook: theme, label, controllable, description,
    action, phrases (count), applications (tagged)."""
    from pipelines.derive.themes import seed_codebook

    if not scalar(con, "SELECT count(*) FROM themes"):
        seed_codebook(con)  # the defaults, on first use
    return _frame(con, """
        SELECT t.theme, t.label, t.controllable, t.description, t.action,
               (SELECT count(*) FROM theme_phrases p WHERE p.theme = t.theme) AS phrases,
               coalesce(n.applications, 0) AS applications
        FROM themes t LEFT JOIN (
            SELECT theme, sum(n)::BIGINT AS applications
            FROM (SELECT unnest(string_split(theme_codes, ',')) AS theme, n
                  FROM (SELECT theme_codes, count(*) AS n FROM applications
                        WHERE theme_codes IS NOT NULL GROUP BY theme_codes))
            GROUP BY theme) n USING (theme)
        ORDER BY t.controllable DESC, t.label""")


def theme_suggestions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Suggested new themes from feedback no theme names (see codebook_edits)."""
    from pipelines.derive.suggestions import suggest_themes

    return suggest_themes(con)


# ── coach review ────────────────────────────────────────────────────────────────────────

# Kind of preparation → (label, which applications it is judged on, what counts as success,
# the words for that success). Prepared questions matter once there is an interview.
PREP_KINDS = {
    "researched": ("Researched the company", "TRUE", "stage_rank >= 2", "reached an interview"),
    "insiders_contacted": ("Contacted people inside", "TRUE", "stage_rank >= 2",
                           "reached an interview"),
    "referred": ("Referred", "TRUE", "stage_rank >= 2", "reached an interview"),
    "prep_hours": ("3 hours or more of preparation", "TRUE", "stage_rank >= 2",
                   "reached an interview"),
    "questions_prepared": ("Prepared questions (interviews only)", "stage_rank >= 2",
                           "stage_rank >= 3", "reached the final round"),
}


def preparation_effect(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """For each kind of preparation (PREP_KINDS): how far applications got with it and
    without it. One row per (kind, with_it): kind, label, outcome (what counts: 'reached an
    interview', or for prepared questions 'reached the final round' among interviews),
    with_it, applications, successes, rate, low, high (95% Wilson). Applications where the
    kind is not known are left out of that kind."""
    base, params = _selection(con, filters)
    parts = []
    for kind, (_, among, success, _) in PREP_KINDS.items():
        flag = "prep_hours >= 3" if kind == "prep_hours" else kind
        parts.append(f"""SELECT '{kind}' AS kind, ({flag}) AS with_it, count(*) AS applications,
                                count(*) FILTER (WHERE {success}) AS successes
                         FROM base WHERE ({flag}) IS NOT NULL AND {among} GROUP BY 2""")
    frame = _frame(con, f"WITH base AS ({base}) " + " UNION ALL ".join(parts), params)
    columns = ["kind", "label", "outcome", "with_it", "applications", "successes", "rate",
               "low", "high"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["label"] = frame["kind"].map({k: v[0] for k, v in PREP_KINDS.items()})
    frame["outcome"] = frame["kind"].map({k: v[3] for k, v in PREP_KINDS.items()})
    frame["rate"] = frame["successes"] / frame["applications"]
    frame["low"], frame["high"] = wilson_interval(frame["successes"], frame["applications"])
    frame["_order"] = frame["kind"].map({k: i for i, k in enumerate(PREP_KINDS)})
    frame = frame.sort_values(["_order", "with_it"], ascending=[True, False])
    return frame[columns].reset_index(drop=True)


def preparation_table(con: duckdb.DuckDBPyConnection, filters: Filters,
                      limit: int = 1000) -> pd.DataFrame:
    """The most recent matching applications (at most ``limit``) with their preparation as
    shown (the user's answers applied)."""
    condition, params = where(filters)
    return _frame(con, f"""
        SELECT application_id, company, job_title, applied_on, stage_reached, prep_hours,
               researched, insiders_contacted, referred, questions_prepared, feedback_asked,
               feedback_received
        FROM {_view(con)} WHERE {condition}
        ORDER BY applied_on DESC NULLS LAST, company, job_title, application_id
        LIMIT {max(0, int(limit))}""", params)


def plan(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The development plan: one row per action with its theme's label, the session that
    agreed it, and whether it is overdue (target date passed, neither done nor dropped)."""
    return _frame(con, """
        SELECT p.action_id, p.theme, coalesce(t.label, p.theme) AS label, p.action,
               p.target_on, p.status, p.notes, s.held_on AS agreed_on, p.done_on,
               p.target_on < current_date AND p.status NOT IN ('done', 'dropped') AS overdue
        FROM plan_actions p LEFT JOIN themes t USING (theme)
        LEFT JOIN coach_sessions s USING (session_id)
        ORDER BY p.status IN ('done', 'dropped'), p.target_on NULLS LAST, p.action_id""")


def theme_coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Each theme the candidate can act on that their feedback names: theme, label,
    action (the codebook's suggestion), applications (naming it), open_actions and
    done_actions in the plan; themes that recur without any action first."""
    sql, params = _theme_totals(con, filters)
    return _frame(con, f"""
        WITH named AS (SELECT theme, applications FROM ({sql}) WHERE controllable),
             actions AS (SELECT theme,
                                count(*) FILTER (WHERE status IN ('planned', 'in_progress'))
                                    AS open_actions,
                                count(*) FILTER (WHERE status = 'done') AS done_actions
                         FROM plan_actions GROUP BY theme)
        SELECT n.theme, t.label, t.action, n.applications,
               coalesce(a.open_actions, 0) AS open_actions,
               coalesce(a.done_actions, 0) AS done_actions
        FROM named n JOIN themes t USING (theme) LEFT JOIN actions a USING (theme)
        ORDER BY coalesce(a.open_actions, 0) + coalesce(a.done_actions, 0) > 0,
                 n.applications DESC, t.label""", params)


def sessions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Coach sessions, newest first: session_id, held_on, notes, actions (agreed in it)."""
    return _frame(con, """
        SELECT s.session_id, s.held_on, s.notes, count(p.action_id) AS actions
        FROM coach_sessions s LEFT JOIN plan_actions p USING (session_id)
        GROUP BY ALL ORDER BY s.held_on DESC, s.session_id DESC""")


def review(con: duckdb.DuckDBPyConnection, filters: Filters,
           since: dt.date | None = None) -> dict:
    """The period since the last coach session (or ``since``) up to the as-of date, against
    the period of the same length before it. Applications count in the period they were
    applied in; themes in the period their outcome (else application) falls in.

    Returns ``start``, ``end``, ``prev_start``, ``prev_end`` (dates, None without a session
    or data), ``figures`` (per period 'now' / 'before': applications, responded,
    interviews, offers, rejections and the rates), ``stages`` (per period the share of
    applications reaching each stage), ``themes`` (a frame: label, controllable, before,
    now, change), ``done`` and ``overdue`` (plan actions done in the period, overdue now)."""
    last = scalar(con, "SELECT max(held_on) FROM coach_sessions")
    end = scalar(con, "SELECT max(coalesce(outcome_on, applied_on)) FROM applications")
    start = since or last
    out = {"start": start, "end": end, "prev_start": None, "prev_end": None, "figures": {},
           "stages": {}, "themes": pd.DataFrame(columns=["label", "controllable", "before",
                                                          "now", "change"]),
           "done": pd.DataFrame(), "overdue": pd.DataFrame()}
    if start is None or end is None:
        return out
    end = max(end, dt.date.today()) if start > end else end
    length = max((end - start).days, 1)
    prev_start, prev_end = start - dt.timedelta(days=length), start - dt.timedelta(days=1)
    out.update(prev_start=prev_start, prev_end=prev_end)
    base, params = _selection(con, filters)
    rows = _frame(con, f"""
        WITH base AS ({base})
        SELECT CASE WHEN applied_on >= ? THEN 'now' ELSE 'before' END AS period,
               {_KPI_COLUMNS}, count(*) FILTER (WHERE outcome = 'rejected') AS rejections,
               count(*) FILTER (WHERE stage_rank >= 1) AS screens,
               count(*) FILTER (WHERE stage_rank >= 3) AS finals
        FROM base WHERE applied_on BETWEEN ? AND ? GROUP BY 1""",
                  [*params, start, prev_start, end]).set_index("period")
    for period in ("before", "now"):
        row = rows.loc[period].to_dict() if period in rows.index else None
        figures = _kpi_dict(row)
        n = figures["applications"]
        figures.update({k: int(row[k]) if row else 0 for k in ("interviews", "offers",
                                                                "rejections")})
        out["figures"][period] = figures
        out["stages"][period] = {stage: _rate(int(row[c]) if row else 0, n) for stage, c in
                                 (("screen", "screens"), ("interview", "interviews"),
                                  ("final", "finals"), ("offer", "offers"))}
    sql, tag_params = _tagged(con, filters)
    themes = _frame(con, f"""
        SELECT label, any_value(controllable) AS controllable,
               count(DISTINCT application_id) FILTER (WHERE day < ?) AS before,
               count(DISTINCT application_id) FILTER (WHERE day >= ?) AS now
        FROM (SELECT *, coalesce(outcome_on, applied_on) AS day FROM ({sql}))
        WHERE day BETWEEN ? AND ? AND theme <> 'generic_template'
        GROUP BY label ORDER BY now - before, label""",
                    [*tag_params, start, start, prev_start, end])
    themes["change"] = themes["now"] - themes["before"]
    out["themes"] = themes
    actions = plan(con)
    out["done"] = actions[(actions["status"] == "done")
                          & (pd.to_datetime(actions["done_on"]) >= pd.Timestamp(start))]
    out["overdue"] = actions[actions["overdue"].fillna(False).astype(bool)]
    return out


def weekly_activity(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """What the candidate controls, week by week, beside what came of it: week (Monday),
    applications, prepared (with any recorded preparation), feedback_asked, interviews
    (applications of that week that reached an interview or further)."""
    base, params = _selection(con, filters)
    return _frame(con, f"""
        WITH base AS ({base})
        SELECT date_trunc('week', applied_on)::DATE AS week, count(*) AS applications,
               count(*) FILTER (WHERE researched OR insiders_contacted OR questions_prepared
                                OR prep_hours > 0) AS prepared,
               count(*) FILTER (WHERE feedback_asked) AS feedback_asked,
               count(*) FILTER (WHERE stage_rank >= 2) AS interviews
        FROM base WHERE applied_on IS NOT NULL GROUP BY 1 ORDER BY 1""", params)

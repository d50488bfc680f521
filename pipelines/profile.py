"""What each raw column's values look like, for mapping and layout detection."""

from __future__ import annotations

import re

import duckdb
import pandas as pd

from pipelines.layouts import NAME_SEPARATOR
from pipelines.mapping import FLAG_VALUES, ColumnProfile
from pipelines.normalize.dates import looks_like_date_share
from pipelines.normalize.statuses import classify_status

SAMPLE = 400  # distinct values looked at per column
ROWS = 50_000  # from the first rows of the table
_URL = re.compile(r"^\s*(https?://|www\.)\S+", re.I)
_PAIR = re.compile(NAME_SEPARATOR)
_SERIAL = re.compile(r"^\s*(3\d{4}|[4-6]\d{4})(\.0+)?\s*$")  # 1982-2064 as Excel serials
_NUMBER = re.compile(r"^\s*[~≈]?\s*\d[\d,.\s]*\s*(k|\+)?\s*$", re.I)


def profile_columns(con: duckdb.DuckDBPyConnection, columns: list[str]) -> dict[str,
                                                                                 ColumnProfile]:
    """One profile per column of ``_raw`` (a sample of its distinct non-blank values)."""
    profiles = {}
    for index, name in enumerate(columns):
        values = [r[0] for r in con.execute(
            f"SELECT DISTINCT trim(c{index}) FROM (SELECT c{index} FROM _raw LIMIT {ROWS}) "
            f"WHERE nullif(trim(c{index}), '') IS NOT NULL LIMIT {SAMPLE}").fetchall()]
        profiles[name] = _profile(values)
    return profiles


def _profile(values: list[str]) -> ColumnProfile:
    if not values:
        return ColumnProfile(filled=0, dates=0.0, urls=0.0, flags=0.0, numbers=0.0)
    n = len(values)
    known = [classify_status(v)[2] for v in values]  # once per value: it is the costly test
    flag = [v.strip().lower() in FLAG_VALUES for v in values]
    return ColumnProfile(
        filled=n,
        dates=float(looks_like_date_share(pd.Series(values, dtype="object"))),
        urls=sum(bool(_URL.match(v)) for v in values) / n,
        flags=sum(f or k for f, k in zip(flag, known, strict=True)) / n,
        numbers=sum(bool(_NUMBER.match(v)) for v in values) / n,
        statuses=sum(k and not f for f, k in zip(flag, known, strict=True)) / n,
        pairs=sum(bool(_PAIR.search(v)) for v in values) / n,
        serials=sum(bool(_SERIAL.match(v)) for v in values) / n)


def distinct_values(con: duckdb.DuckDBPyConnection, columns: list[str], name: str | None,
                    limit: int = 500) -> list[str]:
    """Up to ``limit`` distinct non-blank values of a named raw column."""
    if name is None:
        return []
    index = columns.index(name)
    return [r[0] for r in con.execute(
        f"SELECT DISTINCT trim(c{index}) FROM _raw WHERE nullif(trim(c{index}), '') IS NOT NULL "
        f"LIMIT {limit}").fetchall()]

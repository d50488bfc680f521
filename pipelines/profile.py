"""What each raw column's values look like, for mapping and layout detection."""

from __future__ import annotations

import re
from functools import cached_property

import duckdb

from pipelines.layouts import NAME_SEPARATOR
from pipelines.mapping import FLAG_VALUES, ColumnProfile
from pipelines.normalize.statuses import classify_status

SAMPLE = 400  # distinct values looked at per column
ROWS = 50_000  # from the first rows of the table
_URL = re.compile(r"^\s*(https?://|www\.)\S+", re.I)
_PAIR = re.compile(NAME_SEPARATOR)
_SERIAL = re.compile(r"^\s*(3\d{4}|[4-6]\d{4})(\.0+)?\s*$")  # 1982-2064 as Excel serials
_NUMBER = re.compile(r"^\s*[~≈]?\s*\d[\d,.\s]*\s*(k|\+)?\s*$", re.I)


def profile_columns(con: duckdb.DuckDBPyConnection, columns: list[str]) -> dict[str,
                                                                                 ColumnProfile]:
    """One profile per column of ``_raw`` (a sample of its distinct non-blank values).
    The first rows are copied once into ``_raw_head``: one pass over ``_raw``, not one per
    column."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _raw_head AS SELECT * FROM _raw LIMIT {ROWS}")
    profiles = {}
    for index, name in enumerate(columns):
        values = [r[0] for r in con.execute(
            f"SELECT DISTINCT trim(c{index}) FROM _raw_head "
            f"WHERE nullif(trim(c{index}), '') IS NOT NULL LIMIT {SAMPLE}").fetchall()]
        profiles[name] = _profile(values)
    return profiles


def _profile(values: list[str]) -> ColumnProfile:
    if not values:
        return ColumnProfile(filled=0, dates=0.0, urls=0.0, flags=0.0, numbers=0.0)
    return SampledProfile(values)


class SampledProfile(ColumnProfile):
    """A ColumnProfile whose shares are measured on first use: mapping a column looks at two
    or three of them, and reading the date share alone cost 60 ms a column."""

    def __init__(self, values: list[str]) -> None:  # not the dataclass __init__
        self._values = values
        self.filled = len(values)

    def _share(self, test) -> float:
        return sum(bool(test(v)) for v in self._values) / self.filled

    @cached_property
    def _known(self) -> list[bool]:
        return [classify_status(v)[2] for v in self._values]  # the costly test, once

    @cached_property
    def _flag(self) -> list[bool]:
        return [v.strip().lower() in FLAG_VALUES for v in self._values]

    @cached_property
    def dates(self) -> float:
        import pandas as pd  # here, not at import time (see pipelines.ingest.warm_imports)

        from pipelines.normalize.dates import looks_like_date_share

        return float(looks_like_date_share(pd.Series(self._values, dtype="object")))

    @cached_property
    def urls(self) -> float:
        return self._share(_URL.match)

    @cached_property
    def flags(self) -> float:
        return sum(f or k for f, k in zip(self._flag, self._known, strict=True)) / self.filled

    @cached_property
    def numbers(self) -> float:
        return self._share(_NUMBER.match)

    @cached_property
    def statuses(self) -> float:
        return sum(k and not f for f, k in zip(self._flag, self._known, strict=True)) / self.filled

    @cached_property
    def pairs(self) -> float:
        return self._share(_PAIR.search)

    @cached_property
    def serials(self) -> float:
        return self._share(_SERIAL.match)


def distinct_values(con: duckdb.DuckDBPyConnection, columns: list[str], name: str | None,
                    limit: int = 500) -> list[str]:
    """Up to ``limit`` distinct non-blank values of a named raw column."""
    if name is None:
        return []
    index = columns.index(name)
    return [r[0] for r in con.execute(
        f"SELECT DISTINCT trim(c{index}) FROM _raw WHERE nullif(trim(c{index}), '') IS NOT NULL "
        f"LIMIT {limit}").fetchall()]

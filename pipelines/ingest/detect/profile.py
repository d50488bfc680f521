"""What each raw column's values look like, for mapping and layout detection."""

from __future__ import annotations

import re
from functools import cached_property

import duckdb

from pipelines.ingest.detect.layouts import NAME_SEPARATOR
from pipelines.ingest.detect.mapping import FLAG_VALUES, ColumnProfile
from pipelines.normalize.statuses import classify_status
from pipelines.textfold import fold

SAMPLE = 400  # distinct values looked at per column
SAMPLE_CELLS = 40_000  # at most, over all columns: a wide table samples fewer per column
ROWS = 50_000  # from the first rows of the table
HEAD_CELLS = 2_500_000  # at most: fewer rows of a wide table
_URL = re.compile(r"^\s*(https?://|www\.)\S+", re.I)
_PAIR = re.compile(NAME_SEPARATOR)
_SERIAL = re.compile(r"^\s*(3\d{4}|[4-6]\d{4})(\.0+)?\s*$")  # 1982-2064 as Excel serials
_NUMBER = re.compile(r"^\s*[~≈]?\s*\d[\d,.\s]*\s*(k|\+)?\s*$", re.I)


def profile_columns(con: duckdb.DuckDBPyConnection, columns: list[str]) -> dict[str,
                                                                                 ColumnProfile]:
    """One profile per column of ``_raw``: a sample of its distinct non-blank values in the
    order they first appear in the first rows (400 values of 50,000 rows; in a table of over
    50 columns fewer of each, so that a table of 10,000 columns is profiled in seconds). The
    rows are copied once into ``_raw_head`` and read as Arrow: one query, not one a column
    (a query costs more the wider the table: 10,000 columns took 40 s that way)."""
    import pyarrow.compute as pc

    rows = max(100, min(ROWS, HEAD_CELLS // max(len(columns), 1)))
    con.execute(f"CREATE OR REPLACE TEMP TABLE _raw_head AS SELECT * FROM _raw LIMIT {rows}")
    head = con.sql("SELECT * EXCLUDE (source_row) FROM _raw_head").to_arrow_table()
    sample = max(5, min(SAMPLE, SAMPLE_CELLS // max(len(columns), 1)))
    samples = {}
    for index, name in enumerate(columns):
        values = pc.unique(pc.utf8_trim(head.column(f"c{index}"), characters=" "))
        values = values.filter(pc.not_equal(values, ""))  # nulls and blanks left out
        samples[name] = values.slice(0, sample).to_pylist()
    return profile_values(samples)


def profile_values(samples: dict[str, list[str]]) -> dict[str, ColumnProfile]:
    """One profile per column from its sampled distinct non-blank values. The share of
    dates is measured for all columns in one pass."""
    from pipelines.normalize.dates import looks_like_date_shares  # pandas: not at import time

    shares = looks_like_date_shares(list(samples.values()))
    return {name: SampledProfile(values, share) if values else
            ColumnProfile(filled=0, dates=0.0, urls=0.0, flags=0.0, numbers=0.0)
            for (name, values), share in zip(samples.items(), shares, strict=True)}


class SampledProfile(ColumnProfile):
    """A ColumnProfile whose other shares are measured on first use: mapping a column looks
    at two or three of them, and the status test is costly."""

    def __init__(self, values: list[str], dates: float) -> None:  # not the dataclass __init__
        self._values = values
        self.filled = len(values)
        self.dates = dates

    def _share(self, test) -> float:
        return sum(bool(test(v)) for v in self._values) / self.filled

    @cached_property
    def _known(self) -> list[bool]:
        return [classify_status(v)[2] for v in self._values]  # the costly test, once

    @cached_property
    def _flag(self) -> list[bool]:
        return [(fold(v) or v.strip()) in FLAG_VALUES for v in self._values]

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

"""Tests for pipelines.normalize.salary: free-text salary cells to min/max/currency/period."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize.salary import parse_salary
from tests.strategies import cell_columns

COLUMNS = ["salary_min", "salary_max", "salary_currency", "salary_period"]
NAN = math.nan


def one(raw: object) -> tuple:
    """parse_salary of a single cell as (min, max, currency, period), missing as None/NaN."""
    row = parse_salary(pd.Series([raw], dtype=object)).iloc[0]
    text = [None if pd.isna(row[c]) else row[c] for c in ("salary_currency", "salary_period")]
    return row["salary_min"], row["salary_max"], *text


def same_number(got: float, expected: float) -> bool:
    """Equal within float noise, or both NaN."""
    return (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw", "low", "high", "currency", "period"),
    [
        ("$80k-$100k", 80_000, 100_000, "USD", None),
        ("80,000 - 95,000 USD", 80_000, 95_000, "USD", None),
        ("€55.000", 55_000, 55_000, "EUR", None),
        ("£45k", 45_000, 45_000, "GBP", None),
        ("120000", 120_000, 120_000, None, None),
        ("$45/hr", 45, 45, "USD", "hour"),
        ("$82.5k", 82_500, 82_500, "USD", None),
        ("CAD 70,000 - 80,000", 70_000, 80_000, "CAD", None),
        ("C$70k", 70_000, 70_000, "CAD", None),
        ("CHF 100'000", 100_000, 100_000, "CHF", None),
        ("1,5k €", 1_500, 1_500, "EUR", None),
        ("£2,500 per month", 2_500, 2_500, "GBP", "month"),
        ("55.000 - 65.000 € p.a.", 55_000, 65_000, "EUR", "year"),
        ("$120,000/yr + 10% bonus", 120_000, 120_000, "USD", "year"),
        ("15k-25k", 15_000, 25_000, None, None),
        ("$80-100k", 80_000, 100_000, "USD", None),
    ],
)
def test_western_salaries(raw, low, high, currency, period):
    """Ranges, k suffixes, thousands separators, currencies and periods are read."""
    got = one(raw)
    assert same_number(got[0], low) and same_number(got[1], high), got
    assert got[2:] == (currency, period)


@pytest.mark.parametrize(
    ("raw", "low", "high", "period"),
    [
        ("5-12LPA", 500_000, 1_200_000, "year"),
        ("AVG 10LPA", 1_000_000, 1_000_000, "year"),
        ("AVG 8-15LPA", 800_000, 1_500_000, "year"),
        ("10 LPA", 1_000_000, 1_000_000, "year"),
        ("1.2 crore", 12_000_000, 12_000_000, "year"),
        ("₹6,00,000", 600_000, 600_000, None),
        ("Rs. 25,000 per month", 25_000, 25_000, "month"),
    ],
)
def test_indian_salaries_are_rupees(raw, low, high, period):
    """Lakh (100,000) and crore (10,000,000) amounts and ₹/Rs. cells are INR."""
    got = one(raw)
    assert same_number(got[0], low) and same_number(got[1], high), got
    assert got[2:] == ("INR", period)


def test_open_ended_ranges():
    """'up to 90k' has only a maximum and '80k+' only a minimum."""
    low, high, *_ = one("up to 90k")
    assert math.isnan(low) and high == 90_000
    low, high, *_ = one("80k+")
    assert low == 80_000 and math.isnan(high)


@pytest.mark.parametrize(
    "raw", ["Not mentioned", "Competitive", "DOE", "", "   ", None, NAN, pd.NA, "10% bonus", True]
)
def test_cells_without_a_salary(raw):
    """Words, blanks, a percentage and a boolean give no amounts, currency or period."""
    low, high, currency, period = one(raw)
    assert math.isnan(low) and math.isnan(high) and currency is None and period is None


def test_typed_numbers():
    """A typed number is min == max with no currency or period; non-positive ones are dropped."""
    assert one(95_000) == (95_000, 95_000, None, None)
    assert one(np.float64(52_000.5))[:2] == (52_000.5, 52_000.5)
    assert all(math.isnan(one(v)[0]) for v in (0, -5, math.inf, 10**400))


def test_frame_shape_index_and_dtypes():
    """The result has the four columns, the input's (duplicated) index and stable dtypes."""
    values = pd.Series(["£45k", None, "DOE"], index=[7, 7, 3], dtype=object)
    result = parse_salary(values)
    assert list(result.columns) == COLUMNS
    assert result.index.tolist() == [7, 7, 3]
    assert result["salary_min"].dtype == "float64"
    assert result["salary_currency"].dtype == "str"
    assert result["salary_currency"].iloc[0] == "GBP"


def test_arrow_string_column():
    """A pandas `str` (Arrow) column parses like an object column."""
    result = parse_salary(pd.Series(["$80k-$100k", None], dtype="str"))
    assert result["salary_max"].iloc[0] == 100_000
    assert math.isnan(result["salary_max"].iloc[1])


SALARYISH = "0123456789.,'-–~ $€£₹kKLPAlakhcroreupto+/hrmonthyear%"
CELLS = st.one_of(
    st.none(),
    st.just(np.nan),
    st.just(pd.NA),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.text(alphabet=SALARYISH, max_size=30),
    st.text(alphabet=st.characters(categories=["Cs", "Zs", "Nd"]), max_size=6),
    st.datetimes(),
)


def columns():
    """Arbitrary cells on an arbitrary index (see tests/strategies.py)."""
    return cell_columns(CELLS)


@settings(max_examples=300, deadline=None)
@given(columns())
def test_parse_salary_never_raises(values):
    """Any cells give a frame on the input index with min <= max and known labels only."""
    result = parse_salary(values)
    assert list(result.columns) == COLUMNS
    assert result.index.equals(values.index)
    both = result.dropna(subset=["salary_min", "salary_max"])
    assert (both["salary_min"] <= both["salary_max"]).all()
    assert result["salary_period"].dropna().isin(["year", "month", "hour"]).all()
    assert result["salary_currency"].dropna().str.fullmatch("[A-Z]{3}").all()


def _written(row) -> str:
    """A parsed salary written back: '55000 - 65000 EUR per year', 'up to 90000'."""
    def number(x: float) -> str:  # four decimals or none: '0.125' would be 125 ('€55.000')
        return str(int(x)) if x.is_integer() else np.format_float_positional(x, min_digits=4)

    low, high = row["salary_min"], row["salary_max"]
    if pd.notna(low) and pd.notna(high):
        text = number(low) if low == high else f"{number(low)} - {number(high)}"
    else:
        text = f"from {number(low)}" if pd.notna(low) else f"up to {number(high)}"
    if pd.notna(row["salary_currency"]):
        text += f" {row['salary_currency']}"
    return text + (f" per {row['salary_period']}" if pd.notna(row["salary_period"]) else "")


@settings(max_examples=200, deadline=None)
@given(columns())
def test_salary_reads_the_same_twice_and_from_its_own_words(values):
    """The same cells read the same salaries every time, and each salary read, written back
    as plain words, reads as itself."""
    first = parse_salary(values)
    pd.testing.assert_frame_equal(first, parse_salary(values))
    found = first[first["salary_min"].notna() | first["salary_max"].notna()]
    again = parse_salary(found.apply(_written, axis=1).astype(object))
    pd.testing.assert_frame_equal(again, found)

"""Tests for pipelines.normalize.text: cleaning names, titles and notes, and matching keys."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize.text import (
    clean_company,
    clean_notes,
    clean_text,
    clean_title,
    company_key,
    title_key,
)
from tests.strategies import cell_columns

FUNCTIONS = [clean_text, clean_notes, clean_company, clean_title, company_key, title_key]


def run(func, values: list) -> list:
    """func on a plain list of cells, returned as a list with missing values as None."""
    result = func(pd.Series(values, dtype=object))
    return [None if pd.isna(v) else v for v in result]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Data\u00a0 Analyst ", "Data Analyst"),
        ("a\tb\r\nc", "a b c"),
        ("\u200bGoo\u200bgle\ufeff", "Google"),
        ("\u3000x\u2003\u202fy", "x y"),
        ("nul\x00byte", "nul byte"),
        (3.0, "3"),
        (42, "42"),
        (True, "True"),
        (dt.date(2024, 1, 2), "2024-01-02"),
    ],
)
def test_clean_text(raw, expected):
    """Unicode spaces become one space, zero-width characters vanish, numbers read as text."""
    assert run(clean_text, [raw]) == [expected]


@pytest.mark.parametrize("raw", ["", "   ", "\u00a0\u200b", "\n\t", None, np.nan, pd.NA, pd.NaT])
def test_blank_cells_are_missing(raw):
    """Empty or whitespace-only cells and missing values become NA in every function."""
    for func in FUNCTIONS:
        assert run(func, [raw]) == [None], func.__name__


def test_clean_notes_keeps_line_breaks():
    """Windows/Mac line breaks become \\n, spaces around them go, 3+ breaks become 2."""
    raw = "  line1 \r\nline2\rline3\n\n\n\n  line4\u00a0\u00a0x  \n"
    assert run(clean_notes, [raw]) == ["line1\nline2\nline3\n\nline4 x"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1. Acme", "Acme"),
        ("12) Acme", "Acme"),
        ("#3 Acme", "Acme"),
        ("(4) Acme", "Acme"),
        ("- Acme", "Acme"),
        ("• Acme", "Acme"),
        ("27. Marqeta, Inc", "Marqeta, Inc"),
        ('"Acme"', "Acme"),
        ("1. “Acme Labs”", "Acme Labs"),
        ("1. 3M", "3M"),
        ("3M", "3M"),
        ("1Password", "1Password"),
        ("7-Eleven", "7-Eleven"),
        ("23andMe", "23andMe"),
        ("Harnham (Class Dojo)", "Harnham (Class Dojo)"),
        ("1.618 Ventures", "1.618 Ventures"),
    ],
)
def test_clean_company(raw, expected):
    """List numbering, bullets and surrounding quotes go; names starting with digits stay."""
    assert run(clean_company, [raw]) == [expected]


def test_company_key_merges_spellings_and_legal_suffixes():
    """Case, spacing, punctuation and legal suffixes do not change the company key."""
    spellings = [
        "Acme, Inc.", "ACME inc", " acme ", "Acme Corporation", "Acme GmbH", "Acme Pvt. Ltd.",
        "Acme Limited", "ACME LLC", "Acme S.A.", "Acme B.V.", "Acme AG", "Acme plc", "Acme Co.",
        "1. Acme Corp",
    ]  # fmt: skip
    assert set(run(company_key, spellings)) == {"acme"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nestlé", "nestle"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Johnson and Johnson", "johnson and johnson"),
        ("Alzheimer’s Society", "alzheimers society"),
        ("Dr. August Wolff GmbH & Co. KG", "dr august wolff"),
        ("7-Eleven", "7 eleven"),
        ("Co", "co"),
        ("Costco", "costco"),
        ("Inc. Magazine", "inc magazine"),
    ],
)
def test_company_key_examples(raw, expected):
    """Accents and apostrophes go, '&' reads 'and', only trailing suffixes are dropped."""
    assert run(company_key, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Data AnalystData Analyst", "Data Analyst"),
        ("Data Analyst Data Analyst", "Data Analyst"),
        ("Data Analyst - Data Analyst", "Data Analyst"),
        ("  Senior\u00a0Engineer ", "Senior Engineer"),
        ("Walla Walla Guide", "Walla Walla Guide"),
        ("Bora Bora", "Bora Bora"),
    ],
)
def test_clean_title(raw, expected):
    """A title pasted twice is kept once; short real repeats ('Bora Bora') are left alone."""
    assert run(clean_title, [raw]) == [expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sr. Data Analyst", "senior data analyst"),
        ("Product Owner (H/F)", "product owner"),
        ("Data Analyst (m/w/d)", "data analyst"),
        ("Software Engineer II", "software engineer 2"),
        ("C++ Developer", "c++ developer"),
        ("C# / .NET Engineer", "c# net engineer"),
        ("Café  MANAGER", "cafe manager"),
        ("Data AnalystData Analyst", "data analyst"),
    ],
)
def test_title_key(raw, expected):
    """Title keys are casefolded and accent-free, keeping + and # (C++, C#)."""
    assert run(title_key, [raw]) == [expected]


def test_results_keep_index_and_str_dtype():
    """Every function returns a `str` Series on the input's (duplicated) index."""
    values = pd.Series([" Acme ", None, "Beta"], index=["x", "x", "y"], dtype=object)
    for func in FUNCTIONS:
        result = func(values)
        assert result.dtype == "str", func.__name__
        assert result.index.tolist() == ["x", "x", "y"]


def test_lone_surrogates_do_not_break_arrow_strings():
    """Undecodable surrogate characters become U+FFFD instead of failing the str dtype."""
    assert run(clean_text, ["a\ud800b"]) == ["a\ufffdb"]


CELLS = st.one_of(
    st.none(),
    st.just(np.nan),
    st.just(pd.NA),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.text(alphabet=st.characters(categories=["Cs", "Zs", "Zl", "Zp", "Cc", "Cf"]), max_size=8),
    st.text(alphabet="0123456789.)#-•\"' AcmeIncData Analyst\n\r", max_size=40),
    st.datetimes(),
    st.dates(),
)


def columns():
    """Arbitrary cells on an arbitrary index (see tests/strategies.py)."""
    return cell_columns(CELLS)


@settings(max_examples=300, deadline=None)
@given(columns())
def test_no_function_raises_and_index_is_kept(values):
    """Every function accepts any cells and returns a `str` Series on the input index."""
    for func in FUNCTIONS:
        result = func(values)
        assert result.dtype == "str", func.__name__
        assert result.index.equals(values.index)


@settings(max_examples=300, deadline=None)
@given(columns())
def test_clean_text_shape_and_idempotence(values):
    """clean_text output is one stripped line without double spaces, and a fixed point."""
    once = clean_text(values)
    for text in once.dropna():
        assert text == text.strip() and "  " not in text and "\n" not in text and text
    assert clean_text(once).equals(once)


@settings(max_examples=300, deadline=None)
@given(columns())
def test_clean_notes_shape_and_idempotence(values):
    """clean_notes output never holds three line breaks in a row, and is a fixed point."""
    once = clean_notes(values)
    for text in once.dropna():
        assert "\n\n\n" not in text and "\r" not in text and text == text.strip()
    assert clean_notes(once).equals(once)

"""Properties of pipelines.normalize.sizes: organisation size, type and reach, counts and
checkboxes from any cell (the worked examples are in tests/test_scope.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.domain import ORG_TYPES, REACHES
from pipelines.normalize.sizes import (
    REACH_WORDS,
    TYPE_WORDS,
    parse_amount,
    parse_org_size,
    parse_org_type,
    parse_reach,
    parse_yes_no,
)
from tests.strategies import ANY_CELL, phrases

SIZE_WORDS = ["12,000", "~70", "1000-5000", "5k+", "10 bis 50", "1.500", "small", "enterprise",
              "Fortune 500", "employees", "nonprofit", "Series A", "global", "UK", "local",
              "US", "yes", "no", "✓", "2025-03-04", "¹", "٣", "n/a", "-", "+", "to"]
cells = st.lists(st.one_of(ANY_CELL, phrases(SIZE_WORDS)), max_size=8).map(
    lambda values: pd.Series(values, dtype=object))


@settings(max_examples=200, deadline=None)
@given(cells)
def test_scope_cells_read_without_error_and_the_same_twice(values):
    """Any cells give one answer each, of the expected kind, and the same answers twice."""
    sizes, amounts = parse_org_size(values), parse_amount(values)
    types, reach, ticks = parse_org_type(values), parse_reach(values), parse_yes_no(values)
    for answers in (sizes, amounts, types, reach, ticks):
        assert len(answers) == len(values)
    assert all(n is None or (isinstance(n, int) and 0 < n < 10_000_000) for n in sizes)
    assert all(a is None or isinstance(a, float) for a in amounts)
    assert set(types) <= {*ORG_TYPES, None} and set(reach) <= {*REACHES, None}
    assert set(ticks) <= {True, False, None}
    assert (sizes, amounts, types, reach, ticks) == (
        parse_org_size(values), parse_amount(values), parse_org_type(values),
        parse_reach(values), parse_yes_no(values))


@settings(max_examples=200, deadline=None)
@given(cells)
def test_scope_read_back_from_what_it_gave(values):
    """A size, an amount, a type or a reach, written back as the parser gave it (an amount
    with no exponent), reads as itself."""
    for size in filter(None, parse_org_size(values)):
        assert parse_org_size(pd.Series([str(size)], dtype=object)) == [size]
    for amount in filter(None, parse_amount(values)):  # four decimals or more: not '12.345'
        written = np.format_float_positional(amount, min_digits=4)
        assert parse_amount(pd.Series([written], dtype=object)) == [amount]
    for kind in filter(None, parse_org_type(values)):
        assert parse_org_type(pd.Series([kind], dtype=object)) == [kind]
    for reach in filter(None, parse_reach(values)):
        assert parse_reach(pd.Series([reach], dtype=object)) == [reach]


def test_a_digit_that_is_not_a_count_is_no_size():
    """A superscript digit ('¹', a footnote mark; it once stopped an import) and a number
    that rounds to no one are no size."""
    assert parse_org_size(pd.Series(["¹", "²³", 0.4, "0.3"], dtype=object)) == [None] * 4


def test_the_words_for_types_and_reaches_name_the_domain_s_codes():
    """Every organisation type and reach has words to be read by, and no word names another."""
    assert set(TYPE_WORDS) == set(ORG_TYPES) and set(REACH_WORDS) == set(REACHES)

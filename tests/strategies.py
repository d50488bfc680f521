"""Hypothesis strategies shared by the property tests of the normalisers."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

# Any cell a reader may hand on: missing values of every kind, typed cells, any text.
ANY_CELL = st.one_of(st.none(), st.just(np.nan), st.just(pd.NA), st.booleans(), st.integers(),
                     st.floats(), st.text(), st.datetimes())


def phrases(words: list[str]) -> st.SearchStrategy[str]:
    """Text made of up to eight of ``words`` joined by spaces: inputs near the ones a parser
    is written for, where its rules meet."""
    return st.lists(st.sampled_from(words), max_size=8).map(" ".join)


def cell_columns(cells: st.SearchStrategy) -> st.SearchStrategy[pd.Series]:
    """Object Series of up to 12 cells drawn from ``cells``, on an arbitrary (possibly
    duplicated) index: what a normaliser may be handed as a column's distinct values."""

    @st.composite
    def columns(draw) -> pd.Series:
        values = draw(st.lists(cells, max_size=12))
        index = draw(st.lists(st.integers(-3, 3), min_size=len(values), max_size=len(values)))
        return pd.Series(values, index=index, dtype=object)

    return columns()

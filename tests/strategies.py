"""Hypothesis strategies shared by the property tests of the normalisers."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st


def cell_columns(cells: st.SearchStrategy) -> st.SearchStrategy[pd.Series]:
    """Object Series of up to 12 cells drawn from ``cells``, on an arbitrary (possibly
    duplicated) index: what a normaliser may be handed as a column's distinct values."""

    @st.composite
    def columns(draw) -> pd.Series:
        values = draw(st.lists(cells, max_size=12))
        index = draw(st.lists(st.integers(-3, 3), min_size=len(values), max_size=len(values)))
        return pd.Series(values, index=index, dtype=object)

    return columns()

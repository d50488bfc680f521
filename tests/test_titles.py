"""Title level, function and people management read from job titles: the labelled sets
written for the tests, and the cases the scale calls out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.derive.titles import read_title, read_titles
from tests.strategies import ANY_CELL, phrases

DATA = Path(__file__).parent / "data"


def _labelled(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, keep_default_na=False, dtype=str)


def _accuracy(name: str, column: str, got_column: str) -> float:
    data = _labelled(name)
    got = read_titles(data["title"]).set_index("title")[got_column]
    want = data.set_index("title")[column]
    if column == "title_level":
        want = want.map(lambda v: int(v) if v else None)
        got = got.astype(object).where(got.notna(), None)
    elif column == "manages_people":
        data = data[data["manages_people"] != ""]
        want = data.set_index("title")["manages_people"].map({"true": True, "false": False})
        got = got.astype(object).where(got.notna(), None)
    else:
        got = got.astype(object).where(got.notna(), "")
    return float((got.loc[want.index] == want).mean())


def test_labelled_sets_are_large_and_varied():
    """Both sets together hold 200+ titles per the issue, in many functions and languages."""
    for name in ("titles_labelled.csv", "titles_heldout.csv"):
        data = _labelled(name)
        assert len(data) >= 200
        assert data["function"].nunique() >= 15
        assert data["title"].str.contains(r"[^\x00-\x7f]").sum() >= 20  # other languages
        assert (data["title_level"] == "").sum() >= 5  # things that are not titles


@pytest.mark.parametrize("name", ["titles_labelled.csv", "titles_heldout.csv"])
def test_title_level_is_exact_for_nine_titles_in_ten(name):
    """Exact title level on at least 90% of each labelled set (the second one was written
    blind, after the rules were tuned on the first)."""
    assert _accuracy(name, "title_level", "title_level") >= 0.90


def test_function_and_people_management_mostly_agree_with_the_labels():
    """Function and 'manages people' agree with the tuning set's labels most of the time."""
    assert _accuracy("titles_labelled.csv", "function", "title_function") >= 0.85
    assert _accuracy("titles_labelled.csv", "manages_people", "manages_people") >= 0.90


@pytest.mark.parametrize(("title", "level"), [
    ("Director of Product Management", 8),   # a director, whatever it directs
    ("Account Executive", 3),                # not an executive
    ("Manager, Investor Relations", 6),      # reversed form
    ("Analyst II", 3), ("Sr. Analyst", 4), ("Software Engineer", 3),
    ("VP, Communications", 10), ("SVP Marketing", 11), ("Dir. of Sales", 8),
    ("Chief Executive Officer", 12), ("Executive Assistant to the CEO", 2),
    ("Senior Vice President and Chief Marketing Officer", 12),
    ("Associate Director, Brand", 7), ("Head of People", 7), ("Marketing Intern", 1),
    ("Leiterin Kommunikation", 7), ("Chargée de communication", 3),
    ("Directora de Marketing", 8), ("Werkstudent Marketing (m/w/d)", 1),
    ("TBD", None), ("", None),
])
def test_the_cases_the_scale_names(title, level):
    """Abbreviations, reversed forms, grades, misleading words, other languages, not a title."""
    assert read_title(title).level == level


def test_each_level_keeps_the_words_that_set_it():
    """The reading says which words gave the level, in the title's folded form."""
    reading = read_title("Sr. Dir., Corporate Communications")
    assert (reading.level, reading.words, reading.function) == (
        9, "senior director", "communications")
    assert reading.manages_people is True


def test_distinct_titles_are_read_once():
    """read_titles returns one row per distinct title, NULL level where there is none."""
    frame = read_titles(pd.Series(["Data Analyst", "Data Analyst", None, "various"]))
    assert frame["title"].tolist() == ["Data Analyst", "various"]
    assert frame["title_level"].tolist()[0] == 3 and pd.isna(frame["title_level"].iloc[1])


TITLE_WORDS = ["Senior", "Sr.", "Junior", "VP", "Vice President", "of", "Head", "Director",
               "Engineer", "Manager", "Product", "Associate", "Executive", "Chief", "Officer",
               "Lead", "Principal", "Staff", "II", "Intern", "Marketing", "Geschäftsführer",
               "Leiter", "Directeur", "经理", "(m/w/d)", "-", ",", "&", "Sales", "Founder"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(ANY_CELL, phrases(TITLE_WORDS)), max_size=8))
def test_any_titles_read_without_error_and_alike_alone_or_together(values):
    """Any cells read without error into levels on the scale (1-12), once per distinct title,
    the same twice, and each as it reads alone."""
    read = read_titles(pd.Series(values, dtype=object))
    assert read.equals(read_titles(pd.Series(values, dtype=object)))
    assert read["title"].is_unique
    assert read["title_level"].dropna().between(1, 12).all()
    for row in read.itertuples():
        alone = read_title(row.title)
        assert alone.level == (None if pd.isna(row.title_level) else row.title_level)
        assert alone.words == (None if pd.isna(row.title_words) else row.title_words)
        assert alone.function == (None if pd.isna(row.title_function) else row.title_function)

"""Tests for pipelines.normalize.dates: text, serial and typed date cells to timestamps."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize.dates import infer_dayfirst, looks_like_date_share, parse_dates
from tests.strategies import cell_columns

T = pd.Timestamp


def parse(values: list, **kwargs) -> list:
    """parse_dates on a plain list, returned as a list (NaT stays NaT)."""
    return parse_dates(pd.Series(values, dtype=object), **kwargs).tolist()


def assert_dates(got: list, expected: list) -> None:
    """Element-wise equality where NaT only equals NaT."""
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert (pd.isna(g) and pd.isna(e)) or g == e, (got, expected)


def test_iso_dates_padded_and_unpadded():
    """ISO dates parse, including an unpadded day ('2025-09-8')."""
    assert_dates(parse(["2025-03-04", "2025-09-8"]), [T("2025-03-04"), T("2025-09-08")])


def test_iso_with_time_keeps_time_and_drops_zone():
    """A time after an ISO date is kept; a 'Z' zone is dropped without shifting the clock."""
    got = parse(["2024-01-05 13:22:10", "2023-10-05T14:03:22Z"])
    assert_dates(got, [T("2024-01-05 13:22:10"), T("2023-10-05 14:03:22")])


def test_slashes_default_to_month_first():
    """An ambiguous slash column is read month-first (US), with 2-digit years in 20xx."""
    assert_dates(parse(["3/4/2025", "3/4/25"]), [T("2025-03-04"), T("2025-03-04")])


def test_dots_default_to_day_first():
    """An ambiguous dotted column is read day-first (European)."""
    assert_dates(parse(["04.03.2025"]), [T("2025-03-04")])


def test_one_day_first_value_decides_the_column():
    """'13/02/2025' proves day-first, so '04/03/2025' in the same column is 4 March."""
    got = parse(["04/03/2025", "13/02/2025"])
    assert_dates(got, [T("2025-03-04"), T("2025-02-13")])


def test_month_first_proof_beats_the_dot_default():
    """'3/25/2024' proves month-first, so '04.03.2025' in that column is 3 April."""
    got = parse(["04.03.2025", "3/25/2024"])
    assert_dates(got, [T("2025-04-03"), T("2024-03-25")])


def test_explicit_dayfirst_overrides_inference():
    """dayfirst=True reads '3/4/2025' as 3 April even though slashes default month-first."""
    assert_dates(parse(["3/4/2025"], dayfirst=True), [T("2025-04-03")])


def test_month_13_under_the_chosen_order_is_nat():
    """Once the column is month-first, '13/02/2025' cannot be read and becomes NaT."""
    assert_dates(parse(["13/02/2025"], dayfirst=False), [pd.NaT])


def test_linkedin_export_timestamps():
    """LinkedIn's '3/7/24, 2:22 PM' keeps its 12-hour time; 12:00 AM is midnight."""
    got = parse(["3/7/24, 2:22 PM", "11/9/23, 12:00 AM", "10/10/24, 3:54\u202fAM"])
    expected = [T("2024-03-07 14:22"), T("2023-11-09 00:00"), T("2024-10-10 03:54")]
    assert_dates(got, expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("January 5, 2025", "2025-01-05"),
        ("Jan 5 2025", "2025-01-05"),
        ("5 Jan 2025", "2025-01-05"),
        ("5. März 2025", "2025-03-05"),
        ("3 Oktober 2024", "2024-10-03"),
        ("Sept. 3rd, 2024", "2024-09-03"),
        ("2025 Dec 1", "2025-12-01"),
    ],
)
def test_month_names(raw, expected):
    """English and German month names parse in month-day-year and day-month-year order."""
    assert_dates(parse([raw]), [T(expected)])


def test_month_name_inside_a_word_is_not_a_month():
    """'Marketing 5 2025' is not 5 March: 'Mar' must stand alone."""
    assert_dates(parse(["Marketing 5 2025"]), [pd.NaT])


def test_typed_excel_serials():
    """Typed numbers are Excel serial days from 1899-12-30; a fraction is the time of day."""
    got = parse([44927, 45000, 45000.5, np.int64(45000)])
    expected = [T("2023-01-01"), T("2023-03-15"), T("2023-03-15 12:00"), T("2023-03-15")]
    assert_dates(got, expected)


def test_numeric_text_is_a_serial_only_when_allowed():
    """'45000' is NaT by default and 15 March 2023 with allow_serials=True."""
    assert_dates(parse(["45000"]), [pd.NaT])
    assert_dates(parse(["45000"], allow_serials=True), [T("2023-03-15")])


def test_allow_serials_false_ignores_typed_numbers():
    """allow_serials=False leaves even typed numbers unread."""
    assert_dates(parse([45000], allow_serials=False), [pd.NaT])


@pytest.mark.parametrize("raw", ["87249", "3", "10", "2026-2038", "123456", 3, 10, 123456])
def test_ids_counts_and_year_ranges_are_not_dates(raw):
    """IDs, small counts and year ranges stay NaT even when serials are allowed."""
    assert_dates(parse([raw], allow_serials=True), [pd.NaT])


def test_python_and_pandas_datetime_objects():
    """datetime, date and Timestamp cells pass through; a time zone is dropped (wall time)."""
    berlin = pd.Timestamp("2024-05-06 09:30", tz="Europe/Berlin")
    got = parse([dt.datetime(2024, 1, 2, 3, 4), dt.date(2024, 1, 2), berlin])
    assert_dates(got, [T("2024-01-02 03:04"), T("2024-01-02"), T("2024-05-06 09:30")])


def test_free_text_gives_its_first_date():
    """A date inside text is found; with two dates the first one wins."""
    got = parse(["Before 2025-01-24", "8/3/2019 and 9/9/2019"])
    assert_dates(got, [T("2025-01-24"), T("2019-08-03")])


def test_second_date_in_a_cell_still_informs_the_order():
    """'8/14/2019' later in the same cell proves the column month-first."""
    got = parse(["8/5/2019 & 8/14/2019", "4.3.2019"])
    assert_dates(got, [T("2019-08-05"), T("2019-04-03")])


@pytest.mark.parametrize(
    "raw",
    ["8/82019", "2025-13-01", "31.02.2025", "1985-01-01", "2101-01-01", dt.datetime(1899, 12, 30)],
)
def test_impossible_or_implausible_dates_are_nat(raw):
    """Malformed dates, month 13, 31 February and years outside 1990..2100 become NaT."""
    assert_dates(parse([raw]), [pd.NaT])


def test_year_less_values_need_a_default_year():
    """'8-Jul' and 'Mar 4' are NaT unless default_year supplies the year."""
    assert_dates(parse(["8-Jul", "Mar 4"]), [pd.NaT, pd.NaT])
    got = parse(["8-Jul", "Mar 4"], default_year=2020)
    assert_dates(got, [T("2020-07-08"), T("2020-03-04")])


def test_blanks_and_non_dates_are_nat():
    """None, NaN, NA, empty and whitespace cells, booleans and words give NaT."""
    got = parse([None, np.nan, pd.NA, pd.NaT, "", "   ", True, "Rejected"])
    assert_dates(got, [pd.NaT] * 8)


def test_result_keeps_index_and_dtype():
    """The result has the input's (even duplicated) index and dtype datetime64[us]."""
    values = pd.Series(["2025-03-04", None, "2025-03-05"], index=["b", "a", "b"])
    result = parse_dates(values)
    assert result.dtype == "datetime64[us]"
    assert result.index.tolist() == ["b", "a", "b"]
    assert result.iloc[2] == T("2025-03-05")


def test_already_parsed_datetime_column_passes_through():
    """A datetime64 column (typed cells read by pandas) comes back unchanged in value."""
    values = pd.Series(pd.to_datetime(["2024-03-28", None]))
    assert_dates(parse_dates(values).tolist(), [T("2024-03-28"), pd.NaT])


def test_arrow_string_column():
    """A pandas `str` (Arrow) column parses like an object column."""
    values = pd.Series(["2025-03-04", None], dtype="str")
    assert_dates(parse_dates(values).tolist(), [T("2025-03-04"), pd.NaT])


def test_infer_dayfirst():
    """Proofs decide the order; otherwise dots mean day-first, slashes month-first."""
    assert infer_dayfirst(pd.Series(["2025-03-04", "Jan 5 2025", None])) is None
    assert infer_dayfirst(pd.Series(["04.03.2025"])) is True
    assert infer_dayfirst(pd.Series(["04/03/2025"])) is False
    assert infer_dayfirst(pd.Series(["04/03/2025", "25/03/2025"])) is True
    assert infer_dayfirst(pd.Series(["04.03.2025", "3/25/2024"])) is False


def test_date_share_of_a_date_column():
    """Dates (a year-less 'Mar 4' too) count; a number and a status do not; blanks are ignored."""
    values = pd.Series(["2025-03-04", "Mar 4", "3", "Rejected", None, ""], dtype=object)
    assert looks_like_date_share(values) == pytest.approx(2 / 4)


def test_date_share_ignores_ids_and_ranges():
    """IDs, small integers, year ranges and typed numbers score 0 by default."""
    values = pd.Series(["87249", "3", "10", "2026-2038", "123456", 45000, 45001.0], dtype=object)
    assert looks_like_date_share(values) == 0.0


def test_date_share_counts_serials_only_when_allowed():
    """Typed Excel serials count as dates only with allow_serials=True."""
    values = pd.Series([45000, 45001], dtype=object)
    assert looks_like_date_share(values) == 0.0
    assert looks_like_date_share(values, allow_serials=True) == 1.0


def test_date_share_ignores_notes_that_mention_a_date():
    """A long note containing a date is not a date cell; a short prefix is fine."""
    values = pd.Series(["Applied 2025-03-04 via a referral from a friend", "Before 2025-01-24"])
    assert looks_like_date_share(values) == pytest.approx(1 / 2)


def test_date_share_of_an_empty_column():
    """A column with no non-blank values scores 0."""
    assert looks_like_date_share(pd.Series([None, "  "], dtype=object)) == 0.0
    assert looks_like_date_share(pd.Series([], dtype=object)) == 0.0


@pytest.mark.corpus
def test_corpus_uk_tracker_reads_day_first(corpus):
    """The early UK tracker's 'Date Applied' column is day-first and fully readable."""
    frame = pd.read_csv(corpus / "martinw72uk_job_tracker_early" / "job_applications.csv")
    column = frame["Date Applied"].dropna().drop_duplicates()
    assert infer_dayfirst(column) is True
    parsed = parse_dates(column)
    assert parsed.notna().all()
    assert T("2025-01-15") in set(parsed)


DATEISH = "0123456789/.-:, TZAPMamJanFebMärzSeptOktDec"
CELLS = st.one_of(
    st.none(),
    st.just(np.nan),
    st.just(pd.NA),
    st.just(pd.NaT),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.text(alphabet=DATEISH, max_size=30),
    st.text(alphabet=st.characters(categories=["Cs", "Zs", "Cf"]), max_size=5),
    st.datetimes(timezones=st.none() | st.timezones()),
    st.dates(),
)


def columns():
    """Arbitrary cells on an arbitrary index (see tests/strategies.py)."""
    return cell_columns(CELLS)


@settings(max_examples=300, deadline=None)
@given(columns(), st.sampled_from([None, True, False]), st.sampled_from([None, True, False]))
def test_parse_dates_never_raises_and_keeps_index(values, dayfirst, allow_serials):
    """Any cells parse without error into datetime64[us] on the input index, in the window."""
    result = parse_dates(values, dayfirst=dayfirst, allow_serials=allow_serials, default_year=2024)
    assert result.dtype == "datetime64[us]"
    assert result.index.equals(values.index)
    assert result.dropna().dt.year.between(1990, 2100).all()


@settings(max_examples=200, deadline=None)
@given(columns())
def test_inference_and_share_never_raise(values):
    """infer_dayfirst gives a bool or None and the date share stays within 0..1."""
    assert infer_dayfirst(values) in (True, False, None)
    assert 0.0 <= looks_like_date_share(values) <= 1.0
    assert 0.0 <= looks_like_date_share(values, allow_serials=True) <= 1.0


@settings(max_examples=200, deadline=None)
@given(columns(), st.sampled_from([None, True, False]))
def test_dates_read_the_same_twice_and_from_their_iso_text(values, dayfirst):
    """The same cells read the same dates every time, and each date written back as ISO text
    (to the second) reads as itself."""
    first = parse_dates(values, dayfirst=dayfirst, default_year=2024)
    assert first.equals(parse_dates(values, dayfirst=dayfirst, default_year=2024))
    read = first.dropna().dt.floor("s")
    again = parse_dates(read.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object))
    assert again.equals(read)

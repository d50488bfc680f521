"""Parse tracker date cells (text, Excel serial numbers, typed datetimes) into timestamps.

Every public function takes the distinct raw values of ONE column as a pandas Series and
returns a result aligned on the same index. Day-first versus month-first order is decided
per column, from all its values together. No function raises on any cell value: a value
that cannot be read becomes NaT, and the caller counts and reports those.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

MIN_YEAR, MAX_YEAR = 1990, 2100  # dates outside this window are data errors, not dates
SERIAL_MIN, SERIAL_MAX = 20000, 80000  # Excel day numbers we accept (1954..2119)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MAX_EXTRA_CHARS = 20  # other text allowed around a date for the value to count as one
PLACEHOLDER_YEAR = 2000  # leap year used only to test whether a year-less value is a date
OUT_DTYPE = "datetime64[us]"
_REAL = (int, float, np.integer, np.floating)  # typed numeric cells (bools tested first)

MONTHS = {
    "january": 1, "jan": 1, "januar": 1, "jänner": 1,
    "february": 2, "feb": 2, "februar": 2,
    "march": 3, "mar": 3, "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juni": 6,
    "july": 7, "jul": 7, "juli": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12, "dezember": 12, "dez": 12,
}  # fmt: skip

_MON = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_SEP0, _SEP1, _ORD = r"[\s.,/-]*", r"[\s.,/-]+", r"(?:st|nd|rd|th)?"
_NUMERIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_NUM = (
    r"(?<!\d)(?P<num_a>\d{1,2})(?P<num_s>[-/.])(?P<num_b>\d{1,2})(?P=num_s)"
    r"(?P<num_y>\d{4}|\d{2})(?!\d)(?!\.\d)"
)
_NUM_RE = re.compile(_NUM)


def _month(name: str) -> str:
    """Regex for a month name (English or German) not glued to other letters."""
    return rf"(?<![^\W\d_])(?P<{name}>{_MON})(?![^\W\d_])\.?"


@lru_cache(maxsize=2)
def _date_regex(with_yearless: bool) -> re.Pattern[str]:
    """One regex whose leftmost match is the first date in a text (plus an optional time)."""
    forms = [
        r"(?<!\d)(?P<iso_y>\d{4})(?P<iso_s>[-/.])(?P<iso_m>\d{1,2})(?P=iso_s)(?P<iso_d>\d{1,2})(?!\d)",
        _NUM,
        _month("mdy_m")
        + _SEP0
        + rf"(?P<mdy_d>\d{{1,2}})(?!\d){_ORD}"
        + rf"{_SEP1}(?P<mdy_y>\d{{4}})(?!\d)",
        rf"(?<!\d)(?P<dmy_d>\d{{1,2}}){_ORD}{_SEP0}"
        + _month("dmy_m")
        + rf"{_SEP1}(?P<dmy_y>\d{{4}})(?!\d)",
        rf"(?<!\d)(?P<ymd_y>\d{{4}}){_SEP1}"
        + _month("ymd_m")
        + rf"{_SEP1}(?P<ymd_d>\d{{1,2}})(?!\d)",
    ]
    if with_yearless:
        forms.append(_month("md_m") + _SEP0 + rf"(?P<md_d>\d{{1,2}})(?!\d){_ORD}")
        forms.append(rf"(?<!\d)(?P<dm_d>\d{{1,2}}){_ORD}{_SEP0}" + _month("dm_m"))
    time = (
        r"(?:(?:T|[\s,]+(?:at\s+)?)(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?"
        r"(?:\s*(?P<ap>[ap])\.?m\.?(?![^\W\d_]))?(?!\d))?"
    )
    return re.compile(rf"(?P<whole>(?:{'|'.join(forms)}){time})", re.IGNORECASE)


def _kind(value: object) -> str:
    """Classify one cell: blank, datetime, number, numstr (numeric text), text or other."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "blank"
    if isinstance(value, str):
        text = value.strip()
        return "blank" if not text else "numstr" if _NUMERIC.fullmatch(text) else "text"
    if isinstance(value, (bool, np.bool_)):
        return "other"
    if isinstance(value, np.datetime64):
        return "blank" if np.isnat(value) else "datetime"
    if isinstance(value, (datetime, date)):
        return "datetime"
    if isinstance(value, _REAL):
        return "blank" if value != value else "number"
    return "other"


def _objects(values: pd.Series) -> pd.Series:
    """The values as an object Series on a fresh RangeIndex (so masks align positionally)."""
    return pd.Series(values.to_numpy(dtype=object), dtype=object)


def _to_float(value: object) -> float:
    """float(value), or NaN when it does not fit."""
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return np.nan


def _to_timestamp(value: object) -> pd.Timestamp:
    """A naive Timestamp for a datetime-like object (time zone dropped, wall time kept)."""
    try:
        stamp = pd.Timestamp(value)
        return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return pd.NaT


def _in_window(stamps: pd.Series) -> pd.Series:
    """The timestamps as datetime64[us], NaT outside MIN_YEAR..MAX_YEAR."""
    stamps = pd.to_datetime(stamps, errors="coerce").astype(OUT_DTYPE)
    return stamps.where(stamps.dt.year.between(MIN_YEAR, MAX_YEAR))


def _from_serials(days: pd.Series) -> pd.Series:
    """Excel serial day numbers (float) to timestamps rounded to the second; NaT off range."""
    days = days.where(days.between(SERIAL_MIN, SERIAL_MAX))
    stamps = EXCEL_EPOCH + pd.to_timedelta(days, unit="D").dt.round("s")
    return _in_window(stamps)


def _two_digit_year(years: pd.Series) -> pd.Series:
    """Expand 2-digit years (25 -> 2025, 95 -> 1995); leave 4-digit years alone."""
    return years.where(years >= 100, years + np.where(years < 70, 2000, 1900))


def _time_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """Hour/minute/second columns from the time groups; 0 when absent or invalid."""
    hour = pd.to_numeric(parts["hh"], errors="coerce")
    minute = pd.to_numeric(parts["mi"], errors="coerce")
    second = pd.to_numeric(parts["ss"], errors="coerce").fillna(0)
    meridiem = parts["ap"].str.lower()
    twelve_hour = meridiem.notna()
    ok = hour.le(23) & minute.le(59) & second.le(59) & (~twelve_hour | hour.between(1, 12))
    hour = hour.where(~twelve_hour, hour % 12 + np.where(meridiem == "p", 12, 0))
    frame = pd.DataFrame({"hour": hour, "minute": minute, "second": second})
    return frame.where(ok, 0).fillna(0)


def _ymd(parts: pd.DataFrame, dayfirst: bool | pd.Series,
         default_year: int | None) -> pd.DataFrame:
    """Year/month/day columns from whichever date form matched (NaN where none did).
    ``dayfirst`` is one order for all, or one per value (a boolean Series on their index)."""
    blank = pd.Series(np.nan, index=parts.index)

    def num(col: str) -> pd.Series:
        return pd.to_numeric(parts[col], errors="coerce") if col in parts else blank

    def month(col: str) -> pd.Series:
        return parts[col].str.casefold().map(MONTHS) if col in parts else blank

    if isinstance(dayfirst, pd.Series):
        flip = dayfirst.reindex(parts.index, fill_value=False)
        first, second = num("num_b").where(flip, num("num_a")), num("num_a").where(flip,
                                                                                  num("num_b"))
    else:
        first, second = ((num("num_b"), num("num_a")) if dayfirst
                         else (num("num_a"), num("num_b")))
    year_less = blank if default_year is None else blank.fillna(default_year)
    candidates = {
        "year": [num("iso_y"), _two_digit_year(num("num_y")), num("mdy_y"), num("dmy_y"),
                 num("ymd_y"), year_less],
        "month": [num("iso_m"), first, month("mdy_m"), month("dmy_m"), month("ymd_m"),
                  month("md_m"), month("dm_m")],
        "day": [num("iso_d"), second, num("mdy_d"), num("dmy_d"), num("ymd_d"), num("md_d"),
                num("dm_d")],
    }  # fmt: skip
    out = {}
    for field, series in candidates.items():
        merged = blank
        for column in series:  # at most one form matched, so at most one is not NaN
            merged = merged.fillna(pd.to_numeric(column, errors="coerce"))
        out[field] = merged
    return pd.DataFrame(out)


def _parse_text(texts: pd.Series, dayfirst: bool | pd.Series,
                default_year: int | None) -> pd.DataFrame:
    """Columns `date` (first date found in each text) and `extra` (chars outside it)."""
    parts = texts.str.extract(_date_regex(default_year is not None))
    frame = pd.concat([_ymd(parts, dayfirst, default_year), _time_parts(parts)], axis=1)
    frame = frame.where(frame["year"].between(MIN_YEAR, MAX_YEAR))
    stamps = pd.to_datetime(frame, errors="coerce")
    extra = texts.str.strip().str.len() - parts["whole"].str.len()
    return pd.DataFrame({"date": _in_window(stamps), "extra": extra}, index=texts.index)


def _parse_frame(
    values: pd.Series, dayfirst: bool | pd.Series | None, default_year: int | None,
    allow_serials: bool | None,
) -> pd.DataFrame:  # fmt: skip
    """Columns `date`, `extra` and `kind` for every value, on a fresh RangeIndex.
    ``dayfirst`` None infers one order from all the values."""
    raw = _objects(values)
    kind = raw.map(_kind)
    texts = raw[kind == "text"].astype(object)
    if dayfirst is None:
        dayfirst = bool(infer_dayfirst(texts))
    if allow_serials is None:
        serials = kind.eq("number")
    else:
        serials = kind.isin(["number", "numstr"]) & bool(allow_serials)
    parts = [
        _in_window(raw[kind == "datetime"].map(_to_timestamp)),
        _from_serials(raw[serials].map(_to_float).astype(float)),
    ]
    parsed = _parse_text(texts, dayfirst, default_year)
    dates = pd.concat([*parts, parsed["date"]]).reindex(raw.index).astype(OUT_DTYPE)
    extra = parsed["extra"].reindex(raw.index).fillna(0)
    return pd.DataFrame({"date": dates, "extra": extra, "kind": kind})


def _order_evidence(texts: pd.Series, groups: np.ndarray, count: int) -> np.ndarray:
    """Per group of texts (``groups`` numbers each text's group, 0 … count-1), one row of
    (numeric dates, proving day-first, proving month-first, written with . or -)."""
    found = texts.str.extractall(_NUM_RE) if len(texts) else pd.DataFrame()
    if found.empty:
        return np.zeros((count, 4), dtype=int)
    first = pd.to_numeric(found["num_a"], errors="coerce")
    second = pd.to_numeric(found["num_b"], errors="coerce")
    flags = np.column_stack([
        np.ones(len(found), dtype=bool),
        first.between(13, 31) & second.le(12),
        second.between(13, 31) & first.le(12),
        found["num_s"].isin([".", "-"]),  # 04.03.2025, 04-03-2025
    ])  # fmt: skip
    owner = groups[texts.index.get_indexer(found.index.get_level_values(0))]
    return np.stack([np.bincount(owner, weights=flags[:, i], minlength=count)
                     for i in range(4)], axis=1).astype(int)


def date_order_evidence(values: pd.Series) -> tuple[int, int, int, int]:
    """(numeric dates, proving day-first, proving month-first, written with . or -) among
    the values: 25/3/2025 proves day-first, 3/25/2025 month-first, 4/3/2025 proves nothing."""
    raw = _objects(values)
    texts = raw[raw.map(lambda v: isinstance(v, str))].astype(object)
    return tuple(int(n) for n in _order_evidence(texts, np.zeros(len(raw), dtype=int), 1)[0])


def _dayfirst(total: int, day_proofs: int, month_proofs: int, european: int) -> bool | None:
    if not total:
        return None
    if day_proofs != month_proofs:
        return day_proofs > month_proofs
    return european > total - european


def infer_dayfirst(values: pd.Series) -> bool | None:
    """Whether a column's numeric dates (4/3/2025) are day-first; None if it has none.
    Without proof either way, dots and dashes mean day-first, slashes month-first."""
    return _dayfirst(*date_order_evidence(values))


def parse_dates(
    values: pd.Series,
    *,
    dayfirst: bool | None = None,
    default_year: int | None = None,
    allow_serials: bool | None = None,
) -> pd.Series:
    """One timestamp (datetime64[us], NaT if unreadable) per value, on the input index.

    `dayfirst=None` infers the order from the whole column (see `infer_dayfirst`).
    `default_year` completes year-less values such as '8-Jul'; without it they are NaT.
    `allow_serials`: None reads typed numbers (int/float cells) as Excel serial days but
    not numeric text; True reads both; False reads neither.
    """
    frame = _parse_frame(values, dayfirst, default_year, allow_serials)
    return frame["date"].set_axis(values.index)


def looks_like_date_share(values: pd.Series, *, allow_serials: bool = False) -> float:
    """Share (0..1) of non-blank values that are dates, for telling date columns apart.

    A value counts if a date (a year-less 'Mar 4' too) makes up all but MAX_EXTRA_CHARS of
    it, so notes that merely mention a date do not count. Numbers count only as Excel
    serials, and only with `allow_serials=True`: IDs such as '87249' or 3 are not dates.
    """
    return looks_like_date_shares([values.tolist()], allow_serials=allow_serials)[0]


def looks_like_date_shares(columns: list[list], *, allow_serials: bool = False) -> list[float]:
    """``looks_like_date_share`` of the values of each of several columns, measured in one
    pass over them all: a pass costs tens of milliseconds however few its values, which a
    table of thousands of columns would otherwise pay once a column. Each column's order of
    day and month is still inferred from its own values."""
    count = len(columns)
    if not count:
        return []
    raw = pd.Series([v for column in columns for v in column], dtype=object)
    groups = np.repeat(np.arange(count), [len(column) for column in columns])
    texts = raw[raw.map(lambda v: isinstance(v, str))]
    orders = np.array([bool(_dayfirst(*row))
                       for row in _order_evidence(texts, groups[texts.index], count)])
    frame = _parse_frame(raw, pd.Series(orders[groups], index=raw.index, dtype=bool),
                         PLACEHOLDER_YEAR, allow_serials)
    present = (frame["kind"] != "blank").to_numpy()
    dated = (frame["date"].notna() & frame["extra"].le(MAX_EXTRA_CHARS)).to_numpy() & present
    filled = np.bincount(groups, weights=present, minlength=count)
    hits = np.bincount(groups, weights=dated, minlength=count)
    return [float(h / f) if f else 0.0 for h, f in zip(hits, filled, strict=True)]

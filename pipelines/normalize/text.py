"""Clean free-text cells (names, titles, notes) and build matching keys for them.

Every function takes the distinct raw values of one column as a pandas Series and returns
a `str` Series on the same index, missing (NA) where the cell is blank. Cells that are not
text (numbers, dates from typed spreadsheet cells) are turned into their text first. No
function raises on any cell value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

import numpy as np
import pandas as pd

# Written out (not \s) so the meaning never depends on the regex engine.
_SPACE_CHARS = (
    "\t\n\v\f\r \x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACES = f"[{_SPACE_CHARS}]+"
_HSPACES = f"[{_SPACE_CHARS.replace(chr(10), '')}]+"  # every space except the newline
_LINE_BREAK = "\r\n|[\r\v\f\x85\u2028\u2029]"
_INVISIBLE = "[\u200b\u2060\ufeff\u00ad]"  # zero-width space, word joiner, BOM, soft hyphen
_CONTROL = "[\x00-\x08\x0e-\x1b\x7f]"
_SURROGATE = "[\ud800-\udfff]"
_NUMBERING = re.compile(
    r"^(?:\(?\d{1,3}[.)]\s+|\(?\d{1,3}[.)](?=[^\W\d_])|\(\d{1,3}\)\s*|#\s?\d{1,3}[.):]?\s*"
    r"|\d{1,3}\s+[-–—:]\s+|[-–—•·*▪►‣◦]\s*)(?=\S)"
)
_QUOTES = "\"'“”‘’«»„‚`"
_LEGAL_SUFFIXES = (
    "inc", "incorporated", "llc", "llp", "ltd", "limited", "gmbh", "plc", "corp", "corporation",
    "co", "company", "sa", "ag", "bv", "nv", "kg", "se", "pvt", "private", "pty",
)  # fmt: skip
_SUFFIX_TAIL = re.compile(rf"^(.+?)(?:\s+(?:and\s+)?(?:{'|'.join(_LEGAL_SUFFIXES)}))+$")
_DOUBLED = re.compile(r"(.{6,}?)\s*(?:[-|/–—·:]\s*)?\1")
_INTEGRAL = (int, np.integer)
_REAL = (int, float, np.integer, np.floating)
_MAX_DOUBLED_LEN = 400  # the doubled-title check is quadratic; titles are far shorter


def _stringify(value: object) -> str | None:
    """One cell as Python text: None for blanks, '3' for the number 3.0, str() otherwise."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    try:
        if isinstance(value, float | np.floating) and value != value:
            return None
        if isinstance(value, np.datetime64):
            return None if np.isnat(value) else str(pd.Timestamp(value))
        if isinstance(value, _INTEGRAL):
            return str(int(value))
        if isinstance(value, _REAL) and float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        if isinstance(value, datetime | date):
            return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
        return str(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return None


def _apply(func: Callable[[object], object], values: pd.Series) -> pd.Series:
    """func applied to each value, as an object Series (no dtype inference) on the same index."""
    return pd.Series([func(v) for v in values.to_numpy(dtype=object)], values.index, object)


def _objects(values: pd.Series) -> pd.Series:
    """Cells as Python text (or None) in an object Series on the input index."""
    texts = _apply(_stringify, values)
    texts = texts.str.replace(_SURROGATE, "\ufffd", regex=True)
    texts = texts.str.replace(_INVISIBLE, "", regex=True)
    return texts.str.replace(_CONTROL, " ", regex=True)


def _finish(texts: pd.Series) -> pd.Series:
    """Empty text to missing, as a `str` Series."""
    return texts.where(texts.str.len() > 0).astype("str")


def _squash(texts: pd.Series) -> pd.Series:
    """Object-dtype text with every whitespace run (line breaks too) as one space, stripped."""
    return _objects(texts).str.replace(_SPACES, " ", regex=True).str.strip(" ")


def clean_text(values: pd.Series) -> pd.Series:
    """One single-line text per value: unicode spaces unified, runs collapsed, blank -> NA."""
    return _finish(_squash(values))


def clean_notes(values: pd.Series) -> pd.Series:
    """One multi-line text per value: line breaks kept (at most one blank line), blank -> NA."""
    texts = _objects(values).str.replace(_LINE_BREAK, "\n", regex=True)
    texts = texts.str.replace(_HSPACES, " ", regex=True)
    texts = texts.str.replace(r" ?\n ?", "\n", regex=True)
    texts = texts.str.replace(r"\n{3,}", "\n\n", regex=True)
    return _finish(texts.str.strip(" \n"))


def _unquote(text: object) -> object:
    """Text without one pair of surrounding quotes ('"Acme"' -> 'Acme')."""
    if isinstance(text, str) and len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        return text[1:-1].strip(" ")
    return text


def clean_company(values: pd.Series) -> pd.Series:
    """One company name per value: cleaned, list numbering ('1. ', '#3 ', '• ') and quotes cut."""
    texts = _squash(values).str.replace(_NUMBERING, "", regex=True)
    return _finish(_apply(_unquote, texts))


def _undouble(text: object) -> object:
    """'Data AnalystData Analyst' or 'Data Analyst Data Analyst' -> 'Data Analyst'."""
    if not isinstance(text, str) or len(text) > _MAX_DOUBLED_LEN:
        return text
    match = _DOUBLED.fullmatch(text)
    return match.group(1) if match else text


def clean_title(values: pd.Series) -> pd.Series:
    """One job title per value: cleaned, and a title pasted twice into the cell kept once."""
    return _finish(_apply(_undouble, _squash(values)))


def _strip_accents(text: object) -> object:
    """Text in NFKD form without combining marks ('Nestlé' -> 'Nestle')."""
    if not isinstance(text, str) or text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _key(texts: pd.Series, keep: str = "") -> pd.Series:
    """Casefolded, accent-free, punctuation-free text with single spaces (object dtype)."""
    texts = _apply(_strip_accents, texts.astype(object).str.casefold())
    texts = texts.str.replace("&", " and ", regex=False)
    texts = texts.str.replace(r"['’`´.]", "", regex=True)  # O'Neil, Inc., B.V. stay one word
    texts = texts.str.replace(rf"[^\w\s{re.escape(keep)}]|_", " ", regex=True)
    return texts.str.replace(r"\s+", " ", regex=True).str.strip()


def company_key(values: pd.Series, *, cleaned: bool = False) -> pd.Series:
    """One matching key per company ('Acme, Inc.', 'ACME inc', ' acme ' -> 'acme'), or NA.
    ``cleaned`` says the values already went through clean_company."""
    names = values if cleaned else clean_company(values)
    keys = _key(names).str.replace(_SUFFIX_TAIL, r"\1", regex=True)
    return _finish(keys)


# Gender tags that job ads add to titles in Europe: '(m/w/d)', '(H/F)', '(f/m/x)', 'w/m/d',
# '(all genders)'. They say nothing about the role, so the matching key leaves them out.
_GENDER_TAG = re.compile(r"\(?\b(?:[mwfdxhm]\s*[/|,*]\s*){1,3}[mwfdxh]\b\)?|"
                         r"\((?:all genders|gn|d|divers|genderneutral)\)|\*in\b", re.I)
# Common abbreviations, expanded in the key so 'Sr. Data Analyst' matches 'Senior Data Analyst'.
_TITLE_WORDS = {"sr": "senior", "snr": "senior", "jr": "junior", "jnr": "junior",
                "mgr": "manager", "eng": "engineer", "engr": "engineer", "dev": "developer",
                "asst": "assistant", "assoc": "associate", "dir": "director", "mgmt": "management",
                "vp": "vice president", "svp": "senior vice president", "ii": "2", "iii": "3",
                "iv": "4"}


def _expand(key: object) -> object:
    if not isinstance(key, str):
        return key
    return " ".join(_TITLE_WORDS.get(word, word) for word in key.split())


def title_key(values: pd.Series, *, cleaned: bool = False) -> pd.Series:
    """One matching key per job title: casefold, no accents or punctuation but + and #,
    no gender tags ('(m/w/d)', '(H/F)'), abbreviations expanded ('Sr.' → 'senior').
    ``cleaned`` says the values already went through clean_title."""
    titles = values if cleaned else clean_title(values)
    cleaned = titles.astype(object).str.replace(_GENDER_TAG, " ", regex=True)
    return _finish(_apply(_expand, _key(cleaned, keep="+#")))

"""Clean free-text cells (names, titles, notes) and build matching keys for them.

Every function takes the distinct raw values of one column as a pandas Series and returns
a `str` Series on the same index, missing (NA) where the cell is blank. Cells that are not
text (numbers, dates from typed spreadsheet cells) are turned into their text first. No
function raises on any cell value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import numpy as np
import pandas as pd

from pipelines.textfold import fold_letters

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


# Names and titles are cleaned one value at a time, every step in one function: an import
# can hold tens of thousands of distinct companies, and a pandas string method per step cost
# three times as much. Each step is skipped only where it cannot change the text.
_SURROGATE_RE, _INVISIBLE_RE, _CONTROL_RE, _SPACES_RE = (
    re.compile(p) for p in (_SURROGATE, _INVISIBLE, _CONTROL, _SPACES))


def _squashed(value: object) -> str | None:
    """``_squash`` of one cell: text (perhaps empty) or None."""
    text = _stringify(value)
    if text is None:
        return None
    if not (text.isascii() and text.isprintable()):  # else no such characters, spaces only
        text = _CONTROL_RE.sub(" ", _INVISIBLE_RE.sub("", _SURROGATE_RE.sub("\ufffd", text)))
        text = _SPACES_RE.sub(" ", text)
    elif "  " in text:
        text = _SPACES_RE.sub(" ", text)
    return text.strip(" ")


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


def _company(value: object) -> str | None:
    text = _squashed(value)
    if text and not (text[0].isascii() and text[0].isalpha()):  # numbering starts otherwise
        text = _NUMBERING.sub("", text)
    return _unquote(text)


def clean_company(values: pd.Series) -> pd.Series:
    """One company name per value: cleaned, list numbering ('1. ', '#3 ', '• ') and quotes cut."""
    return _finish(_apply(_company, values))


def _undouble(text: object) -> object:
    """'Data AnalystData Analyst' or 'Data Analyst Data Analyst' -> 'Data Analyst'."""
    if not isinstance(text, str) or len(text) > _MAX_DOUBLED_LEN:
        return text
    if text.find(text[:6], 6) < 0:  # a doubled title repeats its first six characters
        return text
    match = _DOUBLED.fullmatch(text)
    return match.group(1) if match else text


def clean_title(values: pd.Series) -> pd.Series:
    """One job title per value: cleaned, and a title pasted twice into the cell kept once."""
    return _finish(_apply(lambda value: _undouble(_squashed(value)), values))


_DROPPED = re.compile(r"['’`´.]")  # O'Neil, Inc., B.V. stay one word
_NOT_WORD = {keep: re.compile(rf"[^\w\s{re.escape(keep)}]|_") for keep in ("", "+#")}
_WHITESPACE = re.compile(r"\s+")


def _key(text: object, keep: str = "") -> str | None:
    """Folded (``pipelines.textfold``), punctuation-free text with single spaces (None for no
    text)."""
    if not isinstance(text, str):
        return None
    text = fold_letters(text).replace("&", " and ")
    if not (text.isascii() and text.replace(" ", "").isalnum()):  # else letters, digits, spaces
        text = _NOT_WORD[keep].sub(" ", _DROPPED.sub("", text))
        text = _WHITESPACE.sub(" ", text)
    elif "  " in text:
        text = _WHITESPACE.sub(" ", text)
    return text.strip()


_SUFFIX_WORDS = frozenset(_LEGAL_SUFFIXES)


def _company_key(name: object) -> str | None:
    key = _key(name)
    if key is not None and key.rpartition(" ")[2] in _SUFFIX_WORDS:  # else no suffix to cut
        key = _SUFFIX_TAIL.sub(r"\1", key)
    return key


def company_key(values: pd.Series, *, cleaned: bool = False) -> pd.Series:
    """One matching key per company ('Acme, Inc.', 'ACME inc', ' acme ' -> 'acme'), or NA.
    ``cleaned`` says the values already went through clean_company."""
    names = values if cleaned else clean_company(values)
    return _finish(_apply(_company_key, names))


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


def _title_key(title: object) -> str | None:
    if isinstance(title, str) and any(c in title for c in "/|,*("):  # else no gender tag
        title = _GENDER_TAG.sub(" ", title)
    return _expand(_key(title, keep="+#"))


def title_key(values: pd.Series, *, cleaned: bool = False) -> pd.Series:
    """One matching key per job title: casefold, no accents or punctuation but + and #,
    no gender tags ('(m/w/d)', '(H/F)'), abbreviations expanded ('Sr.' → 'senior').
    ``cleaned`` says the values already went through clean_title."""
    titles = values if cleaned else clean_title(values)
    return _finish(_apply(_title_key, titles))

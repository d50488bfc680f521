"""Files to download from the app. No streamlit here.

A CSV opened in a spreadsheet runs any cell that starts like a formula: a company named
``=HYPERLINK("http://evil","x")`` becomes a live link, ``=cmd|' /C calc'!A0`` worse. Every
text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a leading apostrophe, which spreadsheets read as "this is text" (OWASP's advice for CSV
injection). Numbers, dates and flags are written as they are.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """A text value that a spreadsheet would run as a formula, made plain text; anything else
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV bytes for a download: UTF-8 with a byte-order mark (so Excel reads
    accents and emoji), CRLF rows, no index, text cells guarded against formula injection (headers
    too: they may come from the user's tracker)."""
    guarded = frame.copy()
    for column in guarded.columns:
        if not (pd.api.types.is_numeric_dtype(guarded[column])
                or pd.api.types.is_datetime64_any_dtype(guarded[column])):
            guarded[column] = guarded[column].map(defuse)
    guarded.columns = [defuse(str(c)) for c in guarded.columns]
    # CRLF rows (RFC 4180): the writer then quotes any cell holding a CR or LF, so a stray
    # carriage return in a note cannot split a row.
    return guarded.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")

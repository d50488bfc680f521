"""Workbooks (XLSX, XLSM, XLS, ODS) → the raw table, through calamine.

Refuses compression bombs, password-protected and damaged workbooks with a clear message,
and chooses the sheet that holds the applications when there are several.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import python_calamine as calamine

from pipelines.errors import Choice, NoApplications, UnreadableFile, listed
from pipelines.ingest.headers import header_score
from pipelines.ingest.read.rawtable import (
    HEADER_SEARCH_ROWS,
    RawTable,
    find_header_row,
    load_columns,
)

MAX_UNZIPPED_BYTES = 1 << 30  # a workbook that inflates beyond 1 GiB is refused
MAX_ZIP_RATIO = 200
RESAVE = "Open it in your spreadsheet program and save it again."
_NOT_DATA_SHEET = re.compile(
    r"dashboard|pivot|summary|chart|notes?$|how ?to|instruction|readme|read me|drop ?down|"
    r"^lists?$|settings|lookup|config|uebersicht|übersicht|zusammenfassung|legend|stats", re.I)


def _check_zip(path: Path) -> None:
    """Refuse a workbook that is not a readable zip or inflates to an absurd size."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise UnreadableFile("the workbook is damaged (not a readable zip archive).",
                             file=path.name, hint=RESAVE) from None
    total = sum(info.file_size for info in infos)
    packed = max(sum(info.compress_size for info in infos), 1)
    if total > MAX_UNZIPPED_BYTES or (total > 50 << 20 and total / packed > MAX_ZIP_RATIO):
        raise UnreadableFile(
            f"the workbook would expand to {total / (1 << 20):,.0f} MB when opened, which looks "
            "like a compression bomb, not a tracker.", file=path.name,
            hint="Export the sheet as CSV and import that instead.")


def _open_workbook(path: Path):
    if path.read_bytes()[:4] == b"PK\x03\x04":
        _check_zip(path)
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise _encrypted(path) from None
    except Exception as exc:  # calamine raises several error types for damaged files
        text = str(exc).lower()
        if "password" in text or "encrypt" in text or _is_encrypted_ole(path):
            raise _encrypted(path) from None
        raise UnreadableFile("the workbook cannot be read (it may be damaged or not a "
                             "spreadsheet).", file=path.name,
                             hint="Open it in your spreadsheet program, save it as .xlsx "
                                  "or .csv, and import that.") from None


def _is_encrypted_ole(path: Path) -> bool:
    data = path.read_bytes()[:1 << 20]
    return data[:4] == b"\xd0\xcf\x11\xe0" and "EncryptionInfo".encode("utf-16-le") in data


def _encrypted(path: Path) -> UnreadableFile:
    return UnreadableFile("the workbook is password-protected.", file=path.name,
                          hint="Remove the password in your spreadsheet program, save, and "
                               "import again.")


def _cell_text(value: object) -> str | None:
    """A spreadsheet cell as text: dates as ISO, whole floats without '.0', blanks as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    return text if text.strip() else None


def _sheet_values(workbook, name: str) -> list[list]:
    """A sheet's cells as calamine gives them (text, numbers, dates), row by row."""
    try:
        return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:
        return []


def _texts(rows: list[list]) -> list[list[str | None]]:
    return [[_cell_text(v) for v in row] for row in rows]


def _column_texts(values: list, header: int) -> list[str | None]:
    """``_cell_text`` of a column's cells. Below the header, a column of one kind of cell (the
    usual case) is converted without asking each cell what it is."""
    return [_cell_text(v) for v in values[:header + 1]] + _body_texts(values[header + 1:])


def _body_texts(values: list) -> list[str | None]:
    kinds = set(map(type, values))
    if kinds <= {str}:
        return [v if v and not v.isspace() else None for v in values]
    if kinds <= {float}:
        return [str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v) for v in values]
    if kinds <= {dt.date}:
        return list(map(dt.date.isoformat, values))
    if kinds <= {dt.datetime}:
        return [v.isoformat(" ") if v.hour or v.minute or v.second or v.microsecond
                else v.date().isoformat() for v in values]
    return [_cell_text(v) for v in values]


def _columns(rows: list[list], header: int) -> list[list[str | None]]:
    """The sheet's cells as text, column by column."""
    width = max((len(r) for r in rows), default=0)
    if any(len(r) != width for r in rows):
        rows = [list(r) + [None] * (width - len(r)) for r in rows]
    return [_column_texts([row[i] for row in rows], header) for i in range(width)]


def read_workbook(con, path: Path, sheet: str | None) -> RawTable:
    """The workbook's sheet that holds the applications (``sheet``, else the best found) as
    the raw table."""
    workbook = _open_workbook(path)
    return load_best_sheet(con, path.name, list(workbook.sheet_names),
                           lambda name: _sheet_values(workbook, name), sheet)


def load_best_sheet(con, file: str, names: list[str], values_of: Callable[[str], list[list]],
                    sheet: str | None, kind: str = "sheet") -> RawTable:
    """Load the named sheet (or table of a web page: ``kind``) with ``sheet``, else the one
    that looks most like a table of applications. ``values_of`` gives one sheet's rows of
    cells. Raises UnreadableFile for a name not among ``names``, NoApplications when no
    sheet has a header."""
    if sheet is not None:
        if sheet not in names:
            raise UnreadableFile(f"there is no {kind} named {sheet!r}.", file=file,
                                 hint=f"The {kind}s are: {listed(names)}.",
                                 choice=Choice("sheet", options=tuple(names)))
        candidates = [sheet]
    else:
        candidates = names
    best = None
    for name in candidates:
        values = values_of(name)
        head = _texts(values[:HEADER_SEARCH_ROWS])  # the header is among the first rows
        header = find_header_row(head)
        score = _sheet_score(name, values, head, header, only=len(candidates) == 1)
        if best is None or score > best[0]:
            best = (score, name, values, header)
    score, name, values, header = best
    if header is None or score <= 0:
        raise NoApplications(f"no {kind} holds a table of applications.", file=file,
                             hint=f"The {kind}s are: {listed(names)}.",
                             choice=Choice("sheet", options=tuple(names)))
    return load_columns(con, _columns(values, header), header, sheet=name, sheets=names)


def _sheet_score(name: str, values: list[list], head: list[list], header: int | None,
                 only: bool) -> float:
    """How much a sheet looks like the application table: known headers, then data rows
    (rows with two cells or more, counted up to the 1,000 that can count)."""
    if header is None:
        return 0.0
    filled = (row for row in values[header + 1:]
              if sum(1 for c in row if _cell_text(c) is not None) >= 2)
    data = sum(1 for _ in islice(filled, 1000))
    score = header_score(head[header]) * 10
    if _NOT_DATA_SHEET.search(name) and not only:
        score /= 10
    return (score + min(data, 1000) / 100) if data else score / 2

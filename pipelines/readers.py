"""Files → a raw table of text cells in DuckDB.

One job: open a CSV/TSV or a spreadsheet, find the sheet and the header row, and
leave the data rows in a temporary DuckDB table ``_raw`` (columns ``c0…cN`` as
VARCHAR plus ``source_row``, the row's number in the file or sheet, 1-based).
Blank rows, repeated header rows and total rows are removed and counted.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import python_calamine as calamine
from charset_normalizer import from_bytes

from pipelines.errors import NoApplications, UnreadableFile
from pipelines.mapping import header_score

SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
csv.field_size_limit(1 << 30)  # a pasted job description can exceed the 128 KiB default
MAX_UNZIPPED_BYTES = 1 << 30  # a workbook that inflates beyond 1 GiB is refused
MAX_ZIP_RATIO = 200
FAST_PATH_BYTES = 1 << 16  # larger UTF-8 files are read by DuckDB
HEADER_SEARCH_ROWS = 30
_NOT_DATA_SHEET = re.compile(
    r"dashboard|pivot|summary|chart|notes?$|how ?to|instruction|readme|read me|drop ?down|"
    r"^lists?$|settings|lookup|config|uebersicht|übersicht|zusammenfassung|legend|stats", re.I)
_TOTAL_WORDS = r"\b(grand )?(totals|total|summe|sum|gesamtergebnis|gesamt|toplam)\b|合计|总计"
_TOTAL_ROW = r"^(" + _TOTAL_WORDS + ")"
_LETTER = "[a-zà-ÿ\u4e00-\u9fff]"  # a total row holds a label and numbers, no other words
_RESAVE = "Open it in your spreadsheet program and save it again."
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_WESTERN_SYMBOLS = set("€£¥§°±µ·–—‘’‚“”„•…«»©®™¿¡×÷¢\u00a0")
_TEXT_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1254", "latin_1", "iso8859_15", "mac_roman",
                   "gb18030", "big5", "shift_jis", "euc_kr"]


@dataclass
class RawTable:
    """The data rows of one table in a file, held in the DuckDB temp table ``_raw``."""

    columns: list[str]
    header_row: int
    sheet: str | None
    rows_read: int
    skipped: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)


def read_file(con: duckdb.DuckDBPyConnection, path: str | os.PathLike,
              sheet: str | None = None) -> RawTable:
    """Read ``path`` into the temp table ``_raw`` and describe it.

    Raises UnreadableFile for empty, corrupt, encrypted, binary or oversized input and
    NoApplications when no table with data rows is found.
    """
    path = Path(path)
    name = path.name
    size = check_readable(path).st_size
    if size == 0:
        raise UnreadableFile("the file is empty.", file=name,
                             hint="Export the tracker again and import the new file.")
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_workbook(con, path, sheet)
    if path.suffix.lower() in SPREADSHEET_EXTENSIONS:
        raise UnreadableFile(f"this is not a valid {path.suffix} workbook (it may be damaged).",
                             file=name, hint=_RESAVE)
    if sheet:
        raise UnreadableFile("--sheet applies to workbooks, but this is a text file.", file=name)
    _refuse_known_formats(path)
    return _read_text(con, path)


def _refuse_known_formats(path: Path) -> None:
    """Name formats that are text but not tables (JSON) or not text at all (PDF, images)."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    kind = None
    if stripped[:1] in (b"{", b"[") or path.suffix.lower() == ".json":
        kind = "a JSON file"
    elif head.startswith(b"%PDF"):
        kind = "a PDF document"
    elif head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        kind = "an image"
    if kind:
        raise UnreadableFile(f"this is {kind}, not a table of applications.", file=path.name,
                             hint="Export your tracker as CSV or XLSX and import that.")


def check_readable(path: Path) -> os.stat_result:
    """The file's stat. Raises UnreadableFile when it is missing, a folder or not readable."""
    try:
        info = path.stat()
        if path.is_dir():
            raise UnreadableFile("this is a folder, not a file.", file=path.name,
                                 hint="Name the tracker file inside it.")
        with open(path, "rb"):
            pass
    except OSError as exc:
        reason = "there is no such file" if isinstance(exc, FileNotFoundError) else \
            f"cannot open the file ({exc.strerror or exc})"
        raise UnreadableFile(f"{reason}.", file=path.name,
                             hint="Check the path and try again.") from None
    return info


# --- workbooks -----------------------------------------------------------------------------

def _check_zip(path: Path) -> None:
    """Refuse a workbook that is not a readable zip or inflates to an absurd size."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise UnreadableFile("the workbook is damaged (not a readable zip archive).",
                             file=path.name, hint=_RESAVE) from None
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


def _sheet_rows(workbook, name: str) -> list[list[str | None]]:
    try:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:
        return []
    return [[_cell_text(v) for v in row] for row in rows]


def _read_workbook(con, path: Path, sheet: str | None) -> RawTable:
    workbook = _open_workbook(path)
    names = list(workbook.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise UnreadableFile(f"there is no sheet named {sheet!r}.", file=path.name,
                                 hint=f"The sheets are: {', '.join(map(repr, names))}.")
        candidates = [sheet]
    else:
        candidates = names
    best = None
    for name in candidates:
        rows = _sheet_rows(workbook, name)
        header = find_header_row(rows)
        score = _sheet_score(name, rows, header, only=len(candidates) == 1)
        if best is None or score > best[0]:
            best = (score, name, rows, header)
    _, name, rows, header = best
    if header is None or best[0] <= 0:
        raise NoApplications("no sheet holds a table of applications.", file=path.name,
                             hint=f"The sheets are: {', '.join(map(repr, names))}; name one with "
                                  "--sheet if it holds your applications.")
    return _load_rows(con, rows, header, sheet=name, sheets=names)


def _sheet_score(name: str, rows: list[list], header: int | None, only: bool) -> float:
    """How much a sheet looks like the application table: known headers, then data rows."""
    if header is None:
        return 0.0
    data = sum(1 for row in rows[header + 1:] if sum(1 for c in row if c is not None) >= 2)
    score = header_score(rows[header]) * 10
    if _NOT_DATA_SHEET.search(name) and not only:
        score /= 10
    return (score + min(data, 1000) / 100) if data else score / 2


# --- text files ----------------------------------------------------------------------------

def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text table: BOMs, UTF-8, UTF-16 without BOM, then legacy code pages."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        odd_nuls = sample[1::2].count(b"\x00")
        encoding = "utf-16-le" if odd_nuls > sample[0::2].count(b"\x00") else "utf-16-be"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in sample:
        raise UnreadableFile("this is not a text table or a spreadsheet.", file=name,
                             hint="Import a CSV, TSV, XLSX, XLS or ODS file.")
    if _reads_as_western(data):
        return data.decode("cp1252"), "cp1252"
    guess = from_bytes(data[:200_000], cp_isolation=_TEXT_ENCODINGS).best()
    encoding = guess.encoding if guess else "cp1252"
    return data.decode(encoding, errors="replace"), encoding


def _reads_as_western(data: bytes) -> bool:
    """Windows-1252 (European Excel's CSV) when it decodes and the result looks like Western
    text: accented letters and typographic symbols standing singly or in pairs inside words,
    not the runs of odd symbols that other code pages produce when misread."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    runs = re.findall(r"[^\x00-\x7f]+", text)
    chars = "".join(runs)
    if not chars:
        return True
    fitting = sum(ch.isalpha() or ch in _WESTERN_SYMBOLS for ch in chars)
    long_runs = [r for r in runs if len(r) > 3]
    return fitting == len(chars) and all(re.fullmatch(r"[à-ÿ]+", r) for r in long_runs)


def sniff_delimiter(text: str) -> str:
    """The delimiter (comma, semicolon, tab or pipe) that splits the first lines most evenly."""
    sample = text[:65536]
    best, best_score = ",", -1.0
    for delim in (",", ";", "\t", "|"):
        try:
            records = list(csv.reader(io.StringIO(sample), delimiter=delim))[:60]
        except csv.Error:
            continue
        counts = [len(r) for r in records if any(c.strip() for c in r)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = counts.count(mode) / len(counts) * min(mode, 8)
        if score > best_score:
            best, best_score = delim, score
    return best


def _parse_text(text: str, delim: str, *, whole: bool = True) -> list[list[str | None]]:
    """Records of a decoded text table, blank cells as None. With ``whole``, a quote that is
    opened and never closed (which would swallow the rest of the file into one cell) is
    refused, naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
    records, starts, line = [], [], 0
    try:
        for record in reader:
            records.append([c if c.strip() else None for c in record])
            starts.append(line + 1)
            line = reader.line_num
    except csv.Error as exc:
        raise UnreadableFile(f"the file cannot be read as a table ({exc}).") from None
    if whole and records and _unclosed_quote(text, delim):
        raise UnreadableFile(
            f'a quote (") opened on line {starts[-1]} is never closed, so the rest of the file '
            "would be read as one cell.",
            hint="Close or remove that quote in a text editor or spreadsheet program and "
                 "import again.")
    return records


def _unclosed_quote(text: str, delim: str) -> bool:
    """True when strict CSV parsing runs off the end of the text inside a quoted field."""
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _read_text(con, path: Path) -> RawTable:
    """A text table. Large UTF-8 files go straight to DuckDB's CSV reader after sniffing the
    first 64 KiB; anything else (other encodings, files DuckDB refuses) is decoded and
    parsed in Python."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        sample = handle.read(FAST_PATH_BYTES if size > FAST_PATH_BYTES else size)
    if size > FAST_PATH_BYTES and _plain_utf8(sample):
        text = sample.decode("utf-8", errors="ignore")
        head, delim = _sniff(text, path.name)
        records = _parse_text(text, delim, whole=False)[:HEADER_SEARCH_ROWS * 4]
        header_line = find_header_row([r for r in records if r]) or 0
        header_line = [i for i, r in enumerate(records) if r][header_line] + 1
        table = _duckdb_csv(con, path, delim, head, header_line)
        if table is not None:
            table.encoding, table.delimiter = "utf-8", delim
            return table
    text, encoding = decode_bytes(path.read_bytes(), path.name)
    _, delim = _sniff(text[:FAST_PATH_BYTES], path.name)
    rows = _parse_text(text, delim)
    table = _load_rows(con, rows, find_header_row(rows))
    table.encoding, table.delimiter = encoding, delim
    return table


def _plain_utf8(sample: bytes) -> bool:
    """UTF-8 without a BOM (a multi-byte character cut at the end of the sample is fine)."""
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" in sample:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _sniff(text: str, name: str) -> tuple[list[list[str | None]], str]:
    """The first rows and the delimiter of a decoded text table. Raises when the text is
    empty, binary, or has no header row."""
    if not text.strip():
        raise UnreadableFile("the file holds no text.", file=name,
                             hint="Export the tracker again and import the new file.")
    if "\x00" in text[:4096]:
        raise UnreadableFile("this is not a text table or a spreadsheet.", file=name,
                             hint="Import a CSV, TSV, XLSX, XLS or ODS file.")
    delim = sniff_delimiter(text)
    head = [r for r in _parse_text(text, delim, whole=False) if r][:HEADER_SEARCH_ROWS + 1]
    if find_header_row(head) is None:
        raise NoApplications("no header row with column names was found.", file=name,
                             hint="The file needs a row of column names such as Company, "
                                  "Job Title, Date Applied, Status.")
    return head, delim


def _duckdb_csv(con, path: Path, delim: str, head: list[list],
                header_line: int) -> RawTable | None:
    """Fast path for large well-formed UTF-8 files: DuckDB's own CSV reader, in parallel
    when it can be. ``head`` holds the first records without empty lines, as DuckDB numbers
    them. None when DuckDB refuses the file (the caller falls back)."""
    header = find_header_row(head)
    width = max(len(r) for r in head)
    columns = {f"c{i}": "VARCHAR" for i in range(width)}
    for options in ("", ", null_padding=true, parallel=false"):
        source = ("SELECT * FROM read_csv(?, delim=?, quote='\"', escape='\"', header=false, "
                  "columns=?, strict_mode=false, all_varchar=true, "
                  f"auto_detect=false{options})")
        padded = head[header] + [None] * (width - len(head[header]))
        try:
            table = _finish(con, source, [str(path), delim, columns], padded, header)
        except duckdb.Error:
            continue
        table.header_row = header_line
        return table
    return None


def _load_rows(con, rows: list[list[str | None]], header: int, sheet: str | None = None,
               sheets: list[str] | None = None) -> RawTable:
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows],
                         columns=[f"c{i}" for i in range(width)], dtype="object")
    frame = frame.astype("string")
    con.register("_rows_frame", frame)
    try:
        return _finish(con, "SELECT * FROM _rows_frame", [], rows[header] + [None] * (
            width - len(rows[header])), header, sheet=sheet, sheets=sheets or [])
    finally:
        con.unregister("_rows_frame")


def _kind_sql(cells: list[str], header_cells: list[str]) -> str:
    """SQL naming rows to leave out: blank (or only unticked checkboxes), a repeat of the
    header, or a total row. Cheap on purpose: one concatenation and a few cells per row."""
    joined = "concat_ws(' ', " + ", ".join(cells) + ")"
    named = [(c, h.strip().lower()) for c, h in zip(cells, header_cells, strict=True) if h][:2]
    repeat = " AND ".join(f"lower(trim({c})) = {_sql_str(h)}" for c, h in named) or "FALSE"
    first = "lower(trim(coalesce(" + ", ".join(cells[:3]) + ", '')))"
    return f"""CASE
        WHEN regexp_full_match({joined}, '(\\s|FALSE)*') THEN 'blank'
        WHEN {repeat} THEN 'repeated header'
        WHEN regexp_matches({first}, '{_TOTAL_ROW}') AND NOT regexp_matches(
            regexp_replace(lower({joined}), '{_TOTAL_WORDS}', '', 'g'), '{_LETTER}')
            THEN 'total'
        END"""


def _finish(con, source: str, params: list, header_cells: list, header: int,
            sheet: str | None = None, sheets: list[str] | None = None) -> RawTable:
    """Materialise the rows of ``source`` (a query with columns c0…cN, in file order) as
    ``_raw_all`` with a ``_kind`` for rows to leave out; ``_raw`` is the view of the rows
    kept below the header, with the named columns renumbered c0…cM and ``source_row``
    (1-based) taken from the table's row order, which DuckDB keeps on insert."""
    names = dedupe_names(header_cells)
    keep = [i for i, n in enumerate(names) if n is not None]
    cells = [f"c{i}" for i in keep]
    kind = _kind_sql(cells, [str(header_cells[i]) for i in keep])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _raw_all AS
        SELECT {", ".join(cells)}, {kind} AS _kind FROM ({source})""", params)
    counts = dict(con.execute(f"SELECT coalesce(_kind, 'kept'), count(*) FROM _raw_all "
                              f"WHERE rowid > {header} GROUP BY ALL").fetchall())
    selected = ", ".join(f"{c} AS c{j}" for j, c in enumerate(cells))
    con.execute(f"CREATE OR REPLACE TEMP VIEW _raw AS SELECT {selected}, "
                f"(rowid + 1)::INTEGER AS source_row FROM _raw_all "
                f"WHERE rowid > {header} AND _kind IS NULL")
    skipped = {f"{k} rows": v for k, v in counts.items() if k not in ("blank", "kept")}
    return RawTable(columns=[names[i] for i in keep], header_row=header + 1, sheet=sheet,
                    rows_read=sum(counts.values()) - counts.get("blank", 0), skipped=skipped,
                    sheets=sheets or [])


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def dedupe_names(cells: list) -> list[str | None]:
    """Header cells as column names: trimmed, blanks left as None, repeats numbered."""
    names, seen = [], {}
    for cell in cells:
        name = re.sub(r"\s+", " ", str(cell)).strip() if cell is not None else ""
        if not name:
            names.append(None)
            continue
        seen[name.lower()] = seen.get(name.lower(), 0) + 1
        names.append(name if seen[name.lower()] == 1 else f"{name} ({seen[name.lower()]})")
    return names


def find_header_row(rows: list[list]) -> int | None:
    """Index of the header row among the first rows: the row naming the most known columns;
    else a row of dates (one column per day); else the first row of several short text
    cells. None when nothing looks like a header."""
    scores = [header_score(row) for row in rows[:HEADER_SEARCH_ROWS]]
    best_score = max(scores, default=0.0)
    # The first row scoring at least half the best: data rows full of status words
    # ('Applied', 'Interview') can outscore a header of unusual names further up.
    best = next((i for i, s in enumerate(scores) if s and s >= max(1.0, best_score / 2)),
                None)
    if best is not None and best_score >= 2:
        return best
    for index, row in enumerate(rows[:5]):
        cells = [str(c) for c in row if c is not None and str(c).strip()]
        if len(cells) >= 3 and sum(bool(_ISO_DATE.match(c)) for c in cells) >= 0.8 * len(cells):
            return index
    if best is not None:
        return best
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [c for c in row if c is not None and str(c).strip()]
        if len(cells) >= 2 and all(len(str(c)) <= 40 and not _numberish(c) for c in cells):
            return index
    return None


def _numberish(cell: object) -> bool:
    return bool(re.fullmatch(r"[\d\s.,:/\-]+", str(cell)))

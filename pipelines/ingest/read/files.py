"""Files → a raw table of text cells in DuckDB.

One job: open a CSV/TSV or a spreadsheet and leave its rows in the view ``_raw`` (see
``rawtable``). This module tells formats apart, refuses what is not a table or is too large,
and reads text files (encoding, delimiter, DuckDB's parallel reader for large UTF-8 files);
``workbooks`` reads spreadsheets, ``webpages`` the tables of spreadsheets saved as web pages.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from pathlib import Path

import duckdb

from pipelines.errors import NoApplications, UnreadableFile
from pipelines.ingest.read.rawtable import (
    HEADER_SEARCH_ROWS,
    RawTable,
    find_header_row,
    finish_raw,
    load_rows,
)
from pipelines.ingest.read.webpages import is_web_page, read_web_page
from pipelines.ingest.read.workbooks import RESAVE, read_workbook

SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
# The largest file imported, in MiB (Streamlit's megabytes): the dashboard's upload limit too.
# Four million applications take 842 MB as CSV and 3.2 GB of memory to import (see
# docs/scaling.md); a larger file is refused before it is read.
MAX_FILE_MB = 1024
csv.field_size_limit(1 << 30)  # a pasted job description can exceed the 128 KiB default
FAST_PATH_BYTES = 1 << 16  # larger UTF-8 files are read by DuckDB
MAX_SAMPLE_BYTES = 1 << 24  # the most read to find the header of a large file
_WESTERN_SYMBOLS = set("€£¥§°±µ·–—‘’‚“”„•…«»©®™¿¡×÷¢\u00a0")
_TEXT_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1254", "latin_1", "iso8859_15", "mac_roman",
                   "gb18030", "big5", "shift_jis", "euc_kr"]


def read_file(con: duckdb.DuckDBPyConnection, path: str | os.PathLike,
              sheet: str | None = None) -> RawTable:
    """Read ``path`` (a text table, a workbook, or a web page holding a table) into the temp
    table ``_raw`` and describe it.

    Raises UnreadableFile for empty, corrupt, encrypted, binary or oversized input and
    NoApplications when no table with data rows is found.
    """
    path = Path(path)
    name = path.name
    size = check_readable(path).st_size
    if size == 0:
        raise UnreadableFile("the file is empty.", file=name,
                             hint="Export the tracker again and import the new file.")
    if size > MAX_FILE_MB << 20:
        raise UnreadableFile(f"the file is {size / (1 << 20):,.0f} MB, more than the "
                             f"{MAX_FILE_MB:,} MB that can be imported.", file=name,
                             hint="A tracker is rarely over a few MB: export only the sheet "
                                  "that lists your applications, as CSV, and import that.")
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return read_workbook(con, path, sheet)
    if is_web_page(head):
        text, encoding = decode_bytes(path.read_bytes(), name)
        table = read_web_page(con, text, name, sheet)
        table.encoding = encoding
        return table
    if path.suffix.lower() in SPREADSHEET_EXTENSIONS:
        raise UnreadableFile(f"this is not a valid {path.suffix} workbook (it may be damaged).",
                             file=name, hint=RESAVE)
    if sheet:
        raise UnreadableFile("a sheet was named, but this is a text file: only workbooks have "
                             "sheets.", file=name)
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
    from charset_normalizer import from_bytes  # only for the rare file in another code page

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
    """A text table. Large UTF-8 files go straight to DuckDB's CSV reader after sniffing
    their first lines (``_head_sample``); anything else (other encodings, files DuckDB
    refuses, files of a few long lines) is decoded and parsed in Python."""
    size = path.stat().st_size
    sample = _head_sample(path)
    if size > len(sample) and sample.count(b"\n") > HEADER_SEARCH_ROWS and _plain_utf8(sample):
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
    table = load_rows(con, rows, find_header_row(rows))
    table.encoding, table.delimiter = encoding, delim
    return table


def _head_sample(path: Path) -> bytes:
    """The first 64 KiB of a text file, or more until they hold the lines the header is
    looked for in (a header of thousands of columns is longer than 64 KiB), up to 16 MiB."""
    with open(path, "rb") as handle:
        sample = handle.read(FAST_PATH_BYTES)
        while (sample.count(b"\n") <= HEADER_SEARCH_ROWS and len(sample) < MAX_SAMPLE_BYTES
               and (more := handle.read(len(sample)))):
            sample += more
    return sample


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
            table = finish_raw(con, source, [str(path), delim, columns], padded, header)
        except duckdb.Error:
            continue
        table.header_row = header_line
        return table
    return None

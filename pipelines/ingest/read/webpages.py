"""Spreadsheets saved as web pages → the raw table.

Excel's and LibreOffice's "Save as Web Page", Google Sheets' HTML download and many web
apps' "Export to Excel" write an HTML page holding a ``<table>``, often named ``.xls``.
The page's tables are read with the standard library's HTML parser; the one that holds the
applications is chosen and loaded as a workbook's sheet is (``pipelines.ingest.read.workbooks``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipelines.errors import UnreadableFile
from pipelines.ingest.read.rawtable import RawTable
from pipelines.ingest.read.workbooks import load_best_sheet

MAX_SPAN = 1_000  # columns one cell may span (colspan), so a page cannot ask for billions
_PAGE = re.compile(rb"<(!doctype\s+html|html|table)\b", re.I)
_XML_WORKBOOK = re.compile(rb"<(ss:)?Workbook\b")  # Excel 2003 XML: a <Table> of <Row>s
_SKIPPED = {"script", "style"}  # text that is never a cell's
_BREAKS = {"br", "p", "div", "li"}  # a line break inside a cell


def is_web_page(head: bytes) -> bool:
    """True when the file's first bytes are an HTML page (what a spreadsheet saved as a web
    page, or a web app's 'Excel' export, holds)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return (start.startswith(b"<") and bool(_PAGE.search(head))
            and not _XML_WORKBOOK.search(head))


def read_web_page(con, text: str, file: str, sheet: str | None) -> RawTable:
    """The table of applications on an HTML page (decoded ``text``) as the raw table; tables
    are named 'table 1', 'table 2', … for ``sheet`` and, when there are several, in the
    report. Raises UnreadableFile when the page has no table, NoApplications when no table
    holds applications."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    tables = [rows for rows in parser.tables if any(any(row) for row in rows)]
    if not tables:
        raise UnreadableFile("this is a web page (HTML) with no table in it, not a spreadsheet.",
                             file=file, hint="Open your tracker in its spreadsheet program or "
                                             "app, export it as .xlsx or .csv, and import that.")
    names = [f"table {i}" for i in range(1, len(tables) + 1)]
    raw = load_best_sheet(con, file, names, lambda name: tables[names.index(name)], sheet,
                          kind="table")
    if len(tables) == 1:
        raw.sheet = None
    return raw


class _Tables(HTMLParser):
    """Every ``<table>`` of a page as rows of cell texts (None for a blank cell). A cell's
    text is its words with the spaces between them collapsed, as a browser shows it; a
    table inside a cell is a table of its own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str | None]]] = []
        self._open: list[dict] = []  # tables being read, innermost last
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "table":
            self._open.append({"rows": [], "row": None, "cell": None})
        elif self._open and tag == "tr":
            self._end_row()
            self._open[-1]["row"] = []
        elif self._open and tag in ("td", "th"):
            self._end_cell()
            table = self._open[-1]
            if table["row"] is None:
                table["row"] = []
            table["cell"], table["span"] = [], _span(dict(attrs).get("colspan"))
        elif tag in _BREAKS:
            self._text("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag == "table" and self._open:
            self._end_row()
            self.tables.append(self._open.pop()["rows"])
        elif self._open and tag == "tr":
            self._end_row()
        elif self._open and tag in ("td", "th"):
            self._end_cell()
        elif tag in _BREAKS:
            self._text("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self._text("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text(data)

    def close(self) -> None:
        super().close()
        while self._open:  # tables never closed: what was read of them counts
            self._end_row()
            self.tables.append(self._open.pop()["rows"])

    def _text(self, data: str) -> None:
        if self._open and self._open[-1]["cell"] is not None:
            self._open[-1]["cell"].append(data)

    def _end_cell(self) -> None:
        table = self._open[-1]
        if table["cell"] is None:
            return
        lines = (" ".join(line.split()) for line in "".join(table["cell"]).split("\n"))
        text = "\n".join(line for line in lines if line)
        table["row"] += [text or None] + [None] * (table["span"] - 1)
        table["cell"] = None

    def _end_row(self) -> None:
        self._end_cell()
        table = self._open[-1]
        if table["row"] is not None:
            table["rows"].append(table["row"])
            table["row"] = None


def _span(value: str | None) -> int:
    """A colspan attribute as a count of columns, 1 when missing or not a number."""
    try:
        return min(max(int(str(value).strip()), 1), MAX_SPAN)
    except ValueError:
        return 1

"""The raw table every reader produces: the file's rows as text cells in DuckDB.

``finish_raw`` materialises a reader's rows as the temp table ``_raw_all`` and the view
``_raw`` (columns ``c0…cN`` as VARCHAR plus ``source_row``, 1-based), leaving out blank rows
and counting repeated header rows and total rows. ``find_header_row`` picks the header.

``_raw_all`` is the one copy of the file's cells an import makes: every later step reads
views over it. (A view straight over the file would save that copy, but numbering its rows
in file order makes each pass over it run on one thread.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.ingest.headers import header_score

HEADER_SEARCH_ROWS = 30
# A spreadsheet cell holds at most 32,767 characters; longer text (only a text file can hold
# it) is cut there, so that no cell makes reading statuses, titles or feedback take minutes.
MAX_CELL_CHARS = 32_767
HEADER_SEARCH_CELLS = 1_000  # of each row: what a header names lies in its first columns
_TOTAL_WORDS = r"\b(grand )?(totals|total|summe|sum|gesamtergebnis|gesamt|toplam)\b|合计|总计"
_TOTAL_ROW = r"^(" + _TOTAL_WORDS + ")"
_TOTAL_HINT = r"total|summe|sum|gesamt|toplam|合计|总计"  # a quick test before _TOTAL_ROW
_LETTER = "[a-zà-ÿ\u4e00-\u9fff]"  # a total row holds a label and numbers, no other words
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class RawTable:
    """The data rows of one table in a file, held in the DuckDB temp table ``_raw``."""

    columns: list[str]
    header_row: int
    sheet: str | None
    rows_read: int
    skipped: dict[str, int] = field(default_factory=dict)
    rows_cut: int = 0  # rows with a cell longer than MAX_CELL_CHARS, cut there
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)


def load_rows(con, rows: list[list[str | None]], header: int, sheet: str | None = None,
              sheets: list[str] | None = None) -> RawTable:
    """The raw table of rows of text cells (None for blank), the header at index ``header``."""
    width = max((len(r) for r in rows), default=0)
    columns = [list(c) for c in zip(*(r + [None] * (width - len(r)) for r in rows),
                                    strict=True)]
    return load_columns(con, columns, header, sheet=sheet, sheets=sheets)


def load_columns(con, columns: list[list[str | None]], header: int, sheet: str | None = None,
                 sheets: list[str] | None = None) -> RawTable:
    """The raw table of columns of text cells (None for blank), all of one length, the header
    in row ``header``: handed to DuckDB as Arrow strings, which it reads without converting
    each cell."""
    import pyarrow as pa  # not needed for files DuckDB reads itself

    table = pa.table({f"c{i}": pa.array(column, type=pa.string())
                      for i, column in enumerate(columns)})
    con.register("_rows_frame", table)
    try:
        return finish_raw(con, "SELECT * FROM _rows_frame", [],
                          [column[header] for column in columns], header, sheet=sheet,
                          sheets=sheets or [])
    finally:
        con.unregister("_rows_frame")


def _kind_sql(cells: list[str], header_cells: list[str]) -> tuple[str, list[str]]:
    """SQL naming rows to leave out: blank (or only unticked checkboxes), a repeat of the
    header, or a total row, with its parameters (the header's names, bound, never written
    into the SQL). Cheap on purpose: a row is tested cell by cell only while its cells are
    blank, and the costlier tests run only on rows that pass a quick one."""
    blank = " AND ".join(f"({c} IS NULL OR regexp_full_match({c}, '(\\s|FALSE)*'))"
                         for c in cells) or "TRUE"
    named = [(c, h.strip().lower()) for c, h in zip(cells, header_cells, strict=True) if h][:2]
    repeat = " AND ".join(f"lower(trim({c})) = ?" for c, _ in named) or "FALSE"
    first = "coalesce(" + ", ".join(cells[:3]) + ", '')"
    joined = "concat_ws(' ', " + ", ".join(cells) + ")"
    return f"""CASE
        WHEN {blank} THEN 'blank'
        WHEN {repeat} THEN 'repeated header'
        WHEN regexp_matches({first}, '(?i){_TOTAL_HINT}')
            AND regexp_matches(lower(trim({first})), '{_TOTAL_ROW}') AND NOT regexp_matches(
            regexp_replace(lower({joined}), '{_TOTAL_WORDS}', '', 'g'), '{_LETTER}')
            THEN 'total'
        END""", [h for _, h in named]


def finish_raw(con, source: str, params: list, header_cells: list, header: int,
               sheet: str | None = None, sheets: list[str] | None = None) -> RawTable:
    """Materialise the rows of ``source`` (a query with columns c0…cN, in file order) as
    ``_raw_all`` with a ``_kind`` for rows to leave out, and cells cut to MAX_CELL_CHARS
    (the rows counted); ``_raw`` is the view of the rows kept below the header, with the
    named columns renumbered c0…cM and ``source_row`` (1-based) taken from the table's row
    order, which DuckDB keeps on insert. When no row is left out, ``_raw`` does not test
    the kind."""
    names = dedupe_names(header_cells)
    keep = [i for i, n in enumerate(names) if n is not None]
    cells = [f"c{i}" for i in keep]
    kind, kind_params = _kind_sql(cells, [str(header_cells[i]) for i in keep])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _raw_all AS
        SELECT {", ".join(cells)}, {kind} AS _kind, {_longest("strlen", cells)} AS _long
        FROM ({source})""", kind_params + params)
    found = con.execute(f"SELECT coalesce(_kind, 'kept'), count(*), count(*) FILTER (_long) "
                        f"FROM _raw_all WHERE rowid > {header} GROUP BY ALL").fetchall()
    counts = {k: rows for k, rows, _ in found}
    rows_cut = _cut_long_cells(con, cells, header) if any(n for *_, n in found) else 0
    selected = ", ".join(f"{c} AS c{j}" for j, c in enumerate(cells))
    left_out = " AND _kind IS NULL" if set(counts) - {"kept"} else ""
    con.execute(f"CREATE OR REPLACE TEMP VIEW _raw AS SELECT {selected}, "
                f"(rowid + 1)::INTEGER AS source_row FROM _raw_all "
                f"WHERE rowid > {header}{left_out}")
    skipped = {f"{k} rows": v for k, v in counts.items() if k not in ("blank", "kept")}
    return RawTable(columns=[names[i] for i in keep], header_row=header + 1, sheet=sheet,
                    rows_read=sum(counts.values()) - counts.get("blank", 0), skipped=skipped,
                    rows_cut=rows_cut, sheets=sheets or [])


def _longest(function: str, cells: list[str]) -> str:
    """SQL: whether the row's longest cell, measured by ``function``, is over the limit. A
    cell's bytes (strlen) are known without reading it; one function over all the cells, as
    an OR of 10,000 tests would keep DuckDB's optimiser busy for minutes."""
    return f"greatest(0, {', '.join(f'{function}({c})' for c in cells)}) > {MAX_CELL_CHARS}"


def _cut_long_cells(con, cells: list[str], header: int) -> int:
    """Cut the cells of ``_raw_all`` longer than MAX_CELL_CHARS there (only rows with a cell
    of more bytes than that are looked at); returns how many rows below the header had one."""
    cut = con.execute(f"SELECT count(*) FROM _raw_all WHERE _long AND rowid > {header} "
                      f"AND {_longest('length', cells)}").fetchall()[0][0]
    con.execute(f"UPDATE _raw_all SET "
                f"{', '.join(f'{c} = left({c}, {MAX_CELL_CHARS})' for c in cells)} WHERE _long")
    return cut


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
    """Index of the header row among the first rows: the row naming the most known columns
    (in its first thousand cells); else a row of dates (one column per day); else the first
    row of several short text cells. None when nothing looks like a header."""
    scores = [header_score(row[:HEADER_SEARCH_CELLS]) for row in rows[:HEADER_SEARCH_ROWS]]
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

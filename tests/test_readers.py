"""Tests for pipelines.ingest.read.files: files → the temp table ``_raw`` and a RawTable
describing it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from pipelines.errors import UnreadableFile
from pipelines.ingest.read.files import read_file
from pipelines.ingest.read.rawtable import MAX_CELL_CHARS
from tests.conftest import write_text, write_xlsx

HEADER = ["Company", "Job Title", "Date Applied", "Status"]


def raw(con) -> list[tuple]:
    """The data rows left in ``_raw``, cells only, in file order."""
    width = len(con.execute("SELECT * FROM _raw LIMIT 0").description) - 1
    cells = ", ".join(f"c{i}" for i in range(width))
    return con.execute(f"SELECT {cells} FROM _raw ORDER BY source_row").fetchall()


def source_rows(con) -> list[int]:
    """The ``source_row`` numbers left in ``_raw``, in order."""
    return [r[0] for r in con.execute("SELECT source_row FROM _raw ORDER BY source_row").fetchall()]


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    """Rows as delimited text, quoted where needed, with Windows line ends like Excel writes."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# --- encodings ------------------------------------------------------------------------------

def test_utf8_csv(con, tmp_path):
    """A plain UTF-8 CSV reads with its header on row 1 and its text intact."""
    path = write_text(tmp_path, "t.csv", "Company,Job Title,Status\nZürich Labs,Analyst,Offer 🎉\n")
    table = read_file(con, path)
    assert (table.encoding, table.delimiter, table.header_row) == ("utf-8", ",", 1)
    assert table.columns == ["Company", "Job Title", "Status"]
    assert table.sheet is None and table.rows_read == 1
    assert raw(con) == [("Zürich Labs", "Analyst", "Offer 🎉")]


def test_utf8_bom_is_not_part_of_the_first_column(con, tmp_path):
    """A UTF-8 BOM is stripped: the first column is 'Company', not '\\ufeffCompany'."""
    path = write_text(tmp_path, "t.csv", "Company,Job Title,Status\nMüller,Dev,Applied\n",
                      encoding="utf-8-sig")
    table = read_file(con, path)
    assert table.encoding == "utf-8-sig"
    assert table.columns == ["Company", "Job Title", "Status"]
    assert raw(con) == [("Müller", "Dev", "Applied")]


def test_utf16_le_with_bom_tab_delimited(con, tmp_path):
    """Excel's 'Unicode text' (UTF-16 LE with BOM, tab-delimited) decodes and splits on tabs."""
    text = "Company\tJob Title\tStatus\r\nMüller GmbH\tEntwickler, Backend\t一面\r\n"
    path = tmp_path / "t.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    table = read_file(con, path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.columns == ["Company", "Job Title", "Status"]
    assert raw(con) == [("Müller GmbH", "Entwickler, Backend", "一面")]


def test_windows_1252_curly_quotes_umlauts_and_euro(con, tmp_path):
    """A Windows-1252 file decodes to the right characters: ’ “ ” – ü € (not mojibake)."""
    rows = [["Company", "Job Title", "Status", "Notes"],
            ["Müller & Söhne", "Entwickler", "Abgesagt", "“Zu wenig Erfahrung” – 55.000 €"],
            ["Café Noir", "Barista’s Lead", "Rejected", "Didn’t hear back – €40k"],
            ["Bäckerei Groß", "Verkäufer", "Offen", "Gehalt 2.500 € brutto"]]
    path = write_text(tmp_path, "t.csv", csv_text(rows, ";"), encoding="cp1252")
    table = read_file(con, path)
    assert table.delimiter == ";"
    assert raw(con) == [tuple(r) for r in rows[1:]]


@pytest.mark.parametrize("text", [
    "Company,City\nNestlé,Genève\nL’Oréal,Clichy\n",
    "Company,Notes\nAcme,naïve café résumé – àçèêëîôùû\n",
    "Company,Salary\nAcme,£40k – £45k\nGlobex,¥5m\n",
    "Company,Notes\nAcme,Danke für die schnelle Rückmeldung\n",
], ids=["french", "accents", "pound", "german"])
def test_windows_1252_short_western_text(con, tmp_path, text):
    """Short Windows-1252 Western European text decodes exactly (no 'Genčve', '｣40k')."""
    path = write_text(tmp_path, "t.csv", text, encoding="cp1252")
    read_file(con, path)
    rows = [line.split(",") for line in text.splitlines()[1:]]
    assert raw(con) == [tuple(r) for r in rows]


# --- delimiters and quoting -----------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_detected(con, tmp_path, delimiter):
    """Comma, semicolon, tab and pipe files split right, even with the others inside cells."""
    rows = [HEADER,
            ["Acme, Inc.", "Analyst (Data; BI)", "2025-01-06", "Rejected"],
            ["Globex", "Engineer", "2025-01-10", "Interview"],
            ["Initech", "A|B tester", "2025-02-01", "Applied"]]
    path = write_text(tmp_path, "t.csv", csv_text(rows, delimiter))
    table = read_file(con, path)
    assert table.delimiter == delimiter
    assert table.columns == HEADER
    assert raw(con) == [tuple(r) for r in rows[1:]]


def test_quoted_fields_with_commas_and_newlines(con, tmp_path):
    """Quoted cells keep embedded commas, doubled quotes and line breaks; a record is one row."""
    text = ('Company,Job Title,Status,Feedback\r\n'
            '"Acme, Inc.",Analyst,Rejected,"Line one\r\nLine two, with ""quotes"""\r\n'
            'Globex,Engineer,Interview,\r\n')
    path = write_text(tmp_path, "t.csv", text)
    table = read_file(con, path)
    assert table.rows_read == 2
    assert raw(con) == [
        ("Acme, Inc.", "Analyst", "Rejected", 'Line one\r\nLine two, with "quotes"'),
        ("Globex", "Engineer", "Interview", None)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_very_long_cell_reads_in_every_encoding(con, tmp_path, encoding):
    """A 200,000-character cell reads in every encoding (no 128 KiB csv field limit), cut
    to what a spreadsheet cell holds, and its row is counted."""
    text = ("Company,Job Title,Status,Description\n"
            f'Müller,Analyst,Rejected,"{"é" * 200_000}"\n'
            "Globex,Engineer,Applied,short\n")
    table = read_file(con, write_text(tmp_path, "t.csv", text, encoding=encoding))
    got = raw(con)
    assert [r[0] for r in got] == ["Müller", "Globex"]
    assert got[0][3] == "é" * MAX_CELL_CHARS and got[1][3] == "short"
    assert table.rows_cut == 1


def test_unclosed_quote_does_not_swallow_rows_silently(con, tmp_path):
    """An unclosed quote keeps the rows after it, or refuses the file; never folds them away."""
    text = ("Company,Job Title,Status,Notes\n"
            'Acme,Analyst,Rejected,"Dream job\n'
            "Globex,Engineer,Applied,ok\n"
            "Initech,Developer,Applied,fine\n")
    try:
        read_file(con, write_text(tmp_path, "t.csv", text))
    except UnreadableFile as exc:
        assert "\n" not in str(exc)
        return
    assert [r[0] for r in raw(con)] == ["Acme", "Globex", "Initech"]


def test_workbook_named_csv_is_read_as_workbook(con, tmp_path):
    """A workbook saved under a .csv name is recognised by its bytes and read as a workbook."""
    path = write_xlsx(tmp_path, "export.csv", {"Apps": [["Company", "Job Title", "Status"],
                                                        ["Acme", "Analyst", "Rejected"]]})
    table = read_file(con, path)
    assert (table.sheet, table.encoding) == ("Apps", None)
    assert raw(con) == [("Acme", "Analyst", "Rejected")]


# --- header row and rows dropped ------------------------------------------------------------

def test_title_rows_above_header_csv(con, tmp_path):
    """Title and note rows above the header are passed over; the header row is found (row 4)."""
    text = ("My Job Search 2025,,,\n"
            ",,,\n"
            "Last updated: 2025-03-01,,,\n"
            "Company,Job Title,Date Applied,Status\n"
            "Acme,Analyst,2025-01-06,Rejected\n")
    table = read_file(con, write_text(tmp_path, "t.csv", text))
    assert table.header_row == 4
    assert table.columns == HEADER
    assert raw(con) == [("Acme", "Analyst", "2025-01-06", "Rejected")]
    assert source_rows(con) == [5]


def test_title_rows_above_header_xlsx(con, tmp_path):
    """In a workbook too, a title block above the header is passed over (header on row 3)."""
    path = write_xlsx(tmp_path, "t.xlsx", {"Tracker": [
        ["Job hunt — spring 2025"], [None],
        HEADER,
        ["Acme", "Analyst", dt.date(2025, 1, 6), "Rejected"]]})
    table = read_file(con, path)
    assert (table.sheet, table.header_row, table.columns) == ("Tracker", 3, HEADER)
    assert raw(con) == [("Acme", "Analyst", "2025-01-06", "Rejected")]


@pytest.mark.parametrize("total", ["Total", "Gesamt", "Grand Total", "TOTAL:", "Summe"])
def test_blank_repeated_header_and_total_rows_dropped(con, tmp_path, total):
    """Blank, repeated-header and total rows are dropped; the last two are counted."""
    text = ("Company,Job Title,Date Applied,Status\n"
            "Acme,Analyst,2025-01-06,Rejected\n"
            ",,,\n"
            "\n"
            "Company,Job Title,Date Applied,Status\n"
            "Globex,Engineer,2025-01-10,Interview\n"
            f"{total},2,,\n")
    table = read_file(con, write_text(tmp_path, "t.csv", text))
    assert raw(con) == [("Acme", "Analyst", "2025-01-06", "Rejected"),
                        ("Globex", "Engineer", "2025-01-10", "Interview")]
    assert source_rows(con) == [2, 6]
    assert table.skipped == {"repeated header rows": 1, "total rows": 1}
    assert table.rows_read == 4  # Acme, repeated header, Globex, total; blanks not counted


def test_company_named_like_a_total_word_is_kept(con, tmp_path):
    """A company whose name merely starts with a total-like word ('Totalis', 'Summit') is data."""
    text = ("Company,Job Title,Status\n"
            "Totalis Consulting,Analyst,Applied\n"
            "Summit Partners,Associate,Rejected\n")
    table = read_file(con, write_text(tmp_path, "t.csv", text))
    assert table.skipped == {}
    assert [r[0] for r in raw(con)] == ["Totalis Consulting", "Summit Partners"]


def test_row_for_the_company_total_is_kept(con, tmp_path):
    """A full row for the company 'Total' (a title, date, status) is kept, not a total row."""
    text = ("Company,Job Title,Date Applied,Status\n"
            "Total,Process Engineer,2025-01-06,Rejected\n"
            "Acme,Analyst,2025-01-07,Applied\n")
    table = read_file(con, write_text(tmp_path, "t.csv", text))
    assert table.skipped == {}
    assert [r[0] for r in raw(con)] == ["Total", "Acme"]


@pytest.mark.parametrize("rows", [50, 5000], ids=["small file", "large file (DuckDB reader)"])
def test_blank_lines_do_not_shift_rows(con, tmp_path, rows):
    """Small and large (DuckDB-read) files agree: blank lines lose no row and the header is
    reported on its line. source_row counts lines in the Python reader and non-empty records
    in DuckDB's (which skips empty lines), so the row after a blank line differs by one."""
    body = [f"Company {i},Analyst,2025-01-06,Applied" for i in range(rows)]
    lines = ["Job search 2025", "", ",".join(HEADER), *body[:10], "", *body[10:], ""]
    path = write_text(tmp_path, "t.csv", "\n".join(lines))
    assert (path.stat().st_size > 1 << 16) == (rows == 5000)
    table = read_file(con, path)
    assert (table.header_row, table.columns, table.rows_read) == (3, HEADER, rows)
    got = raw(con)
    assert (len(got), got[0][0], got[-1][0]) == (rows, "Company 0", f"Company {rows - 1}")
    numbers = source_rows(con)
    if rows == 50:
        assert numbers[:2] == [4, 5] and numbers[10] == 15  # line 14 is the blank line
    else:
        assert numbers[:2] == [3, 4] and numbers[10] == 13  # empty lines are not counted


def test_duplicate_header_names_are_numbered(con, tmp_path):
    """Repeated header names get numbered ('Location', 'Location (2)'), case-insensitively."""
    text = ("Company,Location,Job Title,Location,Status,notes,Notes\n"
            "Acme,Berlin,Analyst,Remote,Applied,a,b\n")
    table = read_file(con, write_text(tmp_path, "t.csv", text))
    assert table.columns == ["Company", "Location", "Job Title", "Location (2)", "Status",
                             "notes", "Notes (2)"]
    assert raw(con) == [("Acme", "Berlin", "Analyst", "Remote", "Applied", "a", "b")]


# --- workbooks ------------------------------------------------------------------------------

APPS = [HEADER,
        ["Acme", "Analyst", dt.date(2025, 1, 6), "Rejected"],
        ["Globex", "Engineer", dt.date(2025, 1, 10), "Interview"],
        ["Initech", "Analyst", dt.date(2025, 2, 1), "Applied"]]
LISTS = [["Status", "Stage", "Source"], ["Applied", "Screen", "LinkedIn"],
         ["Rejected", "Interview", "Referral"], ["Interview", "Offer", "Indeed"]]


@pytest.mark.parametrize("first", [
    ("Dashboard", [["Applications by status"], ["Status", "Count"], ["Rejected", 1],
                   ["Interview", 1], ["Applied", 1]]),
    ("Summary", [["Company", "Status", "Applications"], ["Acme", "Rejected", 1],
                 ["Globex", "Interview", 1]]),
])
def test_application_sheet_chosen_over_dashboard_and_lists(con, tmp_path, first):
    """The application sheet is chosen over a first dashboard/summary and a lists sheet."""
    name, rows = first
    path = write_xlsx(tmp_path, "t.xlsx", {name: rows, "Applications": APPS, "Drop Downs": LISTS})
    table = read_file(con, path)
    assert table.sheet == "Applications"
    assert table.sheets == [name, "Applications", "Drop Downs"]
    assert (table.header_row, table.columns, table.rows_read) == (1, HEADER, 3)
    assert [r[0] for r in raw(con)] == ["Acme", "Globex", "Initech"]


def test_sheet_argument_names_the_sheet(con, tmp_path):
    """sheet= reads the named sheet even when another one would be chosen by default."""
    older = [HEADER, ["Umbrella", "Scientist", dt.date(2024, 5, 2), "Offer"]]
    path = write_xlsx(tmp_path, "t.xlsx", {"2025": APPS, "2024": older})
    assert read_file(con, path).sheet == "2025"
    table = read_file(con, path, sheet="2024")
    assert table.sheet == "2024"
    assert raw(con) == [("Umbrella", "Scientist", "2024-05-02", "Offer")]


def test_missing_sheet_name_lists_the_sheets(con, tmp_path):
    """A sheet name the workbook lacks raises UnreadableFile naming it and listing the sheets."""
    path = write_xlsx(tmp_path, "t.xlsx", {"2025": APPS, "Drop Downs": LISTS})
    with pytest.raises(UnreadableFile) as caught:
        read_file(con, path, sheet="Apps")
    message = str(caught.value)
    assert "'Apps'" in message and "'2025', 'Drop Downs'" in message and "t.xlsx" in message
    assert "\n" not in message


def test_excel_cells_come_through_as_text(con, tmp_path):
    """Excel dates become ISO text (with any time), whole numbers lose '.0', bools read."""
    rows = [["Company", "Job Title", "Date Applied", "Status", "Salary", "Remote"],
            ["Acme", "Analyst", dt.datetime(2025, 1, 6), "Rejected", 52000, True],
            ["Globex", "Engineer", dt.datetime(2025, 1, 10, 14, 30), "Applied", 61000.5, False],
            ["Initech", "Analyst", dt.date(2024, 12, 31), "Applied", None, None]]
    table = read_file(con, write_xlsx(tmp_path, "t.xlsx", {"Sheet1": rows}))
    assert table.columns == rows[0]
    assert raw(con) == [("Acme", "Analyst", "2025-01-06", "Rejected", "52000", "TRUE"),
                        ("Globex", "Engineer", "2025-01-10 14:30:00", "Applied", "61000.5",
                         "FALSE"),
                        ("Initech", "Analyst", "2024-12-31", "Applied", None, None)]


def test_ods_workbook_reads(con, tmp_path):
    """An OpenDocument spreadsheet (.ods) reads like an xlsx, dates as ISO text."""
    frame = pd.DataFrame({"Firma": ["Müller GmbH", "Acme"],
                          "Position": ["Entwickler", "Analyst"],
                          "Beworben am": pd.to_datetime(["2025-01-06", "2025-02-03"]),
                          "Status": ["Abgesagt", "Vorstellungsgespräch"]})
    path = tmp_path / "bewerbungen.ods"
    frame.to_excel(path, engine="odf", sheet_name="Bewerbungen", index=False)
    table = read_file(con, path)
    assert (table.sheet, table.header_row) == ("Bewerbungen", 1)
    assert table.columns == ["Firma", "Position", "Beworben am", "Status"]
    assert raw(con) == [("Müller GmbH", "Entwickler", "2025-01-06", "Abgesagt"),
                        ("Acme", "Analyst", "2025-02-03", "Vorstellungsgespräch")]


def test_xls_workbook_reads(con, tmp_path):
    """An old binary Excel workbook (.xls) reads, dates as ISO text."""
    xlwt = pytest.importorskip(
        "xlwt", reason="no installed library writes BIFF .xls files (xlwt is not installed)")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Applications")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(APPS):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, dt.datetime(value.year, value.month, value.day), date_style)
            else:
                sheet.write(r, c, value)
    path = tmp_path / "t.xls"
    book.save(str(path))
    table = read_file(con, path)
    assert (table.sheet, table.columns) == ("Applications", HEADER)
    assert raw(con)[0] == ("Acme", "Analyst", "2025-01-06", "Rejected")

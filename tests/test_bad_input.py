"""Bad input: every unusable file is refused with one clear line, and the database is left
exactly as it was before the attempt."""

from __future__ import annotations

import io
import json
import os
import random
import struct
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.cli import main
from pipelines.errors import IngestError, MappingError, NoApplications, UnreadableFile
from pipelines.ingest.importer import ingest_file
from pipelines.ingest.read.files import MAX_FILE_MB
from pipelines.ingest.read.rawtable import MAX_CELL_CHARS
from pipelines.ingest.read.workbooks import MAX_UNZIPPED_BYTES, MAX_ZIP_RATIO
from pipelines.ingest.report import format_report
from pipelines.store.db import connect
from tests.conftest import snapshot, write_xlsx

REPO = Path(__file__).resolve().parents[1]

GOOD = ("Company,Job Title,Date Applied,Status\n"
        "Acme,Analyst,2025-01-06,Rejected\n"
        "Globex,Engineer,2025-01-10,Interview\n")
APP_ROWS = [["Company", "Job Title", "Status"], ["Acme", "Analyst", "Rejected"],
            ["Globex", "Engineer", "Interview"]]


@pytest.fixture
def loaded(con, tmp_path):
    """A database holding one good import of two applications."""
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    ingest_file(con, path)
    assert con.execute("SELECT count(*) FROM applications").fetchall() == [(2,)]
    return con


# --- builders: each writes one bad file into a folder and returns its path ---------------------

def _bytes(name: str, data: bytes):
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return build


def _xlsx_bytes() -> bytes:
    """A real workbook with enough rows that cutting it in half cuts its zip directory off."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Applications")
    for r, row in enumerate(APP_ROWS + [[f"Company {i}", "Analyst", "Applied"]
                                        for i in range(300)]):
        sheet.write_row(r, 0, row)
    workbook.close()
    return buffer.getvalue()


def _truncated_xlsx(folder: Path) -> Path:
    data = _xlsx_bytes()
    return _bytes("cut.xlsx", data[:len(data) // 2])(folder)


def _encrypted_ole(name: str):
    """What Excel writes for a password-protected workbook: an OLE compound file whose
    directory names an 'EncryptionInfo' stream."""
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) +
            "EncryptionInfo".encode("utf-16-le") + bytes(1024))
    return _bytes(name, data)


def _zip_bomb_ratio(folder: Path) -> Path:
    """A real workbook plus a 60 MiB member of zeros: over 50 MiB and inflating more than
    MAX_ZIP_RATIO times its packed size."""
    source = write_xlsx(folder, "source.xlsx", {"Applications": APP_ROWS})
    path = folder / "bomb.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr("xl/media/image1.bin", bytes(60 << 20))
    with zipfile.ZipFile(path) as archive:
        total = sum(i.file_size for i in archive.infolist())
        packed = sum(i.compress_size for i in archive.infolist())
    assert 50 << 20 < total < MAX_UNZIPPED_BYTES and total / packed > MAX_ZIP_RATIO
    return path


def _zip_bomb_declared(folder: Path) -> Path:
    """A small workbook whose zip directory declares a member of ~4 GiB uncompressed."""
    source = write_xlsx(folder, "source.xlsx", {"Applications": APP_ROWS})
    path = folder / "declared.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr("xl/media/image1.bin", bytes(1000))
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02")  # the last central-directory entry: image1.bin
    struct.pack_into("<I", data, entry + 24, 0xFFFF_FF00)  # its uncompressed size
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES
    return path


def _pivot_xlsx(folder: Path) -> Path:
    return write_xlsx(folder, "pivot.xlsx", {"Pivot": [
        ["Row Labels", "Count of Company"], ["Applied", 10], ["Rejected", 5],
        ["Interview", 2], ["Grand Total", 17]]})


def _pivot_count_of_title_xlsx(folder: Path) -> Path:
    return write_xlsx(folder, "pivot.xlsx", {"Sheet2": [
        ["Status", "Count of Job Title"], ["Applied", 10], ["Rejected", 5],
        ["Interview", 2], ["Grand Total", 17]]})


def _oversize(folder: Path) -> Path:
    """A file of 5 GiB, over the upload limit, that takes no room on disk (sparse): reading
    it would take more memory than the bounded test allows."""
    path = folder / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(5 << 30)
    assert path.stat().st_size > MAX_FILE_MB << 20
    return path


def _web_page(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    """What Excel writes with "Save as Web Page" (and many web apps as their .xls export):
    Office markup, a style sheet, then the sheet as one <table>."""
    cells = "\n".join("  <tr height=20 style='height:15.0pt'>\n" + "".join(
        f"   <td class=xl65 style='height:15.0pt'>{cell}</td>\n" for cell in row) + "  </tr>"
                      for row in rows)
    return f"""<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset={encoding}">
<meta name=ProgId content=Excel.Sheet>
<style>
<!--table {{mso-displayed-decimal-separator:"\\.";}}
td {{padding-top:1px; mso-number-format:General;}}
-->
</style>
<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>
<x:Name>Applications</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
</head>
<body link="#0563C1" vlink="#954F72">
<table border=0 cellpadding=0 cellspacing=0 width=256 style='border-collapse:collapse'>
 <col width=64 span=4 style='width:48pt'>
{cells}
 <![if supportMisalignedColumns]>
 <tr height=0 style='display:none'><td width=64 style='width:48pt'></td></tr>
 <![endif]>
</table>
</body>
</html>
""".encode(encoding)


PAGE_WITHOUT_TABLE = (b"<!DOCTYPE html>\n<html><head><title>Job tracker</title></head><body>"
                      b"<h1>My applications</h1><p>Acme, Analyst, rejected.</p></body></html>")
PAGE_OF_LINKS = (b"<html><body><table><tr><td><a href='/'>Home</a></td><td>About</td>"
                 b"<td>Contact</td></tr></table></body></html>")
RANDOM = random.Random(8).randbytes(1 << 16)  # seeded: the same bytes on every run
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8
PDF = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n"
       + bytes(range(256)) * 8)

BAD_INPUTS = [
    # id, builder, overrides, expected class, words the message must hold
    ("empty file", _bytes("t.csv", b""), None, UnreadableFile, "empty"),
    ("whitespace only", _bytes("t.csv", b"  \r\n\n\t \n"), None, UnreadableFile, "no text"),
    ("header only", _bytes("t.csv", b"Company,Job Title,Date Applied,Status\r\n"), None,
     NoApplications, "no data rows"),
    ("png renamed .csv", _bytes("t.csv", PNG), None, UnreadableFile, "not a table"),
    ("pdf renamed .csv", _bytes("t.csv", PDF), None, UnreadableFile, "not a table"),
    ("text renamed .xlsx", _bytes("t.xlsx", GOOD.encode()), None, UnreadableFile,
     "not a valid .xlsx"),
    ("truncated xlsx", _truncated_xlsx, None, UnreadableFile, "damaged"),
    ("encrypted xlsx", _encrypted_ole("t.xlsx"), None, UnreadableFile, "password"),
    ("encrypted xls", _encrypted_ole("t.xls"), None, UnreadableFile, "password"),
    ("zip bomb by ratio", _zip_bomb_ratio, None, UnreadableFile, "compression bomb"),
    ("zip bomb by declared size", _zip_bomb_declared, None, UnreadableFile, "compression bomb"),
    ("no company or title column",
     _bytes("t.csv", b"Date Applied,Status,Notes\n2025-01-06,Rejected,x\n2025-01-07,Applied,y\n"),
     None, MappingError, "which company or job"),
    ("500 columns and no company or title",
     _bytes("t.csv", ",".join(["Date Applied", "Status"] + [f"Note {i}" for i in range(498)])
            .encode() + b"\n2025-01-06,Rejected" + b"," * 498 + b"\n"),
     None, MappingError, "'Note 17' and 480 more."),
    ("companies without status or dates",
     _bytes("t.csv", b"Company,Website,Industry\nAcme,acme.com,Retail\nGlobex,globex.com,Energy\n"),
     None, NoApplications, "list of companies"),
    ("linkedin saved jobs",
     _bytes("Saved Jobs.csv", b"Saved Date,Job Url,Job Title,Company Name\n"
                              b"2025-01-06,https://www.linkedin.com/jobs/view/1,Analyst,Acme\n"),
     None, NoApplications, "Saved Jobs"),
    ("pivot of statuses", _pivot_xlsx, None, IngestError, ""),
    ("pivot counting job titles", _pivot_count_of_title_xlsx, None, IngestError, ""),
    ("counts per company",
     _bytes("t.csv", b"Company,Applications,Rejections,Interviews\n"
                     b"Acme,5,3,2\nGlobex,4,2,1\nInitech,2,1,0\n"),
     None, IngestError, ""),
    ("status counts csv", _bytes("t.csv", b"Status,Count\nApplied,10\nRejected,7\nTotal,17\n"),
     None, IngestError, ""),
    ("map names a missing column", _bytes("t.csv", GOOD.encode()), {"Role": "job_title"},
     MappingError, "'Role'"),
    ("map names an unknown field", _bytes("t.csv", GOOD.encode()), {"Job Title": "jobtitle"},
     MappingError, "unknown field 'jobtitle'"),
    ("header only with a map",
     _bytes("t.csv", b"Company,Gig,Date Applied,Status\r\n"), {"Gig": "job_title"},
     NoApplications, "no data rows"),
    ("random bytes named .csv", _bytes("t.csv", RANDOM), None, UnreadableFile,
     "not a text table"),
    ("random bytes named .xlsx", _bytes("t.xlsx", RANDOM), None, UnreadableFile,
     "not a valid .xlsx"),
    ("web page without a table saved as .xls", _bytes("t.xls", PAGE_WITHOUT_TABLE), None,
     UnreadableFile, "web page (HTML) with no table"),
    ("web page whose table is not applications", _bytes("t.xls", PAGE_OF_LINKS), None,
     NoApplications, "no table holds a table of applications"),
    ("over the size limit", _oversize, None, UnreadableFile,
     f"more than the {MAX_FILE_MB:,} MB that can be imported"),
]


@pytest.mark.parametrize(("build", "overrides", "expected", "words"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_refused_in_one_line_and_database_unchanged(
        loaded, tmp_path, build, overrides, expected, words):
    """Refused in one line naming the file and what to do; no stored table changes."""
    folder = tmp_path / "bad"
    folder.mkdir()
    path = build(folder)
    before = snapshot(loaded)
    with pytest.raises(IngestError) as caught:
        ingest_file(loaded, path, overrides=overrides)
    error = caught.value
    message = str(error)
    assert isinstance(error, expected), message
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path.name}: "), message
    assert words in message
    assert error.hint, f"no advice on what to do: {message}"
    assert snapshot(loaded) == before


@pytest.mark.parametrize("text", [
    '[{"Company": "Acme", "Job Title": "Analyst", "Status": "Rejected"},'
    ' {"Company": "Globex", "Job Title": "Engineer", "Status": "Applied"}]',
    '[\n  {\n    "company": "Acme",\n    "title": "Analyst",\n    "status": "Rejected"\n  }\n]\n',
], ids=["one line", "pretty-printed"])
def test_json_file_is_refused_as_not_a_table(loaded, tmp_path, text):
    """A JSON export is refused as not a table (suggesting CSV); the database is unchanged."""
    path = tmp_path / "applications.json"
    path.write_text(text, encoding="utf-8")
    before = snapshot(loaded)
    with pytest.raises(IngestError) as caught:
        ingest_file(loaded, path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("applications.json: ")
    said = message.removeprefix("applications.json: ")
    assert "JSON" in said or "not a text table" in said, message
    assert "CSV" in said
    assert snapshot(loaded) == before


def test_missing_file_is_one_line(loaded, tmp_path):
    """A path that does not exist is refused with one UnreadableFile line."""
    before = snapshot(loaded)
    with pytest.raises(UnreadableFile) as caught:
        ingest_file(loaded, tmp_path / "nope.csv")
    assert str(caught.value).startswith("nope.csv: there is no such file")
    assert snapshot(loaded) == before


def test_good_file_still_loads_after_refusals(loaded, tmp_path):
    """A refusal leaves the connection usable: the next good file loads normally."""
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    with pytest.raises(UnreadableFile):
        ingest_file(loaded, bad)
    more = tmp_path / "more.csv"
    more.write_text("Company,Job Title,Date Applied,Status\nInitech,Analyst,2025-02-01,Applied\n",
                    encoding="utf-8")
    report = ingest_file(loaded, more)
    assert (report.applications_loaded, report.applications_new) == (1, 1)
    assert loaded.execute("SELECT count(*) FROM applications").fetchall() == [(3,)]


def test_report_lists_twenty_unused_columns_then_how_many_more(loaded, tmp_path):
    """The report of a file of 500 columns names 20 it did not use, then how many more."""
    header = ["Company", "Job Title", "Status"] + [f"Note {i}" for i in range(497)]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(header) + "\nHooli,Analyst,Applied" + ",n" * 497 + "\n")
    unused = next(line for line in format_report(ingest_file(loaded, path)).splitlines()
                  if "unmapped columns" in line)
    assert unused.endswith("'Note 20' and 476 more") and len(unused) < 400  # 'Note 0': notes


# --- awkward files that are imported, with their text as written -------------------------------

TEXT_ROWS = [["Company", "Job Title", "Date Applied", "Status", "Salary"],
             ["Müller GmbH", "“Lead” Data Analyst", "06.01.2025", "Rejected", "€55.000"],
             ["Société Générale", "Ingénieur d’études", "10.01.2025", "Entretien",
              "€60.000 – €65.000"]]
TEXT_STORED = [("Müller GmbH", "“Lead” Data Analyst", "€55.000", 55000.0, "EUR", "rejected"),
               ("Société Générale", "Ingénieur d’études", "€60.000 – €65.000", 60000.0, "EUR",
                "active")]
TEXT_COLUMNS = "company, job_title, salary_raw, salary_min, salary_currency, outcome"


def _encoded(name: str, delimiter: str, encoding: str, bom: bytes = b""):
    """The tracker as Excel saves text: 'Unicode text' is UTF-16 with tabs, a European CSV
    is Windows-1252 with semicolons."""
    text = "\r\n".join(delimiter.join(row) for row in TEXT_ROWS) + "\r\n"
    return _bytes(name, bom + text.encode(encoding))


def _web_page_xls(folder: Path) -> Path:
    """A tracker saved as a web page named .xls, in Windows-1252, with entities, a
    non-breaking space and a line break in cells."""
    rows = [["Company", "Job Title", "Date Applied", "Status"],
            ["M&uuml;ller GmbH", "Data&nbsp;Analyst", "2025-01-06",
             "Rejected<br>after phone screen"],
            ["Société Générale", "Engineer", "2025-01-10", "Interview"],
            ["", "", "", ""]]
    return _bytes("tracker.xls", _web_page(rows, "windows-1252"))(folder)


def _formulas_xlsx(folder: Path) -> Path:
    """Formula cells with their cached values, and the error values Excel shows (#N/A,
    #REF!, #DIV/0!, #VALUE!) where a formula failed."""
    import xlsxwriter

    path = folder / "formulas.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Applications")
    sheet.write_row(0, 0, ["Company", "Job Title", "Status", "Salary", "Location", "Notes",
                           "Prep hours"])
    sheet.write_formula(1, 0, '="Initech "&"Labs"', None, "Initech Labs")
    sheet.write_row(1, 1, ["Analyst", "Rejected"])
    sheet.write_formula(1, 3, "=NA()", None, "#N/A")
    sheet.write_formula(1, 4, "=#REF!", None, "#REF!")
    sheet.write_formula(1, 5, "=1/0", None, "#DIV/0!")
    sheet.write_formula(1, 6, "=2+3", None, 5)
    sheet.write_row(2, 0, ["Umbrella", "Engineer", "Interview"])
    sheet.write_formula(2, 3, "=VLOOKUP(A3,Z:Z,2,FALSE)", None, "#N/A")
    sheet.write_row(2, 4, ["Berlin"])
    sheet.write_formula(2, 5, '=1+"a"', None, "#VALUE!")
    workbook.close()
    return path


SQL_COMPANY = 'Company"; DROP TABLE applications; --'
SQL_SHEET = "'; DELETE FROM imports; --"
SQL_ROWS = [[SQL_COMPANY, "Job Title", "Status", "O'Brien's", "back\\slash", "semi;colon"],
            ["O'Brien's Bakery", "Analyst \\ Ops", "Rejected", "x", "y", "z"],
            ["Robert'); DROP TABLE imports;--", "Engineer", "Interview", "a", "b", "c"]]
SQL_STORED = [("O'Brien's Bakery", "Analyst \\ Ops"),
              ("Robert'); DROP TABLE imports;--", "Engineer")]


def _sql_names_xlsx(folder: Path) -> Path:
    """Column names, a sheet name and cells full of quotes, semicolons, backslashes and SQL.
    Excel refuses a sheet name that starts with an apostrophe, but a workbook from elsewhere
    can hold one: the name is written into the workbook's XML afterwards."""
    source = write_xlsx(folder, "source.xlsx", {"PLACEHOLDER": SQL_ROWS})
    path = folder / "names.xlsx"
    escaped = SQL_SHEET.replace("'", "&apos;").encode()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"PLACEHOLDER", escaped)
            out.writestr(info, data)
    return path


def _sql_names_csv(folder: Path) -> Path:
    text = "\n".join(",".join('"' + cell.replace('"', '""') + '"' for cell in row)
                     for row in SQL_ROWS) + "\n"
    return _bytes("names.csv", text.encode())(folder)


IMPORTED = [
    # id, builder, overrides, columns read back, the rows stored (ordered)
    ("UTF-16 LE with BOM (Excel's Unicode text)",
     _encoded("t.txt", "\t", "utf-16-le", b"\xff\xfe"), None, TEXT_COLUMNS, TEXT_STORED),
    ("UTF-16 BE with BOM", _encoded("t.txt", "\t", "utf-16-be", b"\xfe\xff"), None,
     TEXT_COLUMNS, TEXT_STORED),
    ("Windows-1252 with semicolons", _encoded("t.csv", ";", "cp1252"), None, TEXT_COLUMNS,
     TEXT_STORED),
    ("web page saved as .xls", _web_page_xls, None,
     "company, job_title, status_raw, stage_reached, outcome",
     [("Müller GmbH", "Data Analyst", "Rejected\nafter phone screen", "screen", "rejected"),
      ("Société Générale", "Engineer", "Interview", "interview", "active")]),
    ("formulas and error values", _formulas_xlsx, None,
     "company, job_title, salary_raw, location, notes, prep_hours",
     [("Initech Labs", "Analyst", None, None, None, 5.0),
      ("Umbrella", "Engineer", None, "Berlin", None, None)]),
    ("SQL in the sheet and column names", _sql_names_xlsx, {SQL_COMPANY: "company"},
     "company, job_title", SQL_STORED),
    ("SQL in CSV column names", _sql_names_csv, {SQL_COMPANY: "company"}, "company, job_title",
     SQL_STORED),
]


def imported_rows(con, import_id: int, columns: str) -> list[tuple]:
    """``columns`` of the applications one import described, in order."""
    return con.execute(
        f"SELECT {columns} FROM applications WHERE application_id IN "
        f"(SELECT application_id FROM application_sources WHERE import_id = ?) ORDER BY ALL",
        [import_id]).fetchall()


def first_import(con) -> tuple[list, list]:
    """The fixture's import: its record and its applications as stored."""
    return (con.execute("SELECT * FROM imports WHERE import_id = 1").fetchall(),
            con.execute("SELECT * FROM applications WHERE first_import_id = 1 "
                        "ORDER BY ALL").fetchall())


@pytest.mark.parametrize(("build", "overrides", "columns", "expected"),
                         [case[1:] for case in IMPORTED], ids=[case[0] for case in IMPORTED])
def test_awkward_file_is_imported_as_written(loaded, tmp_path, build, overrides, columns,
                                             expected):
    """Imported with every character as written (errors as empty cells), and the earlier
    import and every table left as they were."""
    earlier, tables = first_import(loaded), set(snapshot(loaded))
    report = ingest_file(loaded, build(tmp_path), overrides=overrides)
    assert imported_rows(loaded, report.import_id, columns) == expected
    assert first_import(loaded) == earlier
    assert set(snapshot(loaded)) == tables


def test_sql_in_names_is_stored_as_text(loaded, tmp_path):
    """A sheet name and column names holding SQL are stored and remembered as plain text."""
    report = ingest_file(loaded, _sql_names_xlsx(tmp_path), overrides={SQL_COMPANY: "company"})
    assert report.sheet == SQL_SHEET
    assert loaded.execute("SELECT sheet, columns FROM imports WHERE import_id = ?",
                          [report.import_id]).fetchall() == [(SQL_SHEET, SQL_ROWS[0])]
    remembered = loaded.execute("SELECT overrides::VARCHAR FROM saved_mappings").fetchall()
    assert [json.loads(text) for (text,) in remembered] == [{SQL_COMPANY: "company"}]


def test_a_cell_longer_than_a_spreadsheet_holds_is_cut_and_reported(loaded, tmp_path):
    """A 40,000-character note is stored cut to 32,767 characters, and the report says so."""
    path = tmp_path / "long.csv"
    path.write_text("Company,Job Title,Status,Notes\n"
                    f"Hooli,Analyst,Applied,{'a' * 40_000}\nInitech,Engineer,Applied,b\n")
    report = ingest_file(loaded, path)
    assert imported_rows(loaded, report.import_id, "company, length(notes)") == [
        ("Hooli", MAX_CELL_CHARS), ("Initech", 1)]
    assert f"1 row held a cell longer than {MAX_CELL_CHARS:,} characters" in " ".join(
        report.warnings)


# --- bounded time and memory, in a child process --------------------------------------------

MAX_SECONDS, MAX_MEMORY_MB = 60, 1536


def _wide_csv(folder: Path) -> Path:
    """10,000 named columns: four that a tracker has, then 9,996 of notes."""
    path = folder / "wide.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(",".join(["Company", "Job Title", "Date Applied", "Status"] +
                              [f"Extra {c}" for c in range(4, 10_000)]) + "\n")
        for r in range(20):
            handle.write(",".join([f"Company {r}", "Analyst", f"2025-01-{r + 1:02d}", "Rejected"]
                                  + [f"note {r}.{c}" for c in range(4, 10_000)]) + "\n")
    return path


def _big_cell_csv(folder: Path) -> Path:
    """A 5 MB feedback cell (words the theme rules look for, no sentence ends)."""
    feedback = ("not enough leadership experience rejected after the final round " * 80_000)
    text = ("Company,Job Title,Date Applied,Status,Feedback\n"
            f'Hooli,Analyst,2025-01-06,Rejected,"{feedback[:5 << 20]}"\n'
            "Initech,Engineer,2025-01-10,Interview,short\n")
    return _bytes("big.csv", text.encode())(folder)


def run_bounded(db: Path, path: Path) -> tuple[int, str, str, float, float]:
    """`python -m dashboard.cli ingest --db DB FILE` in a child process: exit code, stdout,
    stderr, seconds and peak memory in MB (killed after twice the time allowed)."""
    out, err = db.with_suffix(".out"), db.with_suffix(".err")
    start = time.monotonic()
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "ingest", "--db",
                                  str(db), str(path)], cwd=REPO, stdout=stdout, stderr=stderr)
        timer = threading.Timer(2 * MAX_SECONDS, child.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    return (child.returncode, out.read_text("utf-8"), err.read_text("utf-8"),
            time.monotonic() - start, usage.ru_maxrss / 1024)


BOUNDED = [
    # id, builder, exit code, a query and its answer after
    ("zip bomb by ratio", _zip_bomb_ratio, 2, None, None),
    ("zip bomb by declared size", _zip_bomb_declared, 2, None, None),
    ("over the size limit", _oversize, 2, None, None),
    ("10,000 columns", _wide_csv, 0,
     "SELECT len(columns), applications_new FROM imports WHERE import_id = 2", [(10_000, 20)]),
    ("a 5 MB cell", _big_cell_csv, 0,
     "SELECT company, length(feedback) FROM applications WHERE first_import_id = 2 ORDER BY 1",
     [("Hooli", MAX_CELL_CHARS), ("Initech", 5)]),
]


@pytest.mark.parametrize(("build", "code", "query", "answer"), [case[1:] for case in BOUNDED],
                         ids=[case[0] for case in BOUNDED])
def test_bad_input_takes_bounded_time_and_memory(tmp_path, build, code, query, answer):
    """Run as a program, the file is refused in one line or imported within a minute and
    1.5 GB of memory; a refusal leaves the database as it was."""
    db = tmp_path / "bounded.duckdb"
    with connect(db) as con:
        ingest_file(con, _bytes("good.csv", GOOD.encode())(tmp_path))
        before = snapshot(con)
    folder = tmp_path / "bad"
    folder.mkdir()
    path = build(folder)
    got, out, err, seconds, memory = run_bounded(db, path)
    assert seconds < MAX_SECONDS and memory < MAX_MEMORY_MB, (seconds, memory)
    assert got == code, err
    with connect(db) as con:
        if code:
            assert err.count("\n") == 1 and err.startswith(f"silverlining: {path.name}: "), err
            assert out == "" and snapshot(con) == before
        else:
            assert err == "" and con.execute(query).fetchall() == answer


# --- the command line --------------------------------------------------------------------------

def db_snapshot(db: Path) -> dict:
    with connect(db) as con:
        return snapshot(con)


@pytest.mark.parametrize(("build", "overrides", "expected", "words"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_cli_refuses_bad_input_in_one_line(capsys, tmp_path, build, overrides, expected, words):
    """`silverlining ingest` exits 2 with exactly one stderr line naming the file and what is
    wrong, prints nothing else, and leaves the database as it was."""
    db = tmp_path / "cli.duckdb"
    assert main(["ingest", "--db", str(db), str(_bytes("good.csv", GOOD.encode())(tmp_path))]) == 0
    capsys.readouterr()
    before = db_snapshot(db)
    folder = tmp_path / "bad"
    folder.mkdir()
    path = build(folder)
    maps = [arg for column, fld in (overrides or {}).items()
            for arg in ("--map", f"{column}={fld}")]
    code = main(["ingest", "--db", str(db), *maps, str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"silverlining: {path.name}: "), err
    assert words in err
    assert db_snapshot(db) == before


def test_cli_says_an_unexpected_error_in_one_line(capsys, tmp_path, monkeypatch):
    """An error the pipeline did not foresee, whose message runs over several lines (as
    DuckDB's do), is still one stderr line, with exit code 1 and no traceback."""
    def fail(*args, **kwargs):
        raise RuntimeError("Binder Error: something\nLINE 1: SELECT ...\n        ^")

    monkeypatch.setattr("dashboard.cli.ingest_file", fail)
    path = _bytes("good.csv", GOOD.encode())(tmp_path)
    code = main(["ingest", "--db", str(tmp_path / "cli.duckdb"), str(path)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.count("\n") == 1 and "Binder Error: something LINE 1: SELECT ... ^" in err, err


# --- the dashboard -----------------------------------------------------------------------------

APP_UPLOADS = ["empty file", "header only", "png renamed .csv", "random bytes named .csv",
               "random bytes named .xlsx", "web page without a table saved as .xls",
               "truncated xlsx", "encrypted xlsx", "zip bomb by declared size",
               "pivot of statuses"]


def test_import_page_shows_one_error_per_bad_upload(tmp_path, monkeypatch):
    """Bad files dropped together on the Import page get one error message each, naming the
    file and what is wrong; nothing raises, the database is unchanged, and the uploader takes
    no file larger than an import does."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SILVERLINING_DB", str(tmp_path / "app.duckdb"))
    cases = {case[0]: case for case in BAD_INPUTS}
    uploads, words = [], {}
    for number, case in enumerate(APP_UPLOADS):
        folder = tmp_path / f"bad{number}"
        folder.mkdir()
        path = cases[case][1](folder)
        name = f"{number} {path.name}"  # each upload named apart
        uploads.append((name, path.read_bytes(), "application/octet-stream"))
        words[name] = cases[case][4]
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("views/import_data.py").run()
    assert at.file_uploader[0].proto.max_upload_size_mb == MAX_FILE_MB
    before = db_snapshot(tmp_path / "app.duckdb")
    at.file_uploader[0].set_value(uploads).run()
    assert not at.exception, at.exception
    errors = [error.value for error in at.error]
    assert len(errors) == len(uploads), errors
    for name, said in words.items():
        mine = [error for error in errors if f"{name}: " in error]
        assert len(mine) == 1 and said in mine[0], (name, errors)
    assert db_snapshot(tmp_path / "app.duckdb") == before

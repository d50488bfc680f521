"""Tests for pipelines.ingest.read.webpages: the tables of a spreadsheet saved as a web page."""

from __future__ import annotations

import pytest

from pipelines.errors import UnreadableFile
from pipelines.ingest.read.files import read_file
from pipelines.ingest.read.webpages import is_web_page
from tests.test_readers import raw

NAVIGATION = "<table><tr><td><a href='/'>Home</a></td><td>Help</td></tr></table>"
TRACKER = ("<table><tr><th>Company</th><th>Job Title</th><th>Status</th></tr>"
           "<tr><td>Acme</td><td>Analyst</td><td>Rejected</td></tr>"
           "<tr><td>Globex</td><td>Engineer</td><td>Interview</td></tr></table>")


def page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


def test_the_table_of_applications_is_found_among_several(con, tmp_path):
    """Of a navigation table and the tracker, the tracker is read, named 'table 2'."""
    path = tmp_path / "export.xls"
    path.write_bytes(page(NAVIGATION + TRACKER))
    table = read_file(con, path)
    assert (table.sheet, table.columns) == ("table 2", ["Company", "Job Title", "Status"])
    assert raw(con) == [("Acme", "Analyst", "Rejected"), ("Globex", "Engineer", "Interview")]


def test_a_table_is_named_like_a_sheet(con, tmp_path):
    """--sheet names a table ('table 1'); a name that is none of them lists the tables."""
    path = tmp_path / "export.xls"
    path.write_bytes(page(TRACKER + NAVIGATION))
    assert read_file(con, path, sheet="table 1").rows_read == 2
    with pytest.raises(UnreadableFile) as caught:
        read_file(con, path, sheet="Sheet1")
    assert "no table named 'Sheet1'" in str(caught.value)
    assert "'table 1', 'table 2'" in str(caught.value)


def test_merged_cells_and_missing_end_tags_keep_columns_in_line(con, tmp_path):
    """A title spanning the columns, a cell spanning two and cells whose end tags HTML lets
    one leave out still give each value its own column."""
    path = tmp_path / "export.htm"
    path.write_bytes(page(
        "<table><tr><td colspan=3><b>My applications</b></td>"
        "<tr><td>Company<td>Job Title<td>Status"
        "<tr><td colspan='2'>Acme<td>Rejected"
        "<tr><td>Globex<td>Engineer<td>Interview</table>"))
    table = read_file(con, path)
    assert table.header_row == 2 and table.sheet is None
    assert raw(con) == [("Acme", None, "Rejected"), ("Globex", "Engineer", "Interview")]


@pytest.mark.parametrize(("head", "expected"), [
    (b"<html><body><table>", True),
    (b"\xef\xbb\xbf\r\n<!doctype html>\n<html>", True),
    (b"<table><tr><td>Company</td>", True),
    (b"<Company>,Status\nAcme,Rejected\n", False),
    (b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
     b"<Worksheet><Table><Row>", False),
    (b"Company,Notes\nAcme,<b>great</b> <table> talk\n", False),
], ids=["page", "BOM and doctype", "bare table", "csv with a bracket", "Excel 2003 XML",
        "csv mentioning a table"])
def test_what_counts_as_a_web_page(head, expected):
    """A page is a file that starts with markup naming HTML or a table; a CSV that merely
    holds a tag, and Excel's XML workbook, are not."""
    assert is_web_page(head) is expected

"""Errors carry what is wrong as data, and each screen says what to do in its own words: the
command line names its flags, the Import page points at its mapping table and sheet choice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from pipelines.errors import MappingError
from pipelines.ingest.importer import ingest_file
from tests.conftest import write_text, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
# 'Who' is no field's name in any language the mapping knows
NO_COMPANY = "Who,Date Applied,Status\nAcme,2025-03-04,Rejected\nGlobex,2025-03-05,Applied\n"
FLAGS = re.compile(r"--(map|sheet|layout|dates|db)\b")


def test_no_library_module_names_a_command_line_flag():
    """Nothing in pipelines/ tells the reader to type a flag: that is the CLI's to say."""
    said = {str(p.relative_to(ROOT)): FLAGS.findall(p.read_text("utf-8"))
            for p in (ROOT / "pipelines").rglob("*.py")}
    assert {p: f for p, f in said.items() if f} == {}


def _unmapped(tmp_path) -> Path:
    return write_text(tmp_path, "t.csv", NO_COMPANY)


def test_the_error_says_which_field_is_missing_as_data(con, tmp_path):
    """A file naming no company or title raises with the field, its alternative and the
    file's columns attached, and a message that names no flag."""
    with pytest.raises(MappingError) as caught:
        ingest_file(con, _unmapped(tmp_path))
    choice = caught.value.choice
    assert (choice.what, choice.field, choice.others) == ("field", "company", ("job_title",))
    assert choice.options == ("Who", "Date Applied", "Status")
    assert not FLAGS.search(str(caught.value))


def test_the_command_line_names_its_flag(tmp_path, capsys):
    """`silverlining ingest` turns the missing field into the --map to type, in one line."""
    code = main(["ingest", "--db", str(tmp_path / "t.duckdb"), str(_unmapped(tmp_path))])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "--map 'Column=company' (or =job_title)" in err and "'Who'" in err


def test_the_command_line_names_the_sheet_flag(tmp_path, capsys):
    """A workbook whose sheets hold no applications: the CLI says to name one with --sheet."""
    path = write_xlsx(tmp_path, "w.xlsx", {"Notes": [["just text"]], "Other": [["more"]]})
    code = main(["ingest", "--db", str(tmp_path / "t.duckdb"), str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "--sheet NAME" in err and "'Notes', 'Other'" in err


def test_the_import_page_asks_for_the_column_in_its_mapping_table(tmp_path, monkeypatch):
    """On the Import page the same file says to choose “company” in the mapping table (no
    flag), shows the table with the file's columns, and choosing it there imports the file."""
    database = tmp_path / "app.duckdb"
    monkeypatch.setenv("SILVERLINING_DB", str(database))
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.button(key="clear_demo").click().run()
    at.switch_page("views/import_data.py").run()
    data = _unmapped(tmp_path).read_bytes()
    at.file_uploader[0].set_value(("t.csv", data, "text/csv")).run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "mapping table below" in error and "“company” or “job_title”" in error
    assert not FLAGS.search(error)
    at.session_state[f"map_0_t.csv_{len(data)}"] = {
        "edited_rows": {0: {"Maps to": "company"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.error
    next(b for b in at.button if b.label == "Import t.csv").click().run()
    assert any("2 applications" in s.value for s in at.success)

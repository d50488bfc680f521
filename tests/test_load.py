"""Loading: one transaction per import, idempotent re-imports, updates that keep what the
user added, one application across sources, and the sample tracker's answer key."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipelines.derive import scope, themes
from pipelines.edits.imports import remove_import
from pipelines.errors import IngestError
from pipelines.ingest import load
from pipelines.ingest.importer import ingest_file
from pipelines.ingest.load import stored_file
from pipelines.store.checks import failing_checks
from pipelines.store.db import scalar
from tests.conftest import applications, snapshot, write_text

ROOT = Path(__file__).resolve().parents[1]
TRACKER = """Company,Job Title,Date Applied,Status,Feedback
Acme,Data Analyst,2025-03-04,Rejected after phone screen,Went with a stronger candidate
Globex,Engineer,2025-03-05,Applied,
Initech,Product Manager,2025-03-09,Interview,
"""


def _counts(con) -> tuple[int, int, int, int]:
    return tuple(scalar(con, f"SELECT count(*) FROM {t}") for t in (
        "applications", "imports", "import_files", "application_sources"))


def _by_company(con) -> dict[str, dict]:
    return {row["company"]: row for row in applications(con)}


def test_same_file_twice_adds_nothing(con, tmp_path):
    """Importing the same file again reports 'already imported' and changes no table."""
    path = write_text(tmp_path, "t.csv", TRACKER)
    first = ingest_file(con, path)
    before = _counts(con)
    again = ingest_file(con, path)
    assert first.applications_new == 3
    assert again.already_imported and again.import_id == first.import_id
    assert _counts(con) == before


def test_copy_under_another_name_matches_the_same_applications(con, tmp_path):
    """The same rows in a renamed copy update nothing and add no application."""
    ingest_file(con, write_text(tmp_path, "a.csv", TRACKER))
    report = ingest_file(con, write_text(tmp_path, "b.csv", TRACKER + "\n"))
    assert (report.applications_new, report.applications_updated) == (0, 0)
    assert _counts(con)[0] == 3


def test_updated_tracker_updates_changed_rows_and_adds_new_ones(con, tmp_path):
    """A later version of the tracker changes one status and adds one row: 1 updated, 1 new,
    and every application keeps its id."""
    ingest_file(con, write_text(tmp_path, "v1.csv", TRACKER))
    ids = {c: r["application_id"] for c, r in _by_company(con).items()}
    updated = TRACKER.replace("Globex,Engineer,2025-03-05,Applied,",
                              "Globex,Engineer,2025-03-05,Rejected after 2nd interview,Too junior")
    updated += "Umbrella,Analyst,2025-04-01,Applied,\n"
    report = ingest_file(con, write_text(tmp_path, "v2.csv", updated))
    rows = _by_company(con)
    assert (report.applications_new, report.applications_updated) == (1, 1)
    assert {c: rows[c]["application_id"] for c in ids} == ids
    assert (rows["Globex"]["stage_reached"], rows["Globex"]["outcome"]) == ("interview",
                                                                            "rejected")
    assert rows["Globex"]["feedback"] == "Too junior"


def test_reimport_keeps_what_the_user_added(con, tmp_path):
    """Notes kept in their own table keyed by application_id survive an updated import."""
    ingest_file(con, write_text(tmp_path, "v1.csv", TRACKER))
    con.execute("CREATE TABLE my_notes (application_id VARCHAR, note VARCHAR)")
    con.execute("INSERT INTO my_notes SELECT application_id, 'ask for feedback' "
                "FROM applications WHERE company = 'Acme'")
    ingest_file(con, write_text(tmp_path, "v2.csv", TRACKER.replace("Interview", "Offer")))
    joined = con.execute("SELECT a.company, n.note FROM my_notes n "
                         "JOIN applications a USING (application_id)").fetchall()
    assert joined == [("Acme", "ask for feedback")]


def test_a_dated_correction_within_a_week_is_the_same_application(con, tmp_path):
    """A date applied corrected by two days matches the stored application, not a new one."""
    ingest_file(con, write_text(tmp_path, "v1.csv", TRACKER))
    report = ingest_file(con, write_text(tmp_path, "v2.csv",
                                         TRACKER.replace("2025-03-04", "2025-03-06")))
    assert report.applications_new == 0
    assert _by_company(con)["Acme"]["applied_on"].isoformat() == "2025-03-06"


def test_linkedin_export_beside_the_tracker_counts_each_application_once(con, tmp_path):
    """LinkedIn's export of the same applications adds its URLs but not rows, and its lack of
    a status does not undo the tracker's outcomes."""
    ingest_file(con, write_text(tmp_path, "tracker.csv", TRACKER))
    linkedin = ("Application Date,Company Name,Job Title,Job Url\n"
                '"3/4/25, 9:42 AM",Acme ,Data Analyst,https://www.linkedin.com/jobs/view/1\n'
                '"3/20/25, 1:05 PM",Hooli,Designer,https://www.linkedin.com/jobs/view/2\n')
    report = ingest_file(con, write_text(tmp_path, "Job Applications.csv", linkedin))
    rows = _by_company(con)
    assert (report.applications_new, report.applications_updated) == (1, 1)
    assert len(rows) == 4
    assert (rows["Acme"]["stage_reached"], rows["Acme"]["outcome"]) == ("screen", "rejected")
    assert rows["Acme"]["job_url"] == "https://www.linkedin.com/jobs/view/1"
    assert (rows["Hooli"]["stage_reached"], rows["Hooli"]["outcome"]) == ("applied", "active")


def test_tracker_after_linkedin_fills_in_the_outcome(con, tmp_path):
    """Imported the other way round, the tracker's status replaces LinkedIn's unknown one."""
    linkedin = ("Application Date,Company Name,Job Title,Job Url\n"
                '"3/4/25, 9:42 AM",Acme,Data Analyst,https://www.linkedin.com/jobs/view/1\n')
    ingest_file(con, write_text(tmp_path, "Job Applications.csv", linkedin))
    ingest_file(con, write_text(tmp_path, "tracker.csv", TRACKER))
    acme = _by_company(con)["Acme"]
    assert (acme["stage_reached"], acme["outcome"]) == ("screen", "rejected")
    assert len(applications(con)) == 3


def test_failure_half_way_leaves_the_database_unchanged(con, tmp_path, monkeypatch):
    """An error after applications were written rolls the whole import back."""
    ingest_file(con, write_text(tmp_path, "v1.csv", TRACKER))
    before = _counts(con), applications(con)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_insert_record", broken)
    updated = TRACKER.replace("Applied", "Rejected") + "Umbrella,Analyst,2025-04-01,Applied,\n"
    with pytest.raises(RuntimeError):
        ingest_file(con, write_text(tmp_path, "v2.csv", updated))
    assert (_counts(con), applications(con)) == before


@pytest.mark.parametrize("step", ["themes", "levels"])
def test_failure_deriving_themes_or_levels_rolls_the_whole_import_back(con, tmp_path,
                                                                        monkeypatch, step):
    """An error while tagging themes or reading levels after the applications were written
    leaves every table as it was: applications, import record, themes and levels are one
    transaction."""
    ingest_file(con, write_text(tmp_path, "v1.csv", TRACKER))
    before = snapshot(con)

    def broken(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(*((themes, "sync_theme_codes") if step == "themes" else
                          (scope, "_scopes")), broken)
    updated = TRACKER.replace("Applied,", "Rejected,Too junior") + "Umbrella,Analyst,2025-04-01,,\n"
    with pytest.raises(RuntimeError):
        ingest_file(con, write_text(tmp_path, "v2.csv", updated))
    assert snapshot(con) == before


def test_failure_while_removing_an_import_removes_nothing(con, tmp_path, monkeypatch):
    """An error in the refresh of themes and levels after an import's applications were
    deleted puts them all back, with the import record and the stored file."""
    ingest_file(con, write_text(tmp_path, "v1.csv", TRACKER))
    other = ingest_file(con, write_text(tmp_path, "other.csv", "Company,Job Title,Status\n"
                                        "Umbrella,Analyst,Applied\n"))
    before = snapshot(con)
    monkeypatch.setattr(scope, "_scopes", lambda con: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        remove_import(con, other.import_id)
    assert snapshot(con) == before


def test_failed_data_check_rolls_back_with_a_clear_error(con, tmp_path, monkeypatch):
    """When a data check finds offending rows the import is refused and nothing is stored."""
    monkeypatch.setattr(load, "failing_checks", lambda con: {"application_id is unique": 2})
    with pytest.raises(IngestError, match="data check failed: application_id is unique"):
        ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    assert _counts(con) == (0, 0, 0, 0)


def test_original_file_is_kept_for_remapping(con, tmp_path):
    """The imported bytes can be read back from the database without the file."""
    path = write_text(tmp_path, "t.csv", TRACKER)
    report = ingest_file(con, path)
    sha = scalar(con, "SELECT content_sha256 FROM imports WHERE import_id = ?",
                      [report.import_id])
    assert stored_file(con, sha) == path.read_bytes()


def test_data_checks_find_offending_rows(con, tmp_path):
    """The SQL data tests pass after an import and name a violation when one is forced."""
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    assert failing_checks(con) == {}
    con.execute("UPDATE applications SET stage_reached = 'screen', outcome = 'offer' "
                "WHERE company = 'Acme'")
    assert failing_checks(con) == {"an offer outcome means the offer stage was reached": 1}


def _answer_key():
    spec = importlib.util.spec_from_file_location("make_sample",
                                                  ROOT / "sample_data" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.answer_key())


@pytest.mark.parametrize("name", ["tracker.xlsx", "tracker.csv"])
def test_sample_tracker_matches_the_generators_answer_key(con, name):
    """The sample tracker loads 150 applications with the stage and outcome of each as the
    generator assigned them (the XLSX has a title row, the CSV does not)."""
    report = ingest_file(con, ROOT / "sample_data" / name)
    got = dict(((s, o), n) for s, o, n in con.execute(
        "SELECT stage_reached, outcome, count(*) FROM applications GROUP BY ALL").fetchall())
    assert report.applications_loaded == 150 and report.unknown_statuses == {}
    assert got == _answer_key()


def test_both_sample_files_are_one_set_of_applications(con):
    """The CSV and XLSX hold the same applications, so importing both stores 150."""
    ingest_file(con, ROOT / "sample_data" / "tracker.xlsx")
    report = ingest_file(con, ROOT / "sample_data" / "tracker.csv")
    assert (report.applications_new, report.applications_updated) == (0, 0)
    assert _counts(con)[0] == 150


def test_a_stage_column_and_an_outcome_column_are_read_together(con, tmp_path):
    """'Stage' says how far it got and 'Outcome' how it ended: both count, neither column
    is dropped, and the report names the second one."""
    report = ingest_file(con, write_text(tmp_path, "t.csv", (
        "Company,Position,Applied,Stage,Outcome\n"
        "Arbor,Analyst,2025-03-01,Recruiter screen,Rejected\n"
        "Birch,Analyst,2025-03-02,HM interview,No reply\n"
        "Cedar,Analyst,2025-03-03,Final / panel,In process\n"
        "Dogwood,Analyst,2025-03-04,Applied,Withdrew\n"
        "Elm,Analyst,2025-03-05,Offer,Declined offer\n")))
    got = {a["company"]: (a["stage_reached"], a["outcome"]) for a in applications(con)}
    assert got == {"Arbor": ("screen", "rejected"), "Birch": ("interview", "no_response"),
                   "Cedar": ("final", "active"), "Dogwood": ("applied", "withdrawn"),
                   "Elm": ("offer", "offer")}
    assert report.mapping["Outcome"] == "status (second column)"
    assert "Outcome" not in report.unmapped_columns

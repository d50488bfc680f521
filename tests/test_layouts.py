"""Tests for pipelines.ingest.stage through ingest_file: layout detection and the stored
stage and outcome of each application."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines.errors import MappingError
from pipelines.ingest.importer import ingest_file
from tests.conftest import write_text, write_xlsx

D = dt.date


def stored(con) -> dict[str, tuple]:
    """Company → (stage_reached, outcome) for every stored application."""
    rows = con.execute("SELECT company, stage_reached, outcome FROM applications").fetchall()
    return {company: (stage, outcome) for company, stage, outcome in rows}


def column(con, name: str) -> dict[str, object]:
    """Company → the value of one column of ``applications``."""
    rows = con.execute(f"SELECT company, {name} FROM applications").fetchall()
    return dict(rows)


STATUS_CSV = """Company,Job Title,Date Applied,Status
Acme,Data Analyst,2024-01-05,Rejected after phone screen
Globex,Engineer,2024-01-06,Offer!! 🎉
Initech,Product Manager,2024-01-07,Ghosted 👻
Umbrella,Analyst,2024-01-08,Withdrew after interview
Hooli,Developer,2024-01-09,Final round
Stark,Designer,2024-01-10,abgesagt
Wayne,Researcher,2024-01-11,Need to Apply
"""


def test_status_column_layout(con, tmp_path):
    """A status column is read per row: stage reached and outcome from the free wording;
    a wishlist row is not stored."""
    report = ingest_file(con, write_text(tmp_path, "tracker.csv", STATUS_CSV))
    assert report.layout == "status_column"
    assert stored(con) == {
        "Acme": ("screen", "rejected"), "Globex": ("offer", "offer"),
        "Initech": ("applied", "no_response"), "Umbrella": ("interview", "withdrawn"),
        "Hooli": ("final", "active"), "Stark": ("applied", "rejected")}
    assert column(con, "applied_on")["Acme"] == D(2024, 1, 5)


def test_rejection_keeps_the_furthest_stage(con, tmp_path):
    """'Rejected after phone screen' is stored at stage screen with outcome rejected."""
    ingest_file(con, write_text(tmp_path, "t.csv", "Company,Date Applied,Status\n"
                                "Acme,2024-01-05,Rejected after phone screen\n"))
    assert stored(con) == {"Acme": ("screen", "rejected")}


STAGE_DATES_CSV = """Company,Role,Date Applied,Phone Screen,Interview,Onsite,Offer,Rejected
Acme,Analyst,2024-01-05,2024-01-10,2024-01-20,,,2024-01-25
Globex,Engineer,2024-01-06,2024-01-12,,,,
Initech,PM,2024-01-07,2024-01-13,2024-01-20,2024-02-01,2024-02-10,
Hooli,Developer,2024-01-08,,,,,
Umbrella,Designer,2024-01-09,,,2024-02-03,,
"""


def test_stage_columns_with_dates(con, tmp_path):
    """One date column per stage: the furthest filled stage is reached (gaps do not matter),
    a dated 'Rejected' column sets the outcome and an 'Offer' date means an offer."""
    report = ingest_file(con, write_text(tmp_path, "stages.csv", STAGE_DATES_CSV))
    assert report.layout == "stage_columns"
    assert stored(con) == {
        "Acme": ("interview", "rejected"), "Globex": ("screen", "active"),
        "Initech": ("offer", "offer"), "Hooli": ("applied", "active"),
        "Umbrella": ("final", "active")}
    assert column(con, "applied_on")["Initech"] == D(2024, 1, 7)


def test_stage_columns_with_flags(con, tmp_path):
    """Y/N/1 flags per stage in a workbook: the furthest 'yes' wins, outcome columns
    ('Rejected', 'Ghosted') set the outcome, a 'G' cell means ghosted and, with no status
    column, an explicit 'N' under a later stage means the process stopped: rejected."""
    rows = [["Company", "Job Title", "Date Applied", "Screen", "Interview", "Final",
             "Rejected", "Ghosted"],
            ["Acme", "Analyst", dt.datetime(2024, 1, 5), "Y", "Y", "N", "Y", None],
            ["Globex", "Engineer", dt.datetime(2024, 1, 6), "1", None, None, None, None],
            ["Initech", "PM", dt.datetime(2024, 1, 7), "Y", "N", None, None, None],
            ["Hooli", "Developer", dt.datetime(2024, 1, 8), None, None, None, None, "Y"],
            ["Umbrella", "Designer", dt.datetime(2024, 1, 9), "Y", "G", None, None, None],
            ["Stark", "Researcher", dt.datetime(2024, 1, 10), "Y", "Y", "Y", None, None]]
    report = ingest_file(con, write_xlsx(tmp_path, "flags.xlsx", {"Tracker": rows}))
    assert report.layout == "stage_columns"
    assert stored(con) == {
        "Acme": ("interview", "rejected"), "Globex": ("screen", "active"),
        "Initech": ("screen", "rejected"), "Hooli": ("applied", "no_response"),
        "Umbrella": ("screen", "no_response"), "Stark": ("final", "active")}


def test_explicit_no_without_a_status_column_means_rejected(con, tmp_path):
    """With only stage flags, 'N' under the interview column after a screen is a rejection."""
    ingest_file(con, write_text(tmp_path, "yn.csv", "Company,Date Applied,Phone Screen,"
                                "Interview,Final Round\nAcme,2024-01-05,Y,N,\n"
                                "Globex,2024-01-06,Y,,\n"))
    assert stored(con) == {"Acme": ("screen", "rejected"), "Globex": ("screen", "active")}


def test_explicit_no_with_a_status_column_leaves_the_status_in_charge(con, tmp_path):
    """With a status column, 'N' under a later stage does not override the status."""
    ingest_file(con, write_text(tmp_path, "yns.csv", "Company,Date Applied,Status,"
                                "Phone Screen,Interview\nAcme,2024-01-05,Phone screen,Y,N\n"))
    assert stored(con) == {"Acme": ("screen", "active")}


LINKEDIN = ('Application Date,Company Name,Job Title,Job Url\n'
            '"11/13/23, 9:42 AM",Acme,Data Analyst,https://www.linkedin.com/jobs/view/1\n'
            '"1/2/24, 10:05 PM",Globex,Engineer,https://www.linkedin.com/jobs/view/2\n')
LINKEDIN_RESUME = ('Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,'
                   'Job Url,Resume Name,Question And Answers\n'
                   '"11/13/23, 9:42 AM",a@b.c,,Acme,Data Analyst,'
                   'https://www.linkedin.com/jobs/view/1,cv.pdf,\n')


@pytest.mark.parametrize("text", [LINKEDIN, LINKEDIN_RESUME])
def test_linkedin_export(con, tmp_path, text):
    """LinkedIn's 'Job Applications.csv': every row applied, outcome still active, the
    channel is LinkedIn and '11/13/23, 9:42 AM' is 13 November 2023."""
    report = ingest_file(con, write_text(tmp_path, "Job Applications.csv", text))
    assert report.layout == "linkedin"
    assert stored(con)["Acme"] == ("applied", "active")
    assert column(con, "applied_on")["Acme"] == D(2023, 11, 13)
    assert column(con, "source_channel")["Acme"] == "LinkedIn"
    assert column(con, "job_url")["Acme"] == "https://www.linkedin.com/jobs/view/1"
    if text == LINKEDIN:
        assert column(con, "applied_on")["Globex"] == D(2024, 1, 2)


TRANSITIONS = """Company,Source,Target
Acme,Applied,Phone Screen
,Phone Screen,Interview
,Interview,Rejected
Globex,Applied,No response
Initech,Applied,Phone Screen
,Phone Screen,Onsite
,Onsite,Offer
"""


def test_transitions_with_continuation_rows(con, tmp_path):
    """One row per transition: blank-company rows continue the application above, and the
    path's furthest stage and final outcome are stored."""
    report = ingest_file(con, write_text(tmp_path, "sankey.csv", TRANSITIONS))
    assert report.layout == "transitions"
    assert stored(con) == {"Acme": ("interview", "rejected"),
                           "Globex": ("applied", "no_response"),
                           "Initech": ("offer", "offer")}


def test_transitions_from_to_header(con, tmp_path):
    """A From/To header is a transition list too."""
    text = "Company,From,To\nAcme,Applied,Interview\n,Interview,Final round\n"
    report = ingest_file(con, write_text(tmp_path, "fromto.csv", text))
    assert report.layout == "transitions"
    assert stored(con) == {"Acme": ("final", "active")}


def test_transitions_company_again_is_a_second_application(con, tmp_path):
    """A company named again on its own row starts a second application to it."""
    text = ("Company,Source,Target\nAcme,Applied,Phone Screen\n,Phone Screen,Rejected\n"
            "Globex,Applied,Rejected\nAcme,Applied,Rejected\n")
    ingest_file(con, write_text(tmp_path, "again.csv", text))
    rows = con.execute("SELECT stage_reached, outcome FROM applications WHERE company = 'Acme'"
                       " ORDER BY 1").fetchall()
    assert sorted(rows) == [("applied", "rejected"), ("screen", "rejected")]


NOTION = """Company,Position,Status
Acme,Analyst,"Need to Apply, Applied, Rejected"
Globex,Engineer,"Applied, Phone Screen, Interview"
Initech,PM,Need to Apply
Hooli,Developer,"Applied, Interview 1 -> Scheduled, Interview 1 -> Complete, Rejected"
Umbrella,Designer,"Applied, Onsite, Offer"
"""


def test_multi_status_cells(con, tmp_path):
    """A Notion multi-select status lists several statuses: the furthest stage and the last
    outcome count; a row that only says 'Need to Apply' is not stored."""
    report = ingest_file(con, write_text(tmp_path, "notion.csv", NOTION))
    assert report.layout == "multi_status"
    assert stored(con) == {"Acme": ("applied", "rejected"), "Globex": ("interview", "active"),
                           "Hooli": ("interview", "rejected"), "Umbrella": ("offer", "offer")}


DAYS = """2024-03-04,2024-03-05,2024-03-06
1. Acme (Boston),1. Globex,1. Hooli (Remote)
2. Initech (New York),,
"""


def test_one_column_per_day(con, tmp_path):
    """A header of dates with '1. Acme (Boston)' cells: one application per cell, applied on
    the column's day, the numbering cut and the parenthesis kept as the location."""
    report = ingest_file(con, write_text(tmp_path, "days.csv", DAYS))
    assert report.layout == "date_columns"
    rows = con.execute("SELECT company, location, applied_on, stage_reached, outcome "
                       "FROM applications ORDER BY company").fetchall()
    assert rows == [("Acme", "Boston", D(2024, 3, 4), "applied", "active"),
                    ("Globex", None, D(2024, 3, 5), "applied", "active"),
                    ("Hooli", "Remote", D(2024, 3, 6), "applied", "active"),
                    ("Initech", "New York", D(2024, 3, 4), "applied", "active")]


def test_layout_override(con, tmp_path):
    """layout= overrides detection, is recorded on the import and remembered for the header."""
    path = write_text(tmp_path, "notion.csv", NOTION)
    report = ingest_file(con, path, layout="status_column")
    assert report.layout == "status_column"
    assert con.execute("SELECT layout FROM imports").fetchall() == [("status_column",)]
    assert stored(con)["Hooli"] == ("interview", "rejected")
    again = write_text(tmp_path, "notion2.csv", NOTION.replace("Acme", "Acme Corp"))
    assert ingest_file(con, again).layout == "status_column"


def test_unknown_layout_is_refused(con, tmp_path):
    """An unknown layout name raises MappingError listing the layouts; nothing is stored."""
    with pytest.raises(MappingError, match="stage_columns"):
        ingest_file(con, write_text(tmp_path, "t.csv", STATUS_CSV), layout="pivot")
    assert stored(con) == {}


ODD = "Shop,Gig,Date Applied,Status\n{}\n"


def test_map_override_is_remembered_for_the_same_header(con, tmp_path):
    """A --map override is used, and a later file with the same header maps the same way
    without being told again."""
    first = write_text(tmp_path, "a.csv", ODD.format("Acme,Analyst,2024-01-05,Rejected"))
    with pytest.raises(MappingError):
        ingest_file(con, first)
    report = ingest_file(con, first, overrides={"Shop": "company", "Gig": "job_title"})
    assert report.mapping["Shop"] == "company" and report.mapping["Gig"] == "job_title"
    second = write_text(tmp_path, "b.csv", ODD.format("Globex,Engineer,2024-02-01,Phone screen"))
    again = ingest_file(con, second)
    assert again.mapping == report.mapping
    assert column(con, "job_title") == {"Acme": "Analyst", "Globex": "Engineer"}
    assert stored(con) == {"Acme": ("applied", "rejected"), "Globex": ("screen", "active")}

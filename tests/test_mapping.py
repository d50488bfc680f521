"""Tests for pipelines.ingest.detect.mapping: source columns to canonical fields, checked
against values."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard.cli import parse_overrides
from pipelines.errors import MappingError
from pipelines.ingest.detect.mapping import propose_mapping
from pipelines.ingest.detect.profile import profile_values
from pipelines.ingest.headers import header_score, normalize_header

SYNONYMS = Path(__file__).resolve().parents[1] / "pipelines" / "ingest" / "synonyms.csv"

DATES = ["2024-01-05", "2024-02-11", "3/4/2025", "2024-06-30"]
URLS = ["https://example.com/jobs/1", "https://jobs.example.org/42", "https://x.io/a"]
# Values that fit each field, so the value checks accept the column the header names.
VALUES = {
    "company": ["Acme", "Globex", "Initech"],
    "job_title": ["Data Analyst", "Software Engineer"],
    "applied_on": DATES, "created_on": DATES, "outcome_on": DATES,
    "status": ["Applied", "Rejected", "Interview"],
    "status_history": ["Applied, Interview, Rejected", "Applied -> Offer"],
    "feedback": ["Not enough experience", "Went with another candidate"],
    "notes": ["Great team", "call back Friday"],
    "location": ["Boston", "Berlin"],
    "salary": ["$100k", "90,000 EUR"],
    "source_channel": ["LinkedIn", "Indeed"],
    "referral": ["Jane Doe", "Bob Smith"],
    "contact": ["Jane Doe", "Bob Smith"],
    "org_size": ["500", "10000"],
    "org_type": ["Startup", "Nonprofit"],
    "org_reach": ["Global", "Local"],
    "people_managed": ["12", "3"],
    "budget": ["$2m", "500k"],
    "prep_hours": ["2", "5"],
    "researched": ["Yes", "No"], "insiders_contacted": ["Yes", "No"],
    "questions_prepared": ["Yes", "No"], "feedback_asked": ["Yes", "No"],
    "job_url": URLS,
    "source_ref": ["R-123", "4567"],
    "from_stage": ["Applied", "Phone Screen"],
    "salary_max": ["120000", "95k"],
    "salary_currency": ["USD", "EUR"],
    "to_stage": ["Phone Screen", "Rejected"],
    "ignore": DATES,
}


def _rows() -> list[tuple[str, str]]:
    with SYNONYMS.open(encoding="utf-8") as handle:
        return [(row["header"], row["field"]) for row in csv.DictReader(handle)]


def mapped(columns: dict[str, list[str]], overrides: dict[str, str] | None = None):
    """propose_mapping over columns given as {name: values}, profiled as the pipeline does."""
    profiles = profile_values(columns)
    return propose_mapping(list(columns), profiles, overrides)


# Every shipped synonym (a sample of all of them: every row of the table).
@pytest.mark.parametrize(("header", "field"), _rows())
def test_shipped_synonym_maps_to_its_field(header, field):
    """Each header in synonyms.csv, in any language, maps to its field (or is ignored)."""
    got = mapped({header: VALUES[field]})
    if field == "ignore":
        assert header in got.ignored and not got.fields
    else:
        assert got.fields == {field: header}


@pytest.mark.parametrize(("header", "field"), [
    ("COMPANY_NAME", "company"), ("Company (Name)", "company"), ("Company Name*", "company"),
    ("Job-Title", "job_title"), ("Job Title 🔥", "job_title"), ("POSITION title", "job_title"),
    ("date applied:", "applied_on"), ("Date_Applied", "applied_on"),
    ("Date Applied (MM/DD/YYYY)", "applied_on"), ("Application_Status", "status"),
    ("  Job URL ", "job_url"), ("Link to job posting", "job_url"),
    ("Salary Range ($)", "salary"), ("NOTES:", "notes"), ("Recruiter-Contact", "contact"),
    ("Şirket Adı", "company"), ("İş Ünvanı", "job_title"), ("Başvuru Tarihi", "applied_on"),
    ("公司名称 ", "company"), ("BEWERBUNGSDATUM", "applied_on"),
    ("Fecha de aplicación", "applied_on"), ("Société", "company"),
])
def test_unseen_spelling_maps_to_its_field(header, field):
    """Headers differing from the table in case, punctuation, accents or extra words still map."""
    assert mapped({header: VALUES[field]}).fields == {field: header}


@pytest.mark.parametrize(("raw", "folded"), [
    ("COMPANY_NAME", "company name"), ("Job-Title", "job title"),
    ("date applied:", "date applied"), ("  Status  ", "status"), ("İş Ünvanı", "is unvani"),
    ("Şirket Adı", "sirket adi"), ("Rückmeldung am", "ruckmeldung am"), ("公司名称", "公司名称"),
    ("Company Website (url)", "company website url"), (42, "42"),
])
def test_normalize_header_folds(raw, folded):
    """normalize_header lower-cases, drops accents and turns punctuation into single spaces."""
    assert normalize_header(raw) == folded


TRAPS = ["Date Posted", "Deadline", "Follow-up date", "Interview Date", "Posting Date",
         "Application Deadline"]


@pytest.mark.parametrize("trap", TRAPS)
def test_other_dates_never_become_date_applied(trap):
    """A date column that is not the application date is not taken as applied_on, even
    when the file has no date-applied column."""
    got = mapped({"Company": VALUES["company"], "Status": VALUES["status"], trap: DATES})
    assert "applied_on" not in got.fields and "outcome_on" not in got.fields
    assert trap in got.ignored


def test_traps_in_a_full_header():
    """In a realistic header, posted/deadline/follow-up dates, STATE and the company website
    are left out; CITY is the location and the real columns keep their fields."""
    got = mapped({"Company": VALUES["company"], "Job Title": VALUES["job_title"],
                  "Date Posted": DATES, "Deadline": DATES, "Follow-up date": DATES,
                  "CITY": ["Austin", "Denver"], "STATE": ["TX", "CO"],
                  "Company Website (url)": URLS, "Status": VALUES["status"],
                  "Date Applied": DATES})
    assert got.fields == {"company": "Company", "job_title": "Job Title", "location": "CITY",
                          "status": "Status", "applied_on": "Date Applied"}
    assert set(got.ignored) == {"Date Posted", "Deadline", "Follow-up date", "STATE",
                                "Company Website (url)"}


def test_company_website_is_not_the_job_url():
    """A column of company websites is not taken as the job URL, even when none exists."""
    got = mapped({"Company": VALUES["company"], "Company Website (url)": URLS})
    assert "job_url" not in got.fields


def test_state_beside_city_is_not_the_location():
    """'STATE' next to 'CITY' is left out; the city is the location."""
    got = mapped({"CITY": ["Austin"], "STATE": ["TX"], "Company": ["Acme"]})
    assert got.fields["location"] == "CITY" and "STATE" not in got.fields.values()


@pytest.mark.parametrize("values", [
    ["LinkedIn", "Indeed", "Referral"], ["ASAP", "soon", "next week"],
])
def test_date_applied_without_dates_is_not_applied_on(values):
    """A 'Date Applied' column whose values are not dates is not used as the date applied."""
    got = mapped({"Company": VALUES["company"], "Date Applied": values})
    assert got.fields.get("applied_on") != "Date Applied"


def test_date_applied_with_yes_no_is_an_applied_stage_column():
    """A 'Date Applied' column of yes/no flags says whether it was applied: a stage column."""
    got = mapped({"Company": VALUES["company"], "Date Applied": ["Yes", "No", "yes"]})
    assert "applied_on" not in got.fields
    assert got.stage_columns == {"Date Applied": ("applied", None)}


@pytest.mark.parametrize(("column", "values", "stage"), [
    ("Phone Screen", ["Yes", "No", "yes"], "screen"),
    ("Phone Screen", DATES, "screen"),
    ("Onsite", ["1", "0", "1"], "final"),
    ("Onsite", ["Y", "N"], "final"),
    ("1st Interview", DATES, "interview"),
    ("1st Interview", ["x", "X"], "interview"),
    ("Final Round", ["TRUE", "FALSE"], "final"),
    ("Offer", DATES, "offer"),
])
def test_stage_named_column_with_flags_or_dates_is_a_stage_column(column, values, stage):
    """A column named like a stage holding yes/no, 1/0, x or dates is that stage's column."""
    got = mapped({"Company": VALUES["company"], column: values})
    assert got.stage_columns[column][0] == stage
    assert column not in got.fields.values()


def test_applied_column_with_dates_is_the_date_applied():
    """An 'Applied' column of dates is the date applied; of yes/no flags, the applied stage."""
    assert mapped({"Company": ["Acme"], "Applied": DATES}).fields["applied_on"] == "Applied"
    flags = mapped({"Company": ["Acme"], "Applied": ["Yes", "No"]})
    assert "applied_on" not in flags.fields
    assert flags.stage_columns == {"Applied": ("applied", None)}


def test_stage_named_column_of_notes_is_not_a_stage_column():
    """A column named like a stage but holding prose is not read as stage flags."""
    got = mapped({"Company": ["Acme", "Globex"],
                  "Phone Screen": ["talked to Jane about salary", "she liked my portfolio"]})
    assert not got.stage_columns


@pytest.mark.parametrize(("column", "outcome"), [
    ("Rejected", "rejected"), ("Ghosted", "no_response"), ("Withdrawn", "withdrawn"),
])
def test_outcome_named_column_with_flags_is_an_outcome_column(column, outcome):
    """A 'Rejected'/'Ghosted'/'Withdrawn' column of flags says the outcome, not a stage."""
    got = mapped({"Company": VALUES["company"], column: ["Y", "N", "y"]})
    assert got.stage_columns == {column: (None, outcome)}


@pytest.mark.parametrize("header", ["Status", "Application Status", "Stage", "Current Status"])
def test_status_with_free_text_stays_the_status(header):
    """A status column of free wording is the status field, never a stage column."""
    got = mapped({"Company": VALUES["company"],
                  header: ["Rejected after 2nd interview", "Ghosted 👻", "Phone screen",
                           "Offer!! 🎉", "waiting on Bob"]})
    assert got.fields["status"] == header and not got.stage_columns


@pytest.mark.parametrize(("columns", "field", "winner", "loser"), [
    (["Company", "Employer"], "company", "Company", "Employer"),
    (["Employer", "Company"], "company", "Company", "Employer"),
    (["Date Applied", "Date"], "applied_on", "Date Applied", "Date"),
    (["Date", "Date Applied"], "applied_on", "Date Applied", "Date"),
    (["Position", "Job Title"], "job_title", "Job Title", "Position"),
])
def test_two_columns_for_one_field_the_better_ranked_wins(columns, field, winner, loser):
    """When two columns name one field, the better synonym wins wherever it stands and the
    other is reported unmapped."""
    got = mapped({name: VALUES[field] for name in columns})
    assert got.fields == {field: winner}
    assert got.unmapped == [loser]


def test_override_maps_an_unknown_column():
    """An override maps a column no synonym knows."""
    got = mapped({"Gig": ["Analyst"], "Company": ["Acme"]}, {"Gig": "job_title"})
    assert got.fields == {"job_title": "Gig", "company": "Company"} and not got.unmapped


def test_override_displaces_the_automatic_choice():
    """An override wins over the synonym choice; the displaced column is reported unmapped."""
    got = mapped({"Company": VALUES["company"], "Employer": VALUES["company"]},
                 {"Employer": "company"})
    assert got.fields == {"company": "Employer"} and got.unmapped == ["Company"]


def test_override_moves_a_column_to_another_field():
    """Overriding a mapped column to another field frees its old field and takes the new one."""
    got = mapped({"Company": ["Acme"], "Title": ["Analyst"]}, {"Company": "job_title"})
    assert got.fields == {"job_title": "Company"} and got.unmapped == ["Title"]


def test_override_ignore_and_stage():
    """'ignore' leaves a column out; 'stage:<stage>' and 'outcome:<outcome>' make stage columns."""
    got = mapped({"Company": ["Acme"], "Notes": ["hi"], "Tech Exam": ["Yes"],
                  "Bounced": ["Y"]},
                 {"Notes": "ignore", "Tech Exam": "stage:screen", "Bounced": "outcome:rejected"})
    assert got.ignored == ["Notes"] and "notes" not in got.fields
    assert got.stage_columns == {"Tech Exam": ("screen", None), "Bounced": (None, "rejected")}
    assert got.as_dict()["Tech Exam"] == "stage:screen"


def test_override_column_name_is_matched_loosely():
    """An override naming a column in another case or punctuation still finds it."""
    got = mapped({"Role Name": ["Analyst"], "Org": ["Acme"]}, {"role-name": "notes"})
    assert got.fields["notes"] == "Role Name" and "job_title" not in got.fields


def test_override_of_missing_column_lists_the_columns():
    """An override naming a column the file lacks raises MappingError listing the columns."""
    with pytest.raises(MappingError) as info:
        mapped({"Company": ["Acme"], "Job Title": ["Analyst"]}, {"Role": "job_title"})
    message = str(info.value)
    assert "'Role'" in message and "'Company'" in message and "'Job Title'" in message


@pytest.mark.parametrize("field", ["employer", "stage:phone", "outcome:active", ""])
def test_override_with_unknown_field_raises(field):
    """An override to a field that does not exist raises MappingError naming it."""
    with pytest.raises(MappingError, match="unknown field"):
        mapped({"Company": ["Acme"]}, {"Company": field})


def test_parse_overrides():
    """'Column=field' pairs parse into a dict; the last '=' splits, spaces are trimmed."""
    assert parse_overrides(["Role name = job_title", "a=b=notes", "Tech Exam=stage:screen"]) \
        == {"Role name": "job_title", "a=b": "notes", "Tech Exam": "stage:screen"}


@pytest.mark.parametrize("pair", ["Role name", "=job_title", "Role name=", " = "])
def test_parse_overrides_rejects_malformed_pairs(pair):
    """A --map pair without a column, an '=' or a field raises MappingError quoting it."""
    with pytest.raises(MappingError, match="not of the form"):
        parse_overrides([pair])


def test_header_score_prefers_the_header_row_to_the_title_row():
    """A real header row scores above a title row and above a data row."""
    title = header_score(["My Job Search 2024", None, None, None])
    header = header_score(["Company", "Job Title", "Date Applied", "Status"])
    data = header_score(["Acme", "Data Analyst", "2024-01-05", "Rejected"])
    assert header == 4 and title == 0 and data == 0


def test_header_score_prefers_the_header_to_a_row_of_ticks():
    """A header outscores a data row that ticks hundreds of stage columns ('x' in each): the
    ticks name one stage, not three hundred."""
    header = ["Company", "Job Title", "Status"] + [f"Extra {i}" for i in range(300)]
    ticks = ["Acme", "Analyst", "Rejected"] + ["x"] * 300
    assert header_score(header) == 3 and header_score(ticks) < 3


def test_header_score_prefers_a_transition_header_to_its_first_row():
    """A 'Company, From, To' header outscores its first data row ('Acme, Applied, Interview')."""
    assert header_score(["Company", "From", "To"]) > header_score(["Acme", "Applied",
                                                                   "Interview"])


def test_header_score_counts_stage_columns():
    """Columns named like stages add to the score of a header of stage columns."""
    plain = header_score(["Company", "Role"])
    staged = header_score(["Company", "Role", "Phone Screen", "Onsite", "Offer"])
    assert staged > plain > 0


def test_header_score_ignores_long_cells_and_single_hits():
    """A row with only one known name, or whose cells are long sentences, is not a header."""
    assert header_score(["Status", "of my applications this year"]) == 0
    long_cell = "Company " + "x" * 80
    assert header_score([long_cell, "Notes"]) == 0

"""Trackers shaped like other apps and languages: the behaviours found by importing files
the product had never seen (Huntr, Trello, Airtable, Teal, European and Japanese sheets)."""

from __future__ import annotations

import pytest

from pipelines.ingest.importer import ingest_file
from tests.conftest import applications, write_text, write_xlsx


def _rows(con, *columns: str) -> list[tuple]:
    return [tuple(row[c] for c in columns) for row in applications(con)]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def test_ambiguous_day_first_dates_follow_the_files_language(con, tmp_path):
    """French headers and semicolons mean 03/02/2025 is 3 February, and the report says the
    order was assumed."""
    text = ("Entreprise;Poste;Date de candidature;Statut\n"
            "Capgemini;Chef de projet;03/02/2025;Refusé\n"
            "Orange;Consultant;10/02/2025;Sans réponse\n")
    report = ingest_file(con, write_text(tmp_path, "c.csv", text))
    assert [_iso(d) for (d,) in _rows(con, "applied_on")] == ["2025-02-03", "2025-02-10"]
    assert report.date_order == "day first (assumed from the file's language and separators)"


def test_one_proving_date_fixes_the_order_for_every_date_column(con, tmp_path):
    """A single 25/03/2025 in the outcome column proves day-first for the applied dates too."""
    text = ("Company,Job Title,Date Applied,Response Date,Status\n"
            "Acme,Analyst,03/02/2025,25/03/2025,Rejected\n")
    report = ingest_file(con, write_text(tmp_path, "d.csv", text))
    assert _rows(con, "applied_on")[0][0].isoformat() == "2025-02-03"
    assert report.date_order == "day first (proved by the dates)"


@pytest.mark.parametrize(("dayfirst", "expected"), [(True, "2025-02-03"), (False, "2025-03-02")])
def test_the_user_can_choose_the_date_order(con, tmp_path, dayfirst, expected):
    """--dates dmy / mdy (dayfirst=True/False) decides ambiguous dates."""
    text = "Company,Job Title,Date Applied,Status\nAcme,Analyst,03/02/2025,Applied\n"
    ingest_file(con, write_text(tmp_path, "e.csv", text), dayfirst=dayfirst)
    assert _rows(con, "applied_on")[0][0].isoformat() == expected


def test_serials_as_text_and_dates_without_a_year_are_read(con, tmp_path):
    """'45721' in a date column is an Excel serial (2025-03-05: 45658 is 1 Jan 2025);
    'Mar 10' takes the column's year."""
    text = ("Company,Job Title,Date Applied,Status\n"
            "Acme,Engineer,45721,Rejected\nGlobex,Analyst,Mar 10,Applied\n"
            "Initech,Developer,2025-03-12,Applied\n")
    report = ingest_file(con, write_text(tmp_path, "f.csv", text))
    assert sorted(_iso(d) for (d,) in _rows(con, "applied_on")) == [
        "2025-03-05", "2025-03-10", "2025-03-12"]
    assert report.unparsed_dates == {}


def test_unnamed_status_column_is_found_by_its_values(con, tmp_path):
    """Huntr's 'List' column holds the stages; with no status column named, it is used."""
    text = ("Title,Company,List,Date Applied\n"
            "Data Analyst,Acme,Rejected,2025-01-06\nEngineer,Globex,Interview,2025-01-07\n"
            "Designer,Hooli,Wishlist,\n")
    report = ingest_file(con, write_text(tmp_path, "huntr.csv", text))
    assert _rows(con, "company", "stage_reached", "outcome") == [
        ("Acme", "applied", "rejected"), ("Globex", "interview", "active")]
    assert report.skipped == {"not applied yet (wishlist status)": 1}


def test_missing_status_column_is_reported(con, tmp_path):
    """A tracker with no status at all loads, and the report says outcomes are unknown."""
    text = "Company,Job Title,Date Applied\nAcme,Analyst,2025-01-06\n"
    report = ingest_file(con, write_text(tmp_path, "g.csv", text))
    assert report.warnings and "no status column" in report.warnings[0]


def test_company_and_role_in_one_cell_are_split(con, tmp_path):
    """Trello's 'Card Name' ('Stripe – Backend Engineer', 'Data Analyst @ Plaid') feeds both
    company and title, and its 'List Name' is the status."""
    text = ("Card ID,Card Name,List Name,Last Activity Date,Checklist Item Completed Count\n"
            "1,Stripe – Backend Engineer,Applied,2025-02-03,0\n"
            "2,Data Analyst @ Plaid,Phone Screen,2025-02-05,1\n")
    ingest_file(con, write_text(tmp_path, "trello.csv", text))
    assert _rows(con, "company", "job_title", "stage_reached", "applied_on") == [
        ("Plaid", "Data Analyst", "screen", None), ("Stripe", "Backend Engineer", "applied",
                                                    None)]


def test_header_is_not_taken_from_a_data_row_full_of_status_words(con, tmp_path):
    """A header of unusual names stays the header even when a later row says
    'Applied' and 'Interview'."""
    text = ("Organisation Name,Role Applied For,Where,Progress\n"
            "Acme,Analyst,Boston,Applied\nGlobex,Interview,Berlin,Interview\n")
    report = ingest_file(con, write_text(tmp_path, "h.csv", text))
    assert report.header_row == 1 and report.applications_loaded == 2


def test_name_beside_a_company_column_is_the_role(con, tmp_path):
    """Airtable's primary 'Name' field holds the role when a Company column exists."""
    text = "Name,Company,Stage,Applied on\nData Analyst,Wayfair,Applied,2025-03-04\n"
    ingest_file(con, write_text(tmp_path, "air.csv", text))
    assert _rows(con, "company", "job_title") == [("Wayfair", "Data Analyst")]


def test_salary_spread_over_min_max_and_currency_columns(con, tmp_path):
    """Teal's Min Salary, Max Salary and Salary Currency make one range."""
    text = ("Company,Job Position,Status,Date Applied,Min Salary,Max Salary,Salary Currency\n"
            "Acme,Analyst,Applied,2025-01-06,80000,95000,EUR\n")
    ingest_file(con, write_text(tmp_path, "teal.csv", text))
    assert _rows(con, "salary_min", "salary_max", "salary_currency") == [(80000.0, 95000.0,
                                                                          "EUR")]


def test_linkedin_contact_columns_are_the_applicants_own(con, tmp_path):
    """In LinkedIn's export, Contact Email is the applicant's own address: not a contact."""
    text = ("Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,"
            "Job Url\n\"3/4/25, 9:42 AM\",me@example.com,555,Acme,Analyst,https://x.test/1\n")
    report = ingest_file(con, write_text(tmp_path, "Job Applications.csv", text))
    assert report.layout == "linkedin"
    assert _rows(con, "contact") == [(None,)]


def test_same_role_in_two_places_on_one_day_is_two_applications(con, tmp_path):
    """Two locations for one title on one day are different postings, not duplicates."""
    text = ("Company,Job Title,Location,Date Applied,Status\n"
            "Amazon,SDE,Seattle,2025-01-06,Rejected\nAmazon,SDE,Austin,2025-01-06,Interview\n")
    ingest_file(con, write_text(tmp_path, "i.csv", text))
    assert sorted(_rows(con, "location", "outcome")) == [("Austin", "active"),
                                                         ("Seattle", "rejected")]


def test_retitled_role_with_gender_tag_updates_the_same_application(con, tmp_path):
    """'Product Owner' later written 'Product Owner (H/F)' is the same application."""
    first = "Company,Job Title,Date Applied,Status\nDecathlon,Product Owner,2025-02-05,Interview\n"
    ingest_file(con, write_text(tmp_path, "v1.csv", first))
    second = first.replace("Product Owner,", "Product Owner (H/F),").replace("Interview",
                                                                            "Rejected")
    report = ingest_file(con, write_text(tmp_path, "v2.csv", second))
    assert (report.applications_new, report.applications_updated) == (0, 1)


def test_open_application_has_no_outcome_date(con, tmp_path):
    """'Last Updated' on an application still open is not an outcome date."""
    text = ("Company,Job Title,Date Applied,Last Updated,Status\n"
            "Acme,Analyst,2025-01-06,2025-01-20,Interview\n"
            "Globex,Engineer,2025-01-07,2025-01-21,Rejected\n")
    ingest_file(con, write_text(tmp_path, "j.csv", text))
    assert [(c, _iso(d)) for c, d in _rows(con, "company", "outcome_on")] == [
        ("Acme", None), ("Globex", "2025-01-21")]


def test_japanese_tracker(con, tmp_path):
    """Japanese headers and statuses (書類選考中, 一次面接, 不採用, 内定) are understood."""
    rows = [["会社名", "職種", "応募日", "ステータス"],
            ["A社", "エンジニア", "2025-01-06", "書類選考中"],
            ["B社", "データ分析", "2025-01-07", "一次面接"],
            ["C社", "PM", "2025-01-08", "不採用"], ["D社", "SE", "2025-01-09", "内定"]]
    ingest_file(con, write_xlsx(tmp_path, "oubo.xlsx", {"応募管理": rows}))
    assert _rows(con, "company", "stage_reached", "outcome") == [
        ("A社", "applied", "active"), ("B社", "interview", "active"),
        ("C社", "applied", "rejected"), ("D社", "offer", "offer")]

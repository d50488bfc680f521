"""Scope and effective level: the model's order on pairs a recruiter would agree on, its
shape, the scope read from trackers, and the levels kept up to date after imports, scope
edits and profile changes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.derive.scope import MODEL, effective_level
from pipelines.derive.titles import read_title
from pipelines.edits.corrections import save_profile, save_scope
from pipelines.edits.demo import load_demo
from pipelines.edits.imports import remove_import
from pipelines.ingest.importer import ingest_file
from pipelines.normalize.sizes import parse_amount, parse_org_size, parse_org_type, parse_reach
from tests.conftest import write_text

PAIRS = Path(__file__).parent / "data" / "scope_pairs.csv"


def _effective(title: str, size: float | None) -> float:
    return effective_level(read_title(title).level, size)


def test_the_nonprofit_vp_ranks_below_the_corporate_director():
    """The issue's case: VP of a 14-person nonprofit < director of a 42,000-person company."""
    assert _effective("VP of Communications", 14) < _effective("Director of Communications",
                                                               42000)


def test_every_labelled_pair_is_in_order():
    """Each pair in scope_pairs.csv (written for the tests: a recruiter would agree the second
    role holds more) comes out in that order."""
    pairs = pd.read_csv(PAIRS)
    assert len(pairs) >= 25
    wrong = [(r.lower_title, r.lower_org_size, r.higher_title, r.higher_org_size)
             for r in pairs.itertuples()
             if not _effective(r.lower_title, r.lower_org_size)
             < _effective(r.higher_title, r.higher_org_size)]
    assert wrong == []


@pytest.mark.parametrize("size", [5, 80, 1000, 30000])
def test_effective_level_increases_with_title_level(size):
    """At any organisation size, a higher title level has a higher effective level."""
    levels = [effective_level(level, size) for level in range(1, 13)]
    assert levels == sorted(levels) and len(set(levels)) == 12


@pytest.mark.parametrize("level", [2, 6, 10, 12])
def test_effective_level_increases_with_size_and_reach(level):
    """The same title ranks higher at a larger organisation and with wider reach."""
    sizes = [effective_level(level, size) for size in (3, 30, 300, 3000, 30000)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 5
    reaches = [effective_level(level, 500, reach)
               for reach in ("local", "regional", "national", "global")]
    assert reaches == sorted(reaches) and len(set(reaches)) == 4


def test_unknown_scope_leaves_the_title_level():
    """With no size, reach or team known, the effective level is the title level; an
    organisation of the reference size changes nothing either."""
    assert effective_level(8) == 8
    assert effective_level(8, MODEL.reference_size, "national") == 8
    assert effective_level(None, 5000) is None


def test_model_by_hand():
    """Director (8) at 10,000: 8 + 0.15×7×log10(10) = 9.05; VP (10) at 100 with a local
    reach: 10 + 1.35×(−1) + 1.35×(−0.5) = 7.975, stored to 2 places."""
    assert effective_level(8, 10000) == pytest.approx(9.05)
    assert effective_level(10, 100, "local") == pytest.approx(7.98, abs=0.006)


@pytest.mark.parametrize(("text", "size"), [
    ("14", 14), ("42,000", 42000), ("1-10", 6), ("10k+", 10000), ("5000+", 5000),
    ("small", 25), ("Enterprise", 10000), ("n/a", None)])
def test_organisation_sizes_in_any_form(text, size):
    """Sizes as numbers, ranges, suffixes and words."""
    assert parse_org_size(pd.Series([text], dtype=object)) == [size]


def test_organisation_type_reach_and_amounts():
    """Type, reach and counts are read from the words trackers use."""
    types = parse_org_type(pd.Series(["Start-up (Series A)", "Charity", "City council",
                                      "Acme GmbH", "???"], dtype=object))
    assert types == ["startup", "nonprofit", "public_sector", "company", None]
    assert parse_reach(pd.Series(["Worldwide", "national", "local", "-"], dtype=object)) == [
        "global", "national", "local", None]
    assert parse_amount(pd.Series(["~40 people", "$2.5m", "3-5", "none"], dtype=object)) == [
        40, 2_500_000, 4, None]


TRACKER = ("Company,Job Title,Date Applied,Status,Company Size,Org Type,Reach,Direct reports\n"
           "Bigco,Director of Communications,2025-03-04,Rejected,\"10,000\",Corporate,,\n"
           "Tiny Charity,Vice President,2025-03-05,Interview,100,Nonprofit,Local,\n"
           "Mystery,President,2025-03-06,Applied,,,,\n"
           "Midco,Communications Manager,2025-03-07,Applied,1000,,National,10\n")


def _levels(con) -> dict[str, tuple]:
    rows = con.execute("SELECT company, title_level, org_size, org_type, org_reach, "
                       "effective_level, stretch FROM applications_view").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_import_fills_levels_and_scope(con, tmp_path):
    """An import reads size, type, reach and team from the tracker and fills title level and
    effective level (by hand: 8 + 1.05×1 = 9.05; 10 + 1.35×(−1 − 0.5) = 7.975)."""
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    levels = _levels(con)
    assert levels["Bigco"][:3] == (8, 10000, "company")
    assert levels["Bigco"][4] == pytest.approx(9.05)
    assert levels["Tiny Charity"][1:4] == (100, "nonprofit", "local")
    assert levels["Tiny Charity"][4] == pytest.approx(7.98, abs=0.006)
    assert levels["Mystery"][4] == pytest.approx(12)  # a president, size unknown: title level
    assert levels["Midco"][4] == pytest.approx(6)     # reference size, national, 10 reports
    assert all(v[5] is None for v in levels.values())  # no profile yet: no stretch


def test_profile_sets_stretch_and_scope_edits_survive_reimport(con, tmp_path):
    """Stretch is the role's effective level minus the candidate's; a scope the user set
    wins over the tracker's and is still there after the tracker is imported again."""
    path = write_text(tmp_path, "t.csv", TRACKER)
    ingest_file(con, path)
    save_profile(con, current_title="Communications Manager", org_size=1000)
    assert _levels(con)["Bigco"][5] == pytest.approx(3.05)  # 9.05 − 6
    bigco = con.execute("SELECT application_id FROM applications WHERE company = 'Bigco'"
                        ).fetchall()[0][0]
    save_scope(con, bigco, org_size=100)
    assert _levels(con)["Bigco"][4] == pytest.approx(6.95)  # 8 − 1.05
    ingest_file(con, write_text(tmp_path, "t2.csv", TRACKER + "New,Analyst,2025-04-01,"
                                "Applied,,,,\n"))
    assert _levels(con)["Bigco"][1] == 100 and _levels(con)["Bigco"][5] == pytest.approx(0.95)
    save_scope(con, bigco, org_size=None)  # cleared: the tracker's size shows again
    assert _levels(con)["Bigco"][1] == 10000


@pytest.mark.parametrize(("field", "value"), [
    ("title_level", 13), ("org_size", -5), ("org_type", "cult"), ("org_reach", "galactic"),
    ("people_managed", "many"), ("shoe_size", 9)])
def test_bad_scope_values_are_refused_and_change_nothing(con, tmp_path, field, value):
    """A scope value out of range or of the wrong kind is refused in words; nothing is
    stored."""
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    some = con.execute("SELECT application_id FROM applications LIMIT 1").fetchall()[0][0]
    with pytest.raises(ValueError):
        save_scope(con, some, **{field: value})
    with pytest.raises(ValueError):
        save_profile(con, **{field: value})
    assert con.execute("SELECT count(*) FROM scope_edits").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM candidate_profile").fetchall()[0][0] == 0


def test_demo_profile_comes_and_goes_with_the_demo(con):
    """The demo sets Dana's profile only when the user has none, and clearing the demo
    removes it; a profile the user set is never replaced or removed."""
    report = load_demo(con)
    assert con.execute("SELECT current_title, org_size FROM candidate_profile").fetchall() == [
        ("VP of Communications", 35)]
    assert con.execute("SELECT count(*) FROM applications WHERE stretch IS NOT NULL"
                       ).fetchall()[0][0] > 100
    remove_import(con, report.import_id)
    assert con.execute("SELECT count(*) FROM candidate_profile").fetchall()[0][0] == 0
    save_profile(con, current_title="Analyst")
    report = load_demo(con)
    remove_import(con, report.import_id)
    assert con.execute("SELECT current_title FROM candidate_profile").fetchall() == [
        ("Analyst",)]


@pytest.mark.parametrize(("text", "size"), [
    ("1.500", 1500), ("über 10.000", 10000), ("c. 300", 300), ("2.5k", 2500),
    ("10 mil", 10000), ("250 bis 500", 375), ("FTSE 100", 50000), ("Fortune 500-ish", 50000),
    ("Mittelstand", 250), ("a few hundred", 300), ("Großunternehmen", 5000)])
def test_sizes_in_european_notation_indexes_and_words(text, size):
    """Dots as thousands, words for thousand, ranges in other languages, stock indexes (not
    read as a head count) and vague words."""
    assert parse_org_size(pd.Series([text], dtype=object)) == [size]


def test_types_and_reach_in_other_languages_and_places():
    """Public bodies win over 'company' words; a country is national, two are global, a city
    is local."""
    types = parse_org_type(pd.Series(["kommunales Unternehmen", "Empresa pública", "Stiftung",
                                      "Konzern", "Public company"], dtype=object))
    assert types == ["public_sector", "public_sector", "nonprofit", "company", "company"]
    reach = parse_reach(pd.Series(["UK-wide", "UK & Ireland", "London only", "Bayern", "DACH",
                                   "England & Wales"], dtype=object))
    assert reach == ["national", "global", "local", "regional", "global", "national"]


def test_people_managed_is_not_a_range_of_two_unrelated_numbers():
    """'4 (2 senior)' manages four people; '3-5' is a range."""
    assert parse_amount(pd.Series(["4 (2 senior)", "3-5"], dtype=object)) == [4, 4]


def test_scope_headers_said_in_many_ways_are_mapped(con, tmp_path):
    """Headers such as 'Company size (employees)', 'Type of organisation', 'Remit' and 'Team
    I'd manage' feed the scope fields; values no rule reads are reported, not guessed."""
    text = ("Role,Org,Company size (employees),Type of organisation,Remit,Team I'd manage,"
            "Status,Applied\n"
            "Head of Design,Acme,c. 300,Start-up,UK-wide,4 (2 senior),Rejected,2025-02-03\n"
            "Senior Designer,Globex,a few dozen,Charity,London,0,Applied,2025-02-05\n"
            "Designer,Initech,dunno,,,,Applied,2025-02-06\n")
    report = ingest_file(con, write_text(tmp_path, "t.csv", text))
    assert report.mapping["Company size (employees)"] == "org_size"
    assert report.mapping["Remit"] == "org_reach"
    rows = con.execute("SELECT company, org_size, org_type, org_reach, people_managed "
                       "FROM applications_view ORDER BY company").fetchall()
    assert rows == [("Acme", 300, "startup", "national", 4),
                    ("Globex", 40, "nonprofit", "local", 0), ("Initech", None, None, None, None)]
    assert any(w.startswith("organisation size not understood") and "'dunno'" in w
               for w in report.warnings)


def test_title_words_are_stored_and_filled_in_an_older_database(tmp_path):
    """The words that set a title's level are stored with the application (what the Scope
    fit table shows as 'read as'); a database from before they were stored gets them at the
    next start's refresh (opening it only marks them stale)."""
    from pipelines.derive.refresh import refresh_stale
    from pipelines.store.db import connect

    path = tmp_path / "old.duckdb"
    con = connect(path)
    ingest_file(con, write_text(tmp_path, "t.csv", (
        "Company,Job Title,Date Applied,Status\n"
        "Acme,Senior Director of Communications,2025-03-04,Rejected\n"
        "Beta,Snr Data Analyst,2025-03-05,Applied\n")))
    stored = dict(con.execute("SELECT company, title_words FROM applications").fetchall())
    assert stored == {"Acme": "senior director", "Beta": "senior analyst"}  # Snr spelt out
    con.execute("UPDATE applications SET title_words = NULL")
    con.execute("DELETE FROM schema_migrations")  # as a database of the version before
    con.close()
    con = connect(path)
    try:
        assert refresh_stale(con) == ["scope"]
        assert dict(con.execute("SELECT company, title_words FROM applications").fetchall()
                    ) == stored
    finally:
        con.close()

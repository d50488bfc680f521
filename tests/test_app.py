"""The dashboard's pages, run headless with Streamlit's AppTest: with the demo data, with an
empty database, an upload through the file uploader, and an edit that survives a re-import."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import embeddings
from pipelines.db import connect

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["views/overview.py", "views/stages.py", "views/themes.py", "views/applications.py",
         "views/import_data.py"]
TRACKER = ("Company,Job Title,Date Applied,Status\n"
           "Acme,Data Analyst,2025-03-04,Rejected after phone screen\n"
           "Globex,Engineer,2025-03-05,Ghosted\n"
           "Initech,Product Manager,2025-03-09,Offer!\n")


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("SILVERLINING_DB", str(path))
    return path


@pytest.fixture
def empty_database(database) -> Path:
    """A database whose first start already happened and whose demo data was cleared."""
    con = connect(database)
    con.execute("INSERT INTO app_state VALUES ('started', 'earlier')")
    con.close()
    return database


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def _stored(path: Path, sql: str) -> list[tuple]:
    con = connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_first_start_loads_the_demo_data_and_says_so(database):
    """An empty database on first start shows the demo tracker, marked as demo data."""
    at = _app()
    assert not at.exception
    assert at.metric[0].value == "150"  # the first row counts every application shown
    assert any("demo data" in info.value for info in at.info)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_demo_data(database, page):
    """Each page renders with the sample data and raises nothing."""
    at = _app(page)
    assert not at.exception, at.exception


def test_stages_page_draws_its_charts(database):
    """The rejection-stages page shows the Sankey, funnel, rejections, days and segments."""
    at = _app("views/stages.py")
    charts = at.get("plotly_chart")
    assert len(charts) == 5


@pytest.mark.parametrize("page", PAGES[:4])
def test_pages_explain_an_empty_database(empty_database, page):
    """With nothing imported, a page says what to do instead of drawing empty charts."""
    at = _app(page)
    assert not at.exception
    assert any("Import" in info.value or "Applications" in info.value for info in at.info)
    assert not at.get("plotly_chart")


def test_clearing_the_demo_data_empties_the_database(database):
    """The banner's button removes the demo import in one click."""
    at = _app()
    at.button(key="clear_demo").click().run()
    assert not at.exception
    assert _stored(database, "SELECT count(*) FROM applications") == [(0,)]


def test_upload_through_the_file_uploader_imports_the_tracker(empty_database):
    """A CSV dropped in the uploader is previewed, then imported with a report."""
    at = _app("views/import_data.py")
    at.get("file_uploader")[0].set_value(("mine.csv", TRACKER.encode(), "text/csv")).run()
    assert not at.exception
    import_button = next(b for b in at.button if b.label == "Import mine.csv")
    import_button.click().run()
    assert not at.exception
    assert any("3 applications" in s.value for s in at.success)
    assert _stored(empty_database, "SELECT count(*) FROM applications") == [(3,)]


def test_bad_upload_shows_one_clear_error_and_changes_nothing(database):
    """An empty file gets an error message on the page, not a traceback; data stays."""
    at = _app("views/import_data.py")
    before = _stored(database, "SELECT count(*) FROM applications")
    at.get("file_uploader")[0].set_value(("empty.csv", b"", "text/csv")).run()
    assert not at.exception
    assert any("cannot be imported" in e.value and "empty" in e.value for e in at.error)
    assert _stored(database, "SELECT count(*) FROM applications") == before


def test_edit_in_the_table_survives_a_reimport(empty_database, tmp_path):
    """A note and an outcome changed in the Applications table stay after the tracker is
    imported again in an updated version."""
    from pipelines.ingest import ingest_file

    first = tmp_path / "t.csv"
    first.write_text(TRACKER)
    con = connect(empty_database)
    ingest_file(con, first)
    con.close()
    at = _app("views/applications.py")
    at.session_state["applications_editor"] = {
        "edited_rows": {0: {"notes": "asked for feedback", "outcome": "rejected"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_edits").click().run()
    assert not at.exception
    edited = _stored(empty_database, "SELECT company, notes, outcome FROM applications_view "
                                     "WHERE edited")
    assert len(edited) == 1 and edited[0][1] == "asked for feedback"
    company = edited[0][0]
    second = tmp_path / "t2.csv"
    second.write_text(TRACKER.replace("Ghosted", "Rejected").replace(
        "Offer!", "Offer accepted") + "Umbrella,Analyst,2025-04-01,Applied\n")
    con = connect(empty_database)
    ingest_file(con, second)
    con.close()
    assert _stored(empty_database, "SELECT notes, outcome FROM applications_view "
                                   f"WHERE company = '{company}'") == [
        ("asked for feedback", "rejected")]


def test_filters_are_mirrored_to_the_url(database):
    """Choosing an outcome in the sidebar puts it in the query parameters and narrows the
    figures."""
    at = _app()
    before = at.metric[0].value
    at.multiselect(key="f_outcomes").set_value(["rejected"]).run()
    assert not at.exception
    assert at.query_params["outcomes"] in ("rejected", ["rejected"])
    assert at.metric[0].value != before


def test_filters_survive_switching_pages(database):
    """A filter chosen on one page still applies after visiting two other pages."""
    at = _app()
    at.multiselect(key="f_outcomes").set_value(["rejected"]).run()
    for page in ("views/applications.py", "views/stages.py"):
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
    assert at.multiselect(key="f_outcomes").value == ["rejected"]


def test_themes_page_shows_reasons_and_marked_quotes(database):
    """On the demo data the themes page splits reasons into actionable and not, and shows
    the quotes of the chosen theme with the triggering words marked."""
    at = _app("views/themes.py")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3
    assert at.metric[0].value == "109"  # the demo's rejections
    grouping = "meaning" if embeddings.available() else "shared words"  # the optional extra
    assert sum(f"grouped by {grouping}" in c.value for c in at.caption) == 1
    at.selectbox(key="quote_theme").set_value("leadership").run()
    assert not at.exception
    assert any("<mark>" in m.value for m in at.markdown)


def test_codebook_phrase_added_in_the_page_retags(database):
    """A phrase taught to a theme on the page tags the demo feedback that uses it."""
    at = _app("views/themes.py")
    at.selectbox(key="phrase_theme").set_value("interview_performance")
    at.text_input(key="phrase_text").set_value("results with numbers")
    next(b for b in at.button if b.label == "Add phrase").click().run()
    assert not at.exception
    found = _stored(database, "SELECT count(*) FROM application_themes WHERE theme = "
                              "'interview_performance' AND evidence ILIKE '%results with "
                              "numbers%'")
    assert found == [(3,)]  # three demo rows say it (grep -ci sample_data/tracker.csv)

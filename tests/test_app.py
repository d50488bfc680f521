"""The dashboard's pages, run headless with Streamlit's AppTest: with the demo data, with an
empty database, an upload through the file uploader, and an edit that survives a re-import."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.derive import embeddings
from pipelines.store.db import connect

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


_NOT_OURS = {".git", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", ".venv"}


def _files(*folders: Path) -> set[Path]:
    """Every file and folder below these folders, leaving out git's, Python's and the test
    tools' own (compiled modules, caches, the virtual environment)."""
    found = set()
    for folder in folders:
        for parent, names, files in os.walk(folder):
            names[:] = [n for n in names if n not in _NOT_OURS]
            found.update(Path(parent) / n for n in names + files)
    return found


def test_an_upload_writes_nothing_outside_the_data_folder(tmp_path, monkeypatch):
    """Uploading and importing a tracker writes the uploaded file only under
    .silverlining-uploads/ beside the database: nothing new in the temp folder ($TMPDIR, a
    fresh one), HOME or the repository, and nothing new in /tmp holds the file."""
    import tempfile

    data, temp, home = tmp_path / "data", tmp_path / "tmp", tmp_path / "home"
    for folder in (data, temp, home):
        folder.mkdir()
    database = data / "app.duckdb"
    monkeypatch.setenv("SILVERLINING_DB", str(database))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read $TMPDIR afresh
    at = _app("views/import_data.py")
    before = _files(temp, home, ROOT, data)
    system_temp = set(Path("/tmp").iterdir())  # other programs may write here meanwhile

    at.get("file_uploader")[0].set_value(("mine.csv", TRACKER.encode(), "text/csv")).run()
    next(b for b in at.button if b.label == "Import mine.csv").click().run()
    assert not at.exception and any("3 applications" in s.value for s in at.success)

    new = _files(temp, home, ROOT, data) - before
    uploads = data / ".silverlining-uploads" / database.name
    kept = [p for p in new if p.is_file() and p.name == "mine.csv"]
    assert len(kept) == 1 and kept[0].parent.parent == uploads
    assert kept[0].read_bytes() == TRACKER.encode()
    ours = {kept[0], kept[0].parent, uploads, uploads.parent}
    database_files = {p for p in new if p.parent == data and p.name.startswith(database.name)}
    assert new - ours - database_files == set()
    appeared = set(Path("/tmp").iterdir()) - system_temp
    for entry in appeared | _files(*(p for p in appeared if p.is_dir())):
        assert "mine" not in entry.name, entry
        try:
            assert TRACKER.encode() not in entry.read_bytes(), entry
        except OSError:  # a folder, a socket, or gone meanwhile
            continue


def test_uploads_older_than_an_hour_go_when_a_session_starts(empty_database):
    """A session's start removes its database's uploads written over an hour ago and keeps
    newer ones; a page still using a removed upload writes it again."""
    import os
    import time

    uploads = empty_database.parent / ".silverlining-uploads" / empty_database.name
    old, new = uploads / "0ld" / "old.csv", uploads / "n3w" / "new.csv"
    for path in (old, new):
        path.parent.mkdir(parents=True)
        path.write_text(TRACKER)
    hours_ago = time.time() - 2 * 3600
    os.utime(old.parent, (hours_ago, hours_ago))
    at = _app("views/import_data.py")
    assert not at.exception
    assert not old.parent.exists() and new.exists()
    at.get("file_uploader")[0].set_value(("mine.csv", TRACKER.encode(), "text/csv")).run()
    kept = list(uploads.glob("*/mine.csv"))
    kept[0].unlink()
    at.run()
    assert not at.exception and kept[0].read_text() == TRACKER


def test_bad_upload_shows_one_clear_error_and_changes_nothing(database):
    """An empty file gets an error message on the page, not a traceback; data stays."""
    at = _app("views/import_data.py")
    before = _stored(database, "SELECT count(*) FROM applications")
    at.get("file_uploader")[0].set_value(("empty.csv", b"", "text/csv")).run()
    assert not at.exception
    assert any("cannot be imported" in e.value and "empty" in e.value for e in at.error)
    assert _stored(database, "SELECT count(*) FROM applications") == before


def test_filters_follow_the_data_when_the_demo_is_replaced(database):
    """The date filter, set on the demo's dates, follows the data after the demo is cleared
    and a tracker with other dates imported: every page runs, with no error about dates
    outside the filter's bounds."""
    later = ("Company,Job Title,Date Applied,Status\n"
             "Acme,Analyst,2026-03-04,Rejected\nGlobex,Engineer,2026-04-05,Applied\n")
    at = _app("views/import_data.py")
    at.button(key="clear_demo").click().run()
    at.get("file_uploader")[0].set_value(("later.csv", later.encode(), "text/csv")).run()
    next(b for b in at.button if b.label == "Import later.csv").click().run()
    assert not at.exception, at.exception
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    assert tuple(at.session_state["f_dates"]) == (dt.date(2026, 3, 4), dt.date(2026, 4, 5))


def test_edit_in_the_table_survives_a_reimport(empty_database, tmp_path):
    """A note and an outcome changed in the Applications table stay after the tracker is
    imported again in an updated version."""
    from pipelines.ingest.importer import ingest_file

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


# ── Feedback themes: the codebook edited on the page ──────────────────────────────────────

THEMES = "views/themes.py"
NOT_ABOUT_YOU = """
    WITH t AS (SELECT application_id, bool_or(th.controllable) AS acts,
                      bool_or(theme <> 'generic_template') AS reason
               FROM application_themes JOIN themes th USING (theme) GROUP BY ALL)
    SELECT count(*) FILTER (WHERE reason AND NOT acts), count(*) FILTER (WHERE reason)
    FROM applications_view JOIN t USING (application_id) WHERE outcome = 'rejected'"""
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _codebook_table(at: AppTest):
    """The codebook editor's rows as the page shows them."""
    return next(d.value for d in at.dataframe if "controllable" in d.value.columns)


def _edit_codebook(at: AppTest, edits: dict[str, dict]) -> AppTest:
    """Edit the codebook editor's rows of the named themes as the browser would, then press
    its save button if the page offers one."""
    themes = list(_codebook_table(at)["theme"])
    at.session_state["codebook_editor"] = {
        "edited_rows": {themes.index(theme): values for theme, values in edits.items()},
        "added_rows": [], "deleted_rows": []}
    at.run()
    if "save_codebook" in [b.key for b in at.button]:
        at.button(key="save_codebook").click().run()
    return at


def _add_phrase(at: AppTest, phrase: str, theme: str = "leadership") -> AppTest:
    at.selectbox(key="phrase_theme").set_value(theme)
    at.text_input(key="phrase_text").set_value(phrase)
    next(b for b in at.button if b.label == "Add phrase").click().run()
    return at


def _merge(at: AppTest, source: str, target: str) -> AppTest:
    at.selectbox(key="merge_source").set_value(source)
    at.selectbox(key="merge_target").set_value(target)
    next(b for b in at.button if b.label == "Merge").click().run()
    return at


def _add_theme(at: AppTest, name: str, label: str = "", phrases: str = "",
               controllable: bool = True) -> AppTest:
    """Fill a form to add a theme (keys new_theme_name, new_theme_label,
    new_theme_controllable, new_theme_phrases: one phrase a line) and press Add theme."""
    assert "Add theme" in [b.label for b in at.button], "the page has no form to add a theme"
    for key, value in (("new_theme_name", name), ("new_theme_label", label),
                       ("new_theme_controllable", controllable),
                       ("new_theme_phrases", phrases)):
        at.session_state[key] = value
    next(b for b in at.button if b.label == "Add theme").click().run()
    return at


def _theme_bars(at: AppTest) -> dict[str, list[str]]:
    """The labels in each group of the 'Which reasons recur' chart, by the group's name."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {trace["name"]: list(trace["y"]) for trace in spec["data"]}


def _codebook_state(path: Path) -> list[list[tuple]]:
    return [_stored(path, sql) for sql in (
        "SELECT * FROM themes ORDER BY ALL", "SELECT * FROM theme_phrases ORDER BY ALL",
        "SELECT * FROM application_themes ORDER BY ALL")]


def _tagged(path: Path, theme: str) -> set[str]:
    return {r[0] for r in _stored(path, "SELECT application_id FROM application_themes "
                                        f"WHERE theme = '{theme}'")}


def test_codebook_relabel_and_flag_move_the_split(database):
    """A theme relabelled and marked 'you can act on it' in the codebook editor is stored and
    moves from 'not about you' to 'you can act on this', and the share follows the SQL."""
    at = _app(THEMES)
    themes_before = _stored(database, "SELECT * FROM themes ORDER BY theme")
    mine, with_reason = _stored(database, NOT_ABOUT_YOU)[0]
    assert at.metric[2].value == f"{mine / with_reason:.0%}"
    assert "Stronger candidate" in _theme_bars(at)["Not about you"]
    _edit_codebook(at, {"stronger_candidate": {"label": "Beaten by another",
                                               "controllable": True}})
    assert not at.exception, at.exception
    assert _stored(database, "SELECT label, controllable FROM themes "
                             "WHERE theme = 'stronger_candidate'") == [("Beaten by another", True)]
    changed = set(_stored(database, "SELECT * FROM themes ORDER BY theme")) - set(themes_before)
    assert [row[0] for row in changed] == ["stronger_candidate"]  # no other theme touched
    assert _stored(database, "SELECT DISTINCT controllable FROM application_themes "
                             "WHERE theme = 'stronger_candidate'") == [(True,)]
    mine_after, with_reason_after = _stored(database, NOT_ABOUT_YOU)[0]
    assert with_reason_after == with_reason and mine_after < mine
    assert at.metric[2].value == f"{mine_after / with_reason_after:.0%}"
    assert at.metric[2].value != f"{mine / with_reason:.0%}"
    bars = _theme_bars(at)
    assert "Beaten by another" in bars["You can act on this"]
    assert "Beaten by another" not in bars.get("Not about you", [])
    assert "Stronger candidate" not in [label for group in bars.values() for label in group]


def test_saved_codebook_edit_leaves_nothing_pending(database):
    """After a codebook save that re-sorts the table, no change is left to save."""
    at = _edit_codebook(_app(THEMES), {"stronger_candidate": {"label": "Beaten by another",
                                                              "controllable": True}})
    assert not at.exception, at.exception
    assert "save_codebook" not in [b.key for b in at.button]


def test_merging_two_themes_in_the_page(database):
    """The merge form folds one theme into another: the absorbed theme is gone and its
    applications carry the kept theme; the page's counts match the database."""
    at = _app(THEMES)
    absorbed, kept = _tagged(database, "internal_candidate"), _tagged(database,
                                                                      "stronger_candidate")
    assert absorbed - kept  # applications the merge must move
    patterns = _stored(database, "SELECT count(DISTINCT pattern) FROM theme_phrases "
                                 "WHERE theme IN ('internal_candidate', 'stronger_candidate')")
    _merge(at, "internal_candidate", "stronger_candidate")
    assert not at.exception, at.exception
    assert not at.error
    for table in ("themes", "theme_phrases", "application_themes"):
        assert _stored(database, f"SELECT count(*) FROM {table} "
                                 "WHERE theme = 'internal_candidate'") == [(0,)], table
    assert _tagged(database, "stronger_candidate") == absorbed | kept
    assert _stored(database, "SELECT count(*) FROM theme_phrases "
                             "WHERE theme = 'stronger_candidate'") == patterns
    book = _codebook_table(at).set_index("theme")
    assert "internal_candidate" not in book.index
    assert book.loc["stronger_candidate", "applications"] == len(absorbed | kept)
    for key in ("quote_theme", "phrase_theme", "merge_source", "merge_target"):
        assert "Internal candidate" not in at.selectbox(key=key).options, key
    assert "Internal candidate" not in [label for group in _theme_bars(at).values()
                                        for label in group]
    at.selectbox(key="quote_theme").set_value("stronger_candidate").run()
    assert not at.exception, at.exception
    assert any(c.value.startswith(f"{len(absorbed | kept)} applications, newest first")
               for c in at.caption)
    mine, with_reason = _stored(database, NOT_ABOUT_YOU)[0]
    assert at.metric[1].value == str(with_reason)
    assert at.metric[2].value == f"{mine / with_reason:.0%}"


def test_theme_added_in_its_form_tags_the_feedback(database):
    """A theme added with two phrases in its form is stored and tags the feedback that uses
    either phrase."""
    at = _app(THEMES)
    expected = {r[0] for r in _stored(database, """
        SELECT application_id FROM applications_view
        WHERE concat_ws(' ', feedback, notes) ILIKE '%crisis comms%'
           OR concat_ws(' ', feedback, notes) ILIKE '%media crisis%'""")}
    assert expected  # the demo's feedback uses the phrase
    _add_theme(at, "crisis_comms", "Crisis communications", "crisis comms\nmedia crisis")
    assert not at.exception, at.exception
    assert not at.error
    assert _stored(database, "SELECT label, controllable, builtin FROM themes "
                             "WHERE theme = 'crisis_comms'") == [
        ("Crisis communications", True, False)]
    assert _stored(database, "SELECT count(*) FROM theme_phrases "
                             "WHERE theme = 'crisis_comms'") == [(2,)]
    assert _tagged(database, "crisis_comms") == expected


ZORBING = ("Company,Job Title,Date Applied,Status,Feedback\n"
           "Acme,Analyst,2025-03-04,Rejected,The panel wanted zorbing on the slides.\n"
           "Globex,Engineer,2025-03-05,Rejected,No zorbing in the portfolio.\n"
           "Initech,Manager,2025-03-06,Rejected,Zorbing was the sticking point.\n"
           "Hooli,Analyst,2025-03-08,Rejected,The weather was nice.\n")


def test_accepting_a_suggested_theme_tags_its_feedback(empty_database, tmp_path):
    """Accepting the theme suggested for untagged feedback that shares a term makes it a
    theme and tags exactly those applications."""
    _import(empty_database, tmp_path, ZORBING)
    assert _stored(empty_database, "SELECT count(*) FROM application_themes") == [(0,)]
    at = _app(THEMES)
    assert not at.exception, at.exception
    assert "**zorbing** · 3 applications" in [m.value for m in at.markdown]
    at.button(key="accept_zorbing").click().run()
    assert not at.exception, at.exception
    assert not at.error
    assert _stored(empty_database, "SELECT label, controllable, builtin FROM themes "
                                   "WHERE theme = 'zorbing'") == [("Zorbing", True, False)]
    assert _stored(empty_database, """
        SELECT a.company FROM application_themes t JOIN applications_view a
        USING (application_id) WHERE t.theme = 'zorbing' ORDER BY 1""") == [
        ("Acme",), ("Globex",), ("Initech",)]
    assert _stored(empty_database, "SELECT count(*) FROM application_themes "
                                   "WHERE theme <> 'zorbing'") == [(0,)]
    assert "accept_zorbing" not in [b.key for b in at.button]
    assert [m.value for m in at.metric] == ["4", "3", "0%"]
    assert at.selectbox(key="quote_theme").value == "zorbing"
    assert any(c.value.startswith("3 applications, newest first") for c in at.caption)


def test_a_suggestion_starting_with_a_digit_can_be_accepted(empty_database, tmp_path):
    """A suggested term that starts with a digit ('24x7 coverage') can be accepted."""
    _import(empty_database, tmp_path, "Company,Job Title,Date Applied,Status,Feedback\n"
            "Acme,Analyst,2025-03-04,Rejected,24x7 coverage was a must.\n"
            "Globex,Engineer,2025-03-05,Rejected,They need 24x7 coverage.\n")
    at = _app(THEMES)
    at.button(key="accept_24x7 coverage").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert _stored(empty_database, "SELECT count(DISTINCT application_id) FROM "
                                   "application_themes JOIN themes USING (theme) "
                                   "WHERE NOT builtin") == [(2,)]


def test_theme_quotes_mark_the_evidence_and_escape_html(empty_database, tmp_path):
    """The quotes of the theme chosen to read mark its evidence, and a feedback text holding
    <script> is escaped in every markdown and HTML element."""
    _import(empty_database, tmp_path, "Company,Job Title,Date Applied,Status,Feedback\n"
            f"Acme,Analyst,2025-03-04,Rejected,Another candidate was a stronger fit. {SCRIPT}\n"
            "Globex,Engineer,2025-03-05,Rejected,Went with an internal candidate.\n"
            "Initech,Manager,2025-03-06,Rejected,They promoted an internal candidate.\n"
            f"Hooli,Analyst,2025-03-08,Rejected,Zorbing again {SCRIPT}\n"
            f"Umbrella,Analyst,2025-03-09,Rejected,No zorbing at all {SCRIPT}\n")
    at = _app(THEMES)
    assert at.selectbox(key="quote_theme").value == "internal_candidate"  # the most frequent
    at.selectbox(key="quote_theme").set_value("stronger_candidate").run()
    assert not at.exception, at.exception
    evidence = _stored(empty_database, """
        SELECT t.evidence FROM application_themes t JOIN applications_view a
        USING (application_id) WHERE a.company = 'Acme' AND t.theme = 'stronger_candidate'""")
    assert len(evidence) == 1
    quotes = [body for body in _html_elements(at) if "alert(1)" in body]
    assert len(quotes) == 1
    assert ESCAPED in quotes[0]
    for phrase in evidence[0][0].split(" · "):
        assert f"<mark>{phrase}</mark>" in quotes[0], (phrase, quotes[0])
    shown = [text for text in _html_elements(at) + [m.value for m in at.markdown]
             + [c.value for c in at.caption] if "alert(1)" in text]
    assert len(shown) >= 4  # the quote (HTML and markdown) and the suggestion's examples
    for text in shown:
        assert "<script" not in text and ESCAPED in text, text


@pytest.mark.parametrize(("change", "message"), [
    pytest.param(lambda at: _add_phrase(at, "   "), "phrase", id="blank phrase"),
    pytest.param(lambda at: _add_phrase(at, "?! …"), "the phrase has no words",
                 id="phrase without words"),
    pytest.param(lambda at: _merge(at, "leadership", "leadership"),
                 "a theme cannot be merged into itself", id="merge into itself"),
    pytest.param(lambda at: _add_theme(at, "", "Team fit", "team fit"), "name",
                 id="empty theme name"),
    pytest.param(lambda at: _add_theme(at, "Team fit!", "Team fit", "team fit"), "name",
                 id="theme name with spaces and symbols"),
    pytest.param(lambda at: _edit_codebook(at, {"leadership": {"label": ""}}), "label",
                 id="emptied label"),
])
def test_bad_codebook_input_shows_one_message_and_changes_nothing(database, change, message):
    """Bad input in the codebook's forms shows one clear message, raises nothing and leaves
    the codebook and the tags as they were."""
    at = _app(THEMES)
    before = _codebook_state(database)
    change(at)
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and message in errors[0].lower(), errors
    assert _codebook_state(database) == before


# ── Scope fit ───────────────────────────────────────────────────────────────────────────

SCOPE = "views/scope.py"
SCOPE_SUBHEADERS = ["Title level against effective level", "By stretch",
                    "By organisation size", "Where you convert", "Scope of each application"]
REACHED = "(stage_reached IN ('interview', 'final', 'offer') OR outcome = 'offer')"
REACH_TERMS = {"local": -0.5, "regional": -0.25, "national": 0.0, "global": 0.5}


def _documented_level(level: int, size=None, reach=None, people=None) -> float:
    """The effective level as docs/scope.md writes it, computed here independently."""
    weight = 0.15 * (level - 1)
    size_term = min(2.0, max(-3.0, math.log10(size / 1000))) if size else 0.0
    people_term = 0.3 * min(0.6 / 0.3, max(-1.0, math.log10(people / 10))) if people else 0.0
    return round(level + weight * (size_term + REACH_TERMS.get(reach, 0.0)) + people_term, 2)


DANA = _documented_level(10, 35, "local", 2)  # 7.15 in docs/scope.md


def _times(k: int, n: int) -> str:
    return f"{k} time{'s' if k != 1 else ''} in {n}"


def _import(path: Path, folder: Path, text: str) -> None:
    from pipelines.ingest.importer import ingest_file

    tracker = folder / "tracker.csv"
    tracker.write_text(text, encoding="utf-8")
    con = connect(path)
    try:
        ingest_file(con, tracker)
    finally:
        con.close()


def _save_role(at: AppTest, **values) -> AppTest:
    """Fill the 'Your current role' form (keys p_title, p_size, …) and press Save my role."""
    for key, value in values.items():
        at.session_state[key] = value
    next(b for b in at.button if b.label == "Save my role").click().run()
    return at


def _edit_scope(at: AppTest, rows: dict[int, dict]) -> AppTest:
    """Edit rows of the scope editor as the browser would, then press its save button."""
    at.session_state["scope_editor"] = {"edited_rows": rows, "added_rows": [],
                                        "deleted_rows": []}
    at.run()
    at.button(key="save_scope").click().run()
    return at


def test_scope_page_reads_the_demo_data(database):
    """Scope fit on the demo data: its charts and subheaders, Dana's role and the stretch
    reading whose numbers match a direct count in the database."""
    at = _app(SCOPE)
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == SCOPE_SUBHEADERS
    assert len(at.get("plotly_chart")) == 4
    assert [e.label for e in at.expander] == ["Your current role: VP of Communications"]
    assert any(m.value.startswith(f"Read as title level **10 · VP**, effective level "
                                  f"**{DANA:.1f}**") for m in at.markdown)
    counts = _stored(database, f"""SELECT
        count(*) FILTER (WHERE stretch >= 1.5),
        count(*) FILTER (WHERE stretch >= 1.5 AND {REACHED}),
        count(*) FILTER (WHERE stretch > -1.5 AND stretch < 1.5),
        count(*) FILTER (WHERE stretch > -1.5 AND stretch < 1.5 AND {REACHED})
        FROM applications_view""")[0]
    n_above, hits_above, n_within, hits_within = counts
    assert n_above >= 8 and n_within >= 8  # enough on both sides for a reading
    expected = (f"Roles two or more levels above your current scope reached an interview "
                f"{_times(hits_above, n_above)}; roles within one level, "
                f"{_times(hits_within, n_within)}.")
    readings = [i.value for i in at.info if i.value.startswith("Roles two or more levels")]
    assert len(readings) == 1 and readings[0].startswith(expected), (readings, expected)
    closer = "roles closer to your current scope turn into interviews more often"
    assert (closer in readings[0]) == (hits_above / n_above < hits_within / n_within)
    table = at.dataframe[0].value
    assert len(table) == 150 and set(table["scope_edited"]) == {""}


def test_saving_my_role_moves_every_stretch(database):
    """Saving another current role in the form stores it and measures every application's
    stretch from its effective level."""
    at = _app(SCOPE)
    before = dict(_stored(database, "SELECT application_id, stretch FROM applications "
                                    "WHERE stretch IS NOT NULL"))
    assert before and all(abs(s - (e - DANA)) < 0.011 for e, s in _stored(
        database, "SELECT effective_level, stretch FROM applications WHERE stretch IS NOT NULL"))
    _save_role(at, p_title="Director of Communications", p_size=5000)
    assert not at.exception, at.exception
    assert _stored(database, "SELECT current_title, title_level, org_size, org_type, "
                             "org_reach, people_managed FROM candidate_profile") == [
        ("Director of Communications", None, 5000, "nonprofit", "local", 2)]
    assert _stored(database, "SELECT count(*) FROM app_state WHERE key = 'demo_profile'"
                   ) == [(0,)]  # the user's own now: clearing the demo keeps it
    own = _documented_level(8, 5000, "local", 2)
    after = _stored(database, "SELECT application_id, effective_level, stretch "
                              "FROM applications WHERE stretch IS NOT NULL")
    assert {i for i, _, _ in after} == set(before)
    assert all(abs(s - (e - own)) < 0.011 for _, e, s in after)
    assert all(abs(s - before[i] - (DANA - own)) < 0.021 for i, _, s in after)
    assert [e.label for e in at.expander] == ["Your current role: Director of Communications"]
    assert any(m.value.startswith(f"Read as title level **8 · Director**, effective level "
                                  f"**{own:.1f}**") for m in at.markdown)


def test_a_title_without_a_level_asks_for_one(database):
    """A current title the app cannot read leaves stretch unknown and says so, until a
    level is chosen in the form."""
    at = _save_role(_app(SCOPE), p_title="Various")
    assert not at.exception, at.exception
    assert any("cannot read a level from this title" in w.value for w in at.warning)
    assert any(i.value.startswith("Set your current role above") for i in at.info)
    assert _stored(database, "SELECT count(stretch) FROM applications") == [(0,)]
    at = _save_role(at, p_level=8)
    assert not at.exception, at.exception
    assert not at.warning
    assert _stored(database, "SELECT title_level FROM candidate_profile") == [(8,)]
    assert _stored(database, "SELECT count(*) FROM applications WHERE stretch IS NULL AND "
                             "effective_level IS NOT NULL") == [(0,)]


def test_scope_edit_is_stored_and_moves_the_effective_level(database):
    """A size set for one application in the scope editor is saved to scope_edits and
    changes that application's effective level and stretch, and no other."""
    at = _app(SCOPE)
    row = at.dataframe[0].value.iloc[0]
    target = row["application_id"]
    before = dict(_stored(database, "SELECT application_id, effective_level "
                                    "FROM applications"))
    _edit_scope(at, {0: {"org_size": 20}})
    assert not at.exception, at.exception
    assert not at.error
    assert _stored(database, "SELECT application_id, title_level, org_size, org_type, "
                             "org_reach, people_managed, budget FROM scope_edits") == [
        (target, None, 20, None, None, None, None)]
    level, reach, people, effective, stretch = _stored(
        database, "SELECT title_level, org_reach, people_managed, effective_level, stretch "
                  f"FROM applications_view WHERE application_id = '{target}'")[0]
    expected = _documented_level(level, 20, reach, people)
    assert expected != before[target]
    assert abs(effective - expected) < 0.011 and abs(stretch - (expected - DANA)) < 0.011
    after = dict(_stored(database, "SELECT application_id, effective_level "
                                   "FROM applications"))
    assert {i for i in after if after[i] != before[i]} == {target}
    shown = at.dataframe[0].value.set_index("application_id").loc[target]
    assert shown["org_size"] == 20 and shown["scope_edited"] == "✏️"
    assert "save_scope" not in [b.key for b in at.button]  # nothing left to save


@pytest.mark.parametrize(("edit", "message"), [
    ({"org_size": 0}, "org size must be a number of at least 1"),
    ({"title_level": 13}, "title level must be a whole number from 1"),
    ({"org_reach": "planetary"}, "org reach must be one of local"),
])
def test_bad_scope_value_is_refused_with_a_message(database, edit, message):
    """A scope value outside the schema's range is refused on the page, with the reason,
    and nothing is stored."""
    at = _app(SCOPE)
    before = _stored(database, "SELECT application_id, effective_level FROM applications "
                               "ORDER BY 1")
    _edit_scope(at, {0: edit})
    assert not at.exception, at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(f"Not saved: {message}")
    assert _stored(database, "SELECT count(*) FROM scope_edits") == [(0,)]
    assert _stored(database, "SELECT application_id, effective_level FROM applications "
                             "ORDER BY 1") == before


def test_scope_page_after_clearing_the_demo_data(database):
    """Clearing the demo data on Scope fit removes Dana's role too, and the page shows its
    empty state: the role form and a hint, no charts."""
    at = _app(SCOPE)
    at.button(key="clear_demo").click().run()
    assert not at.exception, at.exception
    assert _stored(database, "SELECT count(*) FROM candidate_profile") == [(0,)]
    assert [e.label for e in at.expander] == ["Your current role"]
    assert any(i.value.startswith("No applications match") for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe
    assert "Save my role" in [b.label for b in at.button]


def test_scope_page_on_an_empty_database(empty_database):
    """With nothing imported and no role, Scope fit offers the role form and says what to
    do, without charts or errors."""
    at = _app(SCOPE)
    assert not at.exception, at.exception
    assert [e.label for e in at.expander] == ["Your current role"]
    assert any("Import" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe


def test_scope_page_without_a_role_asks_for_one(empty_database, tmp_path):
    """With applications but no current role, 'By stretch' asks for the role instead of a
    chart, 'By organisation size' asks for sizes the tracker lacks, and no stretch reading
    is given."""
    _import(empty_database, tmp_path, TRACKER)
    at = _app(SCOPE)
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == SCOPE_SUBHEADERS
    assert [i.value.split(" to ")[0] for i in at.info] == [
        "Set your current role above",
        "None of these applications has an organisation size yet. Add a size column"]
    assert len(at.get("plotly_chart")) == 2  # scatter and grid: no stretch, no sizes
    assert any("every effective level equals its title level" in c.value for c in at.caption)
    assert not any("levels above" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 3


def test_scope_page_with_no_readable_titles(empty_database, tmp_path):
    """A tracker whose titles give no level draws empty charts that say why, with a role
    set and without, and no reading."""
    _import(empty_database, tmp_path, TRACKER.replace("Data Analyst", "TBD").replace(
        "Engineer", "Various").replace("Product Manager", "n/a"))
    assert _stored(empty_database, "SELECT count(title_level) FROM applications") == [(0,)]
    at = _app(SCOPE)
    assert not at.exception, at.exception
    assert any(i.value.startswith("Set your current role above") for i in at.info)
    empty = "No applications with a job title that gives a level."
    specs = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(specs) == 2 and empty in specs[0] and empty in specs[1]
    at = _save_role(at, p_title="VP of Communications", p_size=35)
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == SCOPE_SUBHEADERS
    assert not any(i.value.startswith(("Set your current role", "Roles two"))
                   for i in at.info)
    assert len(at.get("plotly_chart")) == 3  # the tracker has no sizes: no size chart
    assert _stored(empty_database, "SELECT count(stretch) FROM applications") == [(0,)]


def _html_elements(at: AppTest) -> list[str]:
    """The bodies of every element the page renders as HTML (markdown with
    unsafe_allow_html, st.html)."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(proto, "allow_html", False):
            found.append(proto.body)
        if node.type == "html":
            found.append(proto.body)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _strings(value) -> list[str]:
    """Every string in a decoded JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for v in value for s in _strings(v)] if isinstance(value, list) else []


def test_company_names_are_not_rendered_as_html(empty_database, tmp_path):
    """A company called <script>…</script> is shown as text: in no HTML-enabled element, and
    escaped in the chart's hover text."""
    _import(empty_database, tmp_path,
            "Company,Job Title,Date Applied,Status,Company size\n"
            "<script>alert(1)</script>,Director of Communications,2025-03-04,Interview,5000\n"
            "Acme <img src=x onerror=alert(2)>,Communications Manager,2025-03-05,Ghosted,200\n")
    con = connect(empty_database)
    from pipelines.edits.corrections import save_profile

    save_profile(con, current_title="<script>alert(3)</script> Director", org_size=300)
    con.close()
    at = _app(SCOPE)
    assert not at.exception, at.exception
    assert set(at.dataframe[0].value["company"]) == {
        "<script>alert(1)</script>", "Acme <img src=x onerror=alert(2)>"}  # shown as text
    assert at.markdown  # the 'Read as …' line
    for body in _html_elements(at):
        assert "<script" not in body and "<img" not in body, body
    texts = [t for c in at.get("plotly_chart") for t in _strings(json.loads(c.proto.spec))]
    assert any(t.startswith("&lt;script&gt;alert(1)&lt;/script&gt; · Director") for t in texts)
    assert not [t for t in texts if "<script" in t or "<img" in t]


# Found while writing the tests above, then fixed: partial saves, emptying a tracker value,
# the role form after the demo is cleared.

def test_scope_save_with_one_bad_change_saves_nothing(database):
    """'Not saved' means nothing was stored, when a good and a bad change are saved together."""
    at = _edit_scope(_app(SCOPE), {0: {"org_size": 20}, 1: {"org_size": 0}})
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Not saved: org size")
    assert _stored(database, "SELECT count(*) FROM scope_edits") == [(0,)]


def test_emptying_an_imported_size_is_not_reported_as_saved(database):
    """Emptying a size that came from the tracker says it cannot be done here and offers
    nothing to save: the page does not claim a save that changed nothing."""
    at = _app(SCOPE)
    at.session_state["scope_editor"] = {"edited_rows": {0: {"org_size": None}},
                                        "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert any("cannot be emptied here" in w.value for w in at.warning)
    assert "save_scope" not in [b.key for b in at.button]
    assert _stored(database, "SELECT count(*) FROM scope_edits") == [(0,)]


def test_clearing_the_demo_data_empties_the_role_form(database):
    """After the demo data (and Dana's role) is cleared, the role form no longer holds
    Dana's values."""
    at = _app(SCOPE)
    at.button(key="clear_demo").click().run()
    assert not at.exception, at.exception
    assert at.text_input(key="p_title").value == ""
    assert at.number_input(key="p_size").value is None


def test_a_figure_is_built_once_for_the_same_data(monkeypatch, tmp_path):
    """state.chart builds a figure once per database and data; new data, or another
    client's database, builds a new one."""
    import pandas as pd

    from dashboard import charts, state

    built = []
    monkeypatch.setattr(charts, "funnel", lambda frame: built.append(len(frame)) or len(frame))
    monkeypatch.setenv("SILVERLINING_DB", str(tmp_path / "a.duckdb"))
    state._chart.clear()
    frame = pd.DataFrame({"stage": ["applied", "screen"], "reached": [10, 4]})
    assert state.chart("funnel", frame) == state.chart("funnel", frame.copy()) == 2
    assert built == [2]
    state.chart("funnel", frame.head(1))
    assert built == [2, 1]
    monkeypatch.setenv("SILVERLINING_DB", str(tmp_path / "b.duckdb"))
    state.chart("funnel", frame)
    assert built == [2, 1, 2]

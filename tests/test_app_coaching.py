"""The coaching pages (Preparation, Development plan, Coach review) run headless with
Streamlit's AppTest on the demo data and on an empty database; what they save is checked in
the database afterwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.store.db import connect

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PREP, PLAN, REVIEW = "views/preparation.py", "views/plan.py", "views/review.py"


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("SILVERLINING_DB", str(path))
    monkeypatch.delenv("SILVERLINING_WORKSPACE", raising=False)
    return path


def _app(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page(page).run()
    return at


def _sql(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = connect(path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_preparation_page_reads_the_demo(database):
    """On the demo data the page draws its charts, states the preparation difference the
    numbers carry with the counts a direct query gives, and shows the weekly goal."""
    at = _app(PREP)
    assert not at.exception, at.exception
    assert [s.value for s in at.subheader] == ["With and without preparation", "Keep going",
                                               "Record your preparation"]
    (hits, n), = _sql(database, """SELECT count(*) FILTER (WHERE stage_reached IN
        ('interview', 'final', 'offer') OR outcome = 'offer'), count(*) FROM applications_view
        WHERE prep_hours >= 3""")
    reading = next(i.value for i in at.info if "3 hours or more" in i.value)
    assert f"{hits} times in {n}" in reading
    assert at.metric[0].label == "Weeks at goal, last 4"
    assert len(at.get("plotly_chart")) == 2


def test_goal_and_preparation_are_saved(database):
    """The goal form stores the weekly goal; ticking 'Researched' for an application in
    the table stores it as the user's answer."""
    at = _app(PREP)
    at.number_input(key="goal_value").set_value(7)
    next(b for b in at.button if b.label == "Save goal").click().run()
    assert not at.exception, at.exception
    assert _sql(database, "SELECT value FROM app_state WHERE key = 'weekly_goal'") == [("7",)]
    at.session_state["prep_editor"] = {"edited_rows": {0: {"researched": True}},
                                       "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_prep").click().run()
    assert not at.exception, at.exception
    assert _sql(database, "SELECT count(*) FROM preparation_edits WHERE researched") == [(1,)]


def test_plan_page_turns_a_suggestion_into_an_action_and_marks_it_done(database):
    """A recurring weakness with no action can be added to the plan with the codebook's
    suggested action; marking it done in the table records the day."""
    at = _app(PLAN)
    assert not at.exception, at.exception
    adopt = next(b for b in at.button if b.key and b.key.startswith("adopt_"))
    theme = adopt.key.removeprefix("adopt_")
    adopt.click().run()
    assert not at.exception, at.exception
    (action_id, action), = _sql(database, "SELECT action_id, action FROM plan_actions "
                                          "WHERE theme = ? AND session_id IS NULL", [theme])
    assert action == _sql(database, "SELECT action FROM themes WHERE theme = ?", [theme])[0][0]
    rows = _sql(database, "SELECT action_id FROM plan_actions ORDER BY status IN ('done', "
                          "'dropped'), target_on NULLS LAST, action_id")
    row = [r[0] for r in rows].index(action_id)
    at.session_state["plan_editor"] = {"edited_rows": {row: {"status": "done"}},
                                       "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_plan").click().run()
    assert not at.exception, at.exception
    assert _sql(database, "SELECT status, done_on FROM plan_actions WHERE action_id = ?",
                [action_id]) == [("done", dt.date.today())]


def test_review_page_compares_since_the_last_session(database):
    """With Dana's sessions, the review compares since 18 July 2025; its application count
    is the database's; a new session with an agreed action is stored, and its notes are
    shown as plain text."""
    at = _app(REVIEW)
    assert not at.exception, at.exception
    assert at.subheader[0].value.startswith("Since the last session (18 Jul 2025)")
    assert len(at.get("download_button")) == 1  # the report for the coach
    (since,), = _sql(database, "SELECT count(*) FROM applications_view "
                               "WHERE applied_on >= DATE '2025-07-18'")
    assert at.metric[0].value == str(since)
    at.text_area(key="session_notes").set_value("<script>alert(1)</script> went well")
    at.selectbox(key="agreed_theme_0").set_value("leadership")
    at.text_input(key="agreed_text_0").set_value("Lead the volunteer team")
    next(b for b in at.button if b.label == "Save session").click().run()
    assert not at.exception, at.exception
    assert _sql(database, "SELECT count(*) FROM coach_sessions") == [(3,)]
    assert _sql(database, "SELECT count(*) FROM plan_actions WHERE action = "
                          "'Lead the volunteer team' AND session_id IS NOT NULL") == [(1,)]
    assert any("<script>alert(1)</script>" in t.value for t in at.text)
    assert not [m.value for m in at.markdown if "<script" in m.value]


@pytest.mark.parametrize("page", [PREP, PLAN, REVIEW])
def test_coaching_pages_on_an_empty_database(database, page):
    """After the demo data is cleared the pages show their empty states, not errors, and
    Dana's sessions and plan are gone with it."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.button(key="clear_demo").click().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert _sql(database, "SELECT count(*) FROM coach_sessions") == [(0,)]
    assert _sql(database, "SELECT count(*) FROM plan_actions") == [(0,)]

"""What the user typed in the app survives, value for value, importing the same tracker again,
importing it again with another column mapping, and removing the import of another file (the
demo data among them).

One database is built with one of each kind of user data; for each of the three things a copy
of it is read, the thing is done, and it is read again: each test compares the stored rows of
one kind after with those before (timestamps included) and with what was typed. Last, an edit
is stored together with the themes or levels it changes, or not at all."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipelines.derive import scope, themes
from pipelines.edits.coaching import (
    add_action,
    add_session,
    save_preparations,
    update_action,
    weekly_goal,
)
from pipelines.edits.codebook import add_phrase, add_theme, merge_themes, update_theme
from pipelines.edits.corrections import (
    place_status,
    save_annotation,
    save_profile,
    save_scope,
    save_scopes,
)
from pipelines.edits.demo import DEMO_SESSIONS, demo_import_id, load_demo
from pipelines.edits.imports import remove_import
from pipelines.ingest.importer import ingest_file
from pipelines.store.db import connect
from tests.conftest import snapshot, write_text

D = dt.date
TRACKER = """Company,Job Title,Date Applied,Status,Feedback,Org Size,Researched
Acme,Data Analyst,2025-03-04,Rejected after phone screen,Went with a stronger candidate,500,Yes
Globex,Engineer,2025-03-05,Limbo,,,
Initech,Product Manager,2025-03-09,Interview,Case study was weak on prioritisation,,No
Hooli,Designer,2025-03-12,Rejected,,,
"""
# Another file: Hooli again (so two imports describe it) and one application of its own.
OTHER = """Company,Job Title,Date Applied,Status
Hooli,Designer,2025-03-12,Rejected
Umbrella,Analyst,2025-04-01,Applied
"""
SCENARIOS = ["same file again", "another mapping", "another import removed"]


def _ids(con) -> dict[str, str]:
    return dict(con.execute("SELECT company, application_id FROM applications").fetchall())


def _type_everything(con) -> None:
    """One of each thing a user keeps in the app."""
    ids = _ids(con)
    save_annotation(con, ids["Acme"], stage="interview", outcome="rejected",
                    feedback="Panel wanted more leadership of large teams",
                    notes="Ask Sam for a referral")
    save_annotation(con, ids["Hooli"], notes="Recruiter was lovely")
    place_status(con, "Limbo", "screen", "active")
    save_scope(con, ids["Acme"], org_size=250, org_reach="national")
    save_scope(con, ids["Hooli"], title_level=7)
    save_preparations(con, [(ids["Globex"], {"researched": True, "prep_hours": 2.5}),
                            (ids["Hooli"], {"questions_prepared": True})])
    save_profile(con, current_title="Senior Analyst", org_size=300)
    add_theme(con, "prioritisation", "Prioritisation", True, "Choosing what matters first",
              "Practise case studies", phrases=("weak on prioritisation",))
    add_phrase(con, "leadership", "large teams")
    update_theme(con, "communication", label="Storytelling")
    add_session(con, D(2025, 3, 20), "Final rounds lost on numbers",
                [("leadership", "Write three stories", D(2025, 4, 1))])
    add_session(con, D(2025, 4, 10))
    add_action(con, "prioritisation", "Practise a case a week", status="in_progress",
               notes="two done")


# What is stored of each kind, with the application's company rather than its id.
STORED = {
    "annotations": "SELECT a.company, n.* EXCLUDE (application_id) FROM annotations n "
                   "JOIN applications a USING (application_id) ORDER BY 1",
    "status_overrides": "SELECT * FROM status_overrides",
    "scope_edits": "SELECT a.company, s.* EXCLUDE (application_id) FROM scope_edits s "
                   "JOIN applications a USING (application_id) ORDER BY 1",
    "levels": "SELECT company, effective_level, stretch FROM applications "
              "WHERE company <> 'Umbrella' ORDER BY 1",
    "preparation_edits": "SELECT a.company, p.* EXCLUDE (application_id) FROM "
                         "preparation_edits p JOIN applications a USING (application_id) "
                         "ORDER BY 1",
    "candidate_profile": "SELECT * FROM candidate_profile",
    "themes": "SELECT * FROM themes WHERE NOT builtin OR theme = 'communication' ORDER BY 1",
    "theme_phrases": "SELECT * FROM theme_phrases WHERE NOT builtin ORDER BY position",
    "tagged": "SELECT a.company, t.theme, t.evidence FROM application_themes t "
              "JOIN applications a USING (application_id) "
              "WHERE t.theme IN ('prioritisation', 'leadership') ORDER BY 1, 2",
    "plan_actions": "SELECT * FROM plan_actions ORDER BY action_id",
    "coach_sessions": "SELECT * FROM coach_sessions ORDER BY session_id",
}


@pytest.fixture(scope="module")
def typed(tmp_path_factory) -> Path:
    """A database file holding the tracker, the other file and one of each kind of user
    data."""
    folder = tmp_path_factory.mktemp("typed")
    path = folder / "typed.duckdb"
    with connect(path) as con:
        ingest_file(con, write_text(folder, "tracker.csv", TRACKER))
        ingest_file(con, write_text(folder, "other.csv", OTHER))
        _type_everything(con)
    return path


def _do(con, scenario: str, tracker: Path) -> None:
    if scenario == "same file again":
        assert ingest_file(con, tracker).already_imported
    elif scenario == "another mapping":
        report = ingest_file(con, tracker, overrides={"Feedback": "notes"})
        assert not report.already_imported and report.applications_new == 0
    else:
        other = con.execute("SELECT import_id FROM imports WHERE source_file = 'other.csv'"
                            ).fetchall()[0][0]
        assert remove_import(con, other) == 1  # Umbrella; Hooli is also in the tracker


@pytest.fixture(scope="module", params=SCENARIOS)
def done(request, typed, tmp_path_factory):
    """(stored, connection) after the scenario on a copy of the typed database; ``stored``
    maps each kind (STORED) to its rows after, and asserts they equal the rows before."""
    folder = tmp_path_factory.mktemp("done")
    shutil.copy(typed, folder / "copy.duckdb")
    con = connect(folder / "copy.duckdb")
    before = {kind: _rows(con, sql) for kind, sql in STORED.items()}
    _do(con, request.param, write_text(folder, "tracker.csv", TRACKER))
    after = {kind: _rows(con, sql) for kind, sql in STORED.items()}
    yield Stored(before, after), con
    con.close()


class Stored:
    """The rows of each kind before and after; reading a kind checks they are the same."""

    def __init__(self, before: dict, after: dict) -> None:
        self.before, self.after = before, after

    def __getitem__(self, kind: str) -> list[tuple]:
        assert self.after[kind] == self.before[kind], f"{kind} changed"
        return self.after[kind]


def _rows(con, sql: str, params: list | None = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def _view(con, company: str, columns: str) -> tuple:
    return _rows(con, f"SELECT {columns} FROM applications_view WHERE company = ?", [company])[0]


def test_annotations_survive(done):
    """Stage, outcome, feedback and notes set in the app are stored and shown unchanged."""
    stored, con = done
    rows = stored["annotations"]
    assert [r[:5] for r in rows] == [
        ("Acme", "interview", "rejected", "Panel wanted more leadership of large teams",
         "Ask Sam for a referral"),
        ("Hooli", None, None, None, "Recruiter was lovely")]
    assert _view(con, "Acme", "stage_reached, outcome, feedback, notes") == rows[0][1:5]
    assert _view(con, "Hooli", "notes") == ("Recruiter was lovely",)


def test_status_overrides_survive(done):
    """The meaning given to a status the rules did not understand is stored and applied."""
    stored, con = done
    assert [r[:3] for r in stored["status_overrides"]] == [("Limbo", "screen", "active")]
    assert _view(con, "Globex", "status_raw, stage_reached, outcome") == (
        "Limbo", "screen", "active")


def test_scope_edits_survive(done):
    """Sizes, reach and levels set in the app are stored and shown unchanged."""
    stored, con = done
    assert [r[:7] for r in stored["scope_edits"]] == [
        ("Acme", None, 250, None, "national", None, None),
        ("Hooli", 7, None, None, None, None, None)]
    assert _view(con, "Acme", "org_size, org_reach") == (250, "national")
    assert _view(con, "Hooli", "title_level") == (7,)


def test_levels_derived_from_scope_edits_survive(done):
    """The effective levels and stretch worked out from the scope edits and the profile are
    the same after as before (Hooli's from the level set in the app)."""
    stored, _ = done
    levels = {company: (level, stretch) for company, level, stretch in stored["levels"]}
    assert levels["Hooli"][0] is not None and levels["Hooli"][1] is not None
    assert sorted(levels) == ["Acme", "Globex", "Hooli", "Initech"]


def test_preparation_edits_survive(done):
    """Preparation answers recorded in the app are stored and win over the tracker's."""
    stored, con = done
    assert [r[:8] for r in stored["preparation_edits"]] == [
        ("Globex", 2.5, True, None, None, None, None, None),
        ("Hooli", None, None, None, None, True, None, None)]
    assert _view(con, "Globex", "researched, prep_hours") == (True, 2.5)


def test_candidate_profile_survives(done):
    """The candidate's own role set in the app is stored unchanged."""
    stored, _ = done
    assert [r[1:7] for r in stored["candidate_profile"]] == [
        ("Senior Analyst", None, 300, None, None, None)]


def test_codebook_edits_survive(done):
    """A new theme, a phrase added to a theme and a relabelled theme are stored and still tag
    the feedback."""
    stored, _ = done
    assert [t[:2] for t in stored["themes"]] == [("communication", "Storytelling"),
                                                 ("prioritisation", "Prioritisation")]
    assert [p[:2] for p in stored["theme_phrases"]] == [
        ("prioritisation", r"\bweak\w*\s+on\w*\s+prioritisation\w*"),
        ("leadership", r"\blarge\w*\s+teams\w*")]
    assert [t[:2] for t in stored["tagged"]] == [("Acme", "leadership"),
                                                 ("Initech", "prioritisation")]


def test_plan_actions_survive(done):
    """Actions in the development plan keep their text, theme, dates, status and notes."""
    stored, _ = done
    assert [r[1:8] for r in stored["plan_actions"]] == [
        ("leadership", "Write three stories", D(2025, 4, 1), "planned", None, 1, None),
        ("prioritisation", "Practise a case a week", None, "in_progress", "two done", None,
         None)]


def test_coach_sessions_survive(done):
    """Coach sessions keep their dates and notes, also one recorded without notes."""
    stored, _ = done
    assert [r[:3] for r in stored["coach_sessions"]] == [
        (1, D(2025, 3, 20), "Final rounds lost on numbers"), (2, D(2025, 4, 10), None)]


def test_clearing_the_demo_keeps_the_users_sessions_and_actions(con, tmp_path):
    """Removing the demo import keeps the user's own session (one without notes too), the
    action agreed in it and a demo action the user changed, with its session; Dana's
    untouched sessions and actions go."""
    load_demo(con)
    ingest_file(con, write_text(tmp_path, "tracker.csv", TRACKER))
    mine = add_session(con, D(2025, 9, 1), None,
                       [("leadership", "Lead the offsite", D(2025, 9, 30))])
    changed = con.execute("SELECT min(action_id) FROM plan_actions").fetchall()[0][0]
    update_action(con, changed, notes="Sent two stories to Sam")
    remove_import(con, demo_import_id(con))
    first_notes = DEMO_SESSIONS[0][1]
    assert con.execute("SELECT held_on, notes FROM coach_sessions ORDER BY session_id"
                       ).fetchall() == [(D(2025, 5, 2), first_notes), (D(2025, 9, 1), None)]
    assert con.execute("SELECT action, notes, session_id FROM plan_actions ORDER BY action_id"
                       ).fetchall() == [
        ("Write three stories of leading people or change, with team size and results",
         "Sent two stories to Sam", 1),
        ("Lead the offsite", None, mine)]
    assert weekly_goal(con) == 5


def test_clearing_the_untouched_demo_clears_its_coaching(con):
    """With nothing added or changed, removing the demo import leaves no session, action or
    goal behind."""
    load_demo(con)
    remove_import(con, demo_import_id(con))
    assert con.execute("SELECT count(*) FROM coach_sessions").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM plan_actions").fetchall() == [(0,)]
    assert weekly_goal(con) is None


EDITS = {
    "annotation": lambda con, ids: save_annotation(con, ids["Globex"], feedback="Too junior"),
    "scope": lambda con, ids: save_scopes(con, [(ids["Globex"], {"org_size": 40})]),
    "profile": lambda con, ids: save_profile(con, org_size=2000),
    "new theme": lambda con, ids: add_theme(con, "portfolio", "Portfolio", True),
    "phrase": lambda con, ids: add_phrase(con, "preparation", "no questions"),
    "relabel": lambda con, ids: update_theme(con, "culture_fit", label="Fit"),
    "merge": lambda con, ids: merge_themes(con, "prioritisation", "preparation"),
}


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_whose_refresh_fails_is_not_stored(typed, tmp_path, monkeypatch, edit):
    """When re-tagging or refreshing the levels after an edit fails, no table changes."""
    shutil.copy(typed, tmp_path / "copy.duckdb")
    with connect(tmp_path / "copy.duckdb") as con:
        before = snapshot(con)

        def broken(*args, **kwargs):
            raise RuntimeError("killed")

        monkeypatch.setattr(themes, "sync_theme_codes", broken)
        monkeypatch.setattr(scope, "_scopes", broken)
        with pytest.raises(RuntimeError):
            EDITS[edit](con, _ids(con))
        assert snapshot(con) == before

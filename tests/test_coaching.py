"""Coach review: preparation from trackers and the app, the development plan, coach
sessions, the weekly goal, and the review's figures checked by hand on a small tracker."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import queries as q
from dashboard.filters import Filters
from pipelines.edits.coaching import (
    add_action,
    add_session,
    delete_session,
    save_preparations,
    set_weekly_goal,
    update_action,
    weekly_goal,
)
from pipelines.ingest.importer import ingest_file
from tests.conftest import write_text

ALL = Filters()
D = dt.date
# Six applications; a coach session on 1 March splits them into before (Jan–Feb) and now.
#   Acme    10 Jan  researched, 1 h        rejected at applied
#   Beta    20 Jan  not researched         rejected after screen
#   Gamma    1 Feb  researched, 4 h        interview, rejected (feedback: leadership)
#   Delta    5 Mar  researched, insiders   final round (questions prepared), rejected
#   Eps     10 Mar  researched, 5 h        offer (questions prepared)
#   Zeta    20 Mar  unknown                applied, rejected (feedback: leadership, salary)
TRACKER = ("Company,Job Title,Date Applied,Status,Last Update,Feedback,Researched,"
           "Contacted insiders,Questions prepared,Prep hours,Asked for feedback\n") + """\
Acme,Analyst,2025-01-10,Rejected,2025-01-20,,Yes,No,,1,No
Beta,Analyst,2025-01-20,Rejected after phone screen,2025-02-01,,No,,,,yes
Gamma,Analyst,2025-02-01,Rejected after interview,2025-02-20,Needs leadership,✓,No,No,4,x
Delta,Analyst,2025-03-05,Rejected after final round,2025-03-25,,Yes,Yes,Yes,2,Yes
Eps,Analyst,2025-03-10,Offer,2025-03-28,,Yes,No,Yes,5,
Zeta,Analyst,2025-03-20,Rejected,2025-03-30,Leadership gap; salary expectations too high,,,,,
"""


@pytest.fixture
def coached(con, tmp_path):
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    return con


def _ids(con) -> dict[str, str]:
    return dict(con.execute("SELECT company, application_id FROM applications").fetchall())


def test_preparation_is_read_from_the_tracker(coached):
    """Yes/No/✓/x and hours in the tracker's columns become preparation facts."""
    rows = dict((r[0], r[1:]) for r in coached.execute(
        "SELECT company, researched, insiders_contacted, questions_prepared, prep_hours, "
        "feedback_asked FROM applications_view").fetchall())
    assert rows["Gamma"] == (True, False, False, 4.0, True)
    assert rows["Beta"] == (False, None, None, None, True)
    assert rows["Zeta"] == (None, None, None, None, None)


def test_preparation_set_in_the_app_wins_and_survives_a_reimport(coached, tmp_path):
    """An answer given in the app replaces the tracker's and stays after re-importing."""
    ids = _ids(coached)
    save_preparations(coached, [(ids["Zeta"], {"researched": True, "prep_hours": 2.5}),
                                (ids["Acme"], {"researched": False})])
    ingest_file(coached, write_text(tmp_path, "t2.csv", TRACKER + "Theta,Analyst,2025-03-29,"
                                    "Applied,,,,,,,\n"))
    rows = dict(coached.execute("SELECT company, researched FROM applications_view").fetchall())
    assert rows["Zeta"] is True and rows["Acme"] is False and rows["Gamma"] is True


@pytest.mark.parametrize("values", [{"prep_hours": -1}, {"prep_hours": "lots"},
                                    {"researched": "maybe"}, {"shoe_size": 3}])
def test_bad_preparation_is_refused_and_nothing_is_stored(coached, values):
    """A bad value among good ones stores none of them."""
    ids = _ids(coached)
    with pytest.raises(ValueError):
        save_preparations(coached, [(ids["Acme"], {"researched": False}), (ids["Beta"], values)])
    assert coached.execute("SELECT count(*) FROM preparation_edits").fetchall() == [(0,)]


def test_preparation_effect_by_hand(coached):
    """Researched: Acme, Gamma, Delta, Eps (Gamma, Delta, Eps reached an interview: 3 of 4);
    not: Beta (0 of 1); Zeta unknown, left out. Prepared questions among interviews: Delta
    and Eps reached the final round (2 of 2); Gamma did not (0 of 1)."""
    frame = q.preparation_effect(coached, ALL).set_index(["kind", "with_it"])
    assert tuple(frame.loc[("researched", True), ["applications", "successes"]]) == (4, 3)
    assert tuple(frame.loc[("researched", False), ["applications", "successes"]]) == (1, 0)
    assert tuple(frame.loc[("questions_prepared", True), ["applications", "successes"]]) == (
        2, 2)
    assert tuple(frame.loc[("questions_prepared", False), ["applications", "successes"]]) == (
        1, 0)
    # 3 hours or more: Gamma and Eps (both reached an interview); under: Acme, Delta (1 of 2)
    assert tuple(frame.loc[("prep_hours", True), ["applications", "successes"]]) == (2, 2)
    assert tuple(frame.loc[("prep_hours", False), ["applications", "successes"]]) == (2, 1)


def test_plan_actions_done_dates_and_overdue(coached):
    """An action marked done records the day; one past its target and not done is overdue;
    a theme that does not exist is refused."""
    early = add_action(coached, "leadership", "Collect three stories of leading people",
                       target_on=D(2020, 1, 1))
    later = add_action(coached, "compensation", "Research the salary bands",
                       target_on=D(2099, 1, 1))
    update_action(coached, later, status="done")
    plan = q.plan(coached).set_index("action_id")
    assert bool(plan.loc[early, "overdue"]) and not bool(plan.loc[later, "overdue"])
    assert plan.loc[later, "done_on"].date() == dt.date.today()
    update_action(coached, later, status="in_progress")
    assert q.plan(coached).set_index("action_id").loc[later, "done_on"] is None or \
        str(q.plan(coached).set_index("action_id").loc[later, "done_on"]) == "NaT"
    with pytest.raises(ValueError):
        add_action(coached, "astrology", "Read the stars")
    with pytest.raises(ValueError):
        update_action(coached, early, status="finished")


def test_themes_that_recur_without_an_action_come_first(coached):
    """Leadership (Gamma, Zeta) and compensation (Zeta) recur; with an action for
    compensation only, leadership is listed first as having none."""
    add_action(coached, "compensation", "Research the salary bands")
    coverage = q.theme_coverage(coached, ALL)
    assert coverage["theme"].tolist()[:2] == ["leadership", "compensation"]
    row = coverage.set_index("theme").loc["leadership"]
    assert (row["applications"], row["open_actions"]) == (2, 0)


def test_sessions_keep_their_agreed_actions(coached):
    """A session records its agreed actions in one go; deleting the session keeps them."""
    session = add_session(coached, D(2025, 3, 1), "Agreed to work on leadership stories",
                          [("leadership", "Write three STAR stories", D(2025, 3, 15))])
    assert q.sessions(coached)[["held_on", "actions"]].values.tolist()[0][1] == 1
    delete_session(coached, session)
    assert q.sessions(coached).empty
    assert q.plan(coached)["action"].tolist() == ["Write three STAR stories"]
    with pytest.raises(ValueError):
        add_session(coached, "yesterday")


def test_review_compares_since_the_last_session_with_before(coached):
    """Session on 1 March; the data ends 30 March (29 days): now = 1–30 March (Delta, Eps,
    Zeta), before = 31 January – 28 February (Gamma). Leadership stays at 1 (Gamma's
    outcome on 20 Feb, Zeta's on 30 Mar); compensation appears (0 → 1)."""
    add_session(coached, D(2025, 3, 1), "First")
    review = q.review(coached, ALL)
    assert (review["start"], review["end"]) == (D(2025, 3, 1), D(2025, 3, 30))
    assert review["prev_start"] == D(2025, 1, 31)
    assert review["figures"]["now"]["applications"] == 3
    assert review["figures"]["now"]["offers"] == 1
    assert review["figures"]["before"]["applications"] == 1
    assert review["stages"]["now"]["final"] == pytest.approx(2 / 3)
    themes = review["themes"].set_index("label")
    assert tuple(themes.loc["Compensation", ["before", "now"]]) == (0, 1)
    assert tuple(themes.loc["Leadership", ["before", "now"]]) == (1, 1)


def test_weekly_goal_and_activity(coached):
    """The goal is a whole number of applications a week; activity counts what the
    candidate controls per week."""
    set_weekly_goal(coached, 5)
    assert weekly_goal(coached) == 5
    with pytest.raises(ValueError):
        set_weekly_goal(coached, 0)
    set_weekly_goal(coached, None)
    assert weekly_goal(coached) is None
    weeks = q.weekly_activity(coached, ALL).set_index("week")
    assert weeks["applications"].sum() == 6
    # the week of Monday 3 March holds Delta alone: researched, asked for feedback
    week = weeks.loc[pd.Timestamp(2025, 3, 3)]
    assert week[["applications", "prepared", "feedback_asked"]].tolist() == [1, 1, 1]


def test_plan_sessions_and_preparation_survive_reimport_and_removing_another_import(
        coached, tmp_path):
    """Plan actions, session notes, the goal and preparation typed in the app stay when the
    tracker is imported again and when an import of another file is removed."""
    from pipelines.edits.imports import remove_import

    add_session(coached, D(2025, 3, 1), "Notes typed in the app",
                [("leadership", "Write three stories", D(2025, 3, 15))])
    add_action(coached, "compensation", "Research the bands")
    set_weekly_goal(coached, 4)
    save_preparations(coached, [(_ids(coached)["Zeta"], {"researched": True})])
    other = ingest_file(coached, write_text(tmp_path, "other.csv",
                                            "Company,Job Title,Date Applied,Status\n"
                                            "Omega,Analyst,2025-04-01,Applied\n"))
    ingest_file(coached, write_text(tmp_path, "t2.csv", TRACKER + "Theta,Analyst,2025-04-02,"
                                    "Applied,,,,,,,\n"))
    remove_import(coached, other.import_id)
    assert q.sessions(coached)["notes"].tolist() == ["Notes typed in the app"]
    assert sorted(q.plan(coached)["action"]) == ["Research the bands", "Write three stories"]
    assert weekly_goal(coached) == 4
    assert coached.execute("SELECT researched FROM applications_view WHERE company = 'Zeta'"
                           ).fetchall() == [(True,)]

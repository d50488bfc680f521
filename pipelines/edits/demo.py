"""The demo data: Dana's sample tracker, her current role and her coaching, loaded on a
database's very first start and cleared with one click (what the user added meanwhile
stays)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from pipelines.edits.coaching import add_session, set_weekly_goal, update_action, weekly_goal
from pipelines.edits.corrections import save_profile
from pipelines.ingest.importer import ImportReport, ingest_file
from pipelines.store.db import scalar

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "tracker.xlsx"
# The sample tracker's candidate: Dana, VP of Communications at a 35-person local nonprofit.
SAMPLE_PROFILE = {"current_title": "VP of Communications", "org_size": 35,
                  "org_type": "nonprofit", "org_reach": "local", "people_managed": 2}

# Dana's coaching, loaded with the demo data (and cleared with it): two sessions, the
# actions agreed in them, and a weekly goal.
DEMO_SESSIONS = [
    (dt.date(2025, 5, 2), "First session. Most rejections come at the résumé stage for "
     "corporate director roles; feedback keeps naming leadership at scale and business "
     "acumen. Agreed to rewrite the résumé around outcomes and to research each company "
     "before applying.",
     [("leadership", "Write three stories of leading people or change, with team size and "
       "results", dt.date(2025, 5, 23), "done"),
      ("business_acumen", "Take a P&L basics course and use one budget example per interview",
       dt.date(2025, 6, 30), "in_progress")]),
    (dt.date(2025, 7, 18), "Second session. More screens since May; final rounds still "
     "lost on numbers. Aim at director roles in organisations under 5,000 people for now.",
     [("interview_performance", "Prepare three metrics for every story",
       dt.date(2025, 8, 8), "planned"),
      ("experience_gap", "Ask two corporate comms directors for an informational call",
       dt.date(2025, 8, 29), "planned")]),
]


def load_demo_coaching(con: duckdb.DuckDBPyConnection) -> None:
    """Dana's sessions, plan and goal, only into an empty plan; remembered as demo data."""
    if scalar(con, "SELECT count(*) FROM coach_sessions") or scalar(
            con, "SELECT count(*) FROM plan_actions"):
        return
    for held_on, notes, actions in DEMO_SESSIONS:
        session = add_session(con, held_on, notes, [(t, a, d) for t, a, d, _ in actions])
        for (*_, status), action_id in zip(actions, [r[0] for r in con.execute(
                "SELECT action_id FROM plan_actions WHERE session_id = ? ORDER BY action_id",
                [session]).fetchall()], strict=True):
            if status != "planned":
                update_action(con, action_id, status=status)
                con.execute("UPDATE plan_actions SET done_on = target_on "
                            "WHERE action_id = ? AND status = 'done'", [action_id])
    if weekly_goal(con) is None:
        set_weekly_goal(con, 5)
    con.execute("INSERT OR REPLACE INTO app_state VALUES ('demo_coaching', '1')")


def remove_demo_coaching(con: duckdb.DuckDBPyConnection) -> None:
    """Clear Dana's sessions, plan and goal, as far as they are still as the demo left them:
    the user's own sessions (with notes or without) and actions stay, and so do Dana's
    actions the user changed, the sessions that hold one of those, and the goal when anything
    of the plan or sessions stays."""
    if not scalar(con, "SELECT count(*) FROM app_state WHERE key = 'demo_coaching'"):
        return
    demo_sessions = {(held_on, notes) for held_on, notes, _ in DEMO_SESSIONS}
    demo_actions = {(theme, action, target, status, target if status == "done" else None)
                    for _, _, actions in DEMO_SESSIONS
                    for theme, action, target, status in actions}
    sessions = [sid for sid, *session in con.execute(
        "SELECT session_id, held_on, notes FROM coach_sessions").fetchall()
        if tuple(session) in demo_sessions]
    untouched = [aid for aid, sid, notes, *action in con.execute(
        "SELECT action_id, session_id, notes, theme, action, target_on, status, done_on "
        "FROM plan_actions").fetchall()
        if sid in sessions and notes is None and tuple(action) in demo_actions]
    for action_id in untouched:
        con.execute("DELETE FROM plan_actions WHERE action_id = ?", [action_id])
    for session_id in sessions:
        con.execute("DELETE FROM coach_sessions WHERE session_id = ? AND NOT EXISTS "
                    "(FROM plan_actions WHERE session_id = ?)", [session_id, session_id])
    if not scalar(con, "SELECT count(*) FROM coach_sessions") + scalar(
            con, "SELECT count(*) FROM plan_actions"):  # the user added nothing: Dana's goal
        con.execute("DELETE FROM app_state WHERE key = 'weekly_goal' AND value = '5'")
    con.execute("DELETE FROM app_state WHERE key = 'demo_coaching'")


def load_demo(con: duckdb.DuckDBPyConnection) -> ImportReport:
    """Import the sample tracker and remember it as demo data (to clear with one click). With
    no profile of the user's own yet, Dana's current role becomes the profile until the demo
    data is cleared."""
    report = ingest_file(con, SAMPLE, display_name="Demo data — Dana's sample tracker.xlsx")
    if report.import_id is not None:
        con.execute("INSERT OR REPLACE INTO app_state VALUES ('demo_import_id', ?)",
                    [str(report.import_id)])
        if not scalar(con, "SELECT count(*) FROM candidate_profile"):
            save_profile(con, **SAMPLE_PROFILE)
            con.execute("INSERT OR REPLACE INTO app_state VALUES ('demo_profile', '1')")
        load_demo_coaching(con)
    return report


def first_run_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """On a database's very first start, while it holds no application, load the demo
    tracker (``load_demo``); True when it did. Remembered in ``app_state``, so the demo
    never comes back after it was cleared. Run by ``silverlining run`` while the server
    starts, and by the app for a database that did not go through it."""
    if scalar(con, "SELECT count(*) FROM app_state WHERE key = 'started'"):
        return False
    con.execute("INSERT INTO app_state VALUES ('started', ?)", [dt.datetime.now().isoformat()])
    if scalar(con, "SELECT count(*) FROM applications"):
        return False
    load_demo(con)
    return True


def demo_import_id(con: duckdb.DuckDBPyConnection) -> int | None:
    """The import that holds the demo data, if it is still loaded."""
    value = scalar(con, "SELECT value FROM app_state WHERE key = 'demo_import_id'")
    return int(value) if value else None

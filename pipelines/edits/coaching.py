"""What the candidate and their coach keep in the app: preparation per application, the
development plan, coach sessions and the weekly goal. Each change is one transaction; none
of it is touched by importing a tracker again."""

from __future__ import annotations

import datetime as dt

import duckdb

from pipelines.domain import PLAN_STATUSES, PREPARATION_ANSWERS
from pipelines.edits.tables import save_edits
from pipelines.store.db import scalar, transaction


def _check_prep(values: dict) -> None:
    hours = values.get("prep_hours")
    if hours is not None and not (isinstance(hours, int | float) and 0 <= hours < 1000):
        raise ValueError("hours of preparation must be a number from 0 to 999")
    for name in PREPARATION_ANSWERS:
        if name != "prep_hours" and values.get(name) is not None and not isinstance(
                values[name], bool):
            raise ValueError(f"{name.replace('_', ' ')} is yes, no or not set")


def save_preparations(con: duckdb.DuckDBPyConnection, changes: list[tuple[str, dict]]) -> None:
    """Record preparation for several applications: every change is checked first, then all
    are stored in one transaction (a bad one stores none). None clears a value (the tracker's
    shows again)."""
    save_edits(con, "preparation_edits", PREPARATION_ANSWERS, _check_prep, changes)


def _check_action(theme: str | None, action: str | None, status: str | None) -> None:
    if theme is not None and not str(theme).strip():
        raise ValueError("an action needs a theme")
    if action is not None and not str(action).strip():
        raise ValueError("an action needs a description of what to do")
    if status is not None and status not in PLAN_STATUSES:
        raise ValueError(f"status is one of {', '.join(PLAN_STATUSES)}")


def add_action(con: duckdb.DuckDBPyConnection, theme: str, action: str, *,
               target_on: dt.date | None = None, status: str = "planned",
               notes: str | None = None, session_id: int | None = None) -> int:
    """Add an action to the development plan; returns its id."""
    _check_action(theme, action, status)
    if not scalar(con, "SELECT count(*) FROM themes WHERE theme = ?", [theme]):
        raise ValueError(f"there is no theme {theme!r}")
    return int(con.execute(
        "INSERT INTO plan_actions (theme, action, target_on, status, notes, session_id, "
        "done_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
        "CASE WHEN ? = 'done' THEN current_date END, now()::TIMESTAMP, now()::TIMESTAMP) "
        "RETURNING action_id",
        [theme, action.strip(), target_on, status, notes, session_id, status]).fetchall()[0][0])


_ACTION_FIELDS = ("theme", "action", "target_on", "status", "notes")


def update_action(con: duckdb.DuckDBPyConnection, action_id: int, **values) -> None:
    """Change an action's theme, text, target date, status or notes. Marking it done
    records the day; moving it out of done clears it."""
    unknown = set(values) - set(_ACTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown action field {sorted(unknown)[0]!r}")
    _check_action(values.get("theme"), values.get("action"), values.get("status"))
    if not scalar(con, "SELECT count(*) FROM plan_actions WHERE action_id = ?", [action_id]):
        raise ValueError(f"no action {action_id}")
    with transaction(con):
        for column, value in values.items():
            con.execute(f"UPDATE plan_actions SET {column} = ?, updated_at = now()::TIMESTAMP "
                        "WHERE action_id = ?", [value, action_id])
        if "status" in values:
            con.execute("UPDATE plan_actions SET done_on = CASE WHEN status = 'done' THEN "
                        "coalesce(done_on, current_date) END WHERE action_id = ?", [action_id])


def delete_action(con: duckdb.DuckDBPyConnection, action_id: int) -> None:
    con.execute("DELETE FROM plan_actions WHERE action_id = ?", [action_id])


def add_session(con: duckdb.DuckDBPyConnection, held_on: dt.date, notes: str | None = None,
                actions: list[tuple[str, str, dt.date | None]] = ()) -> int:
    """Record a coach session and the actions agreed in it (theme, action, target date), in
    one transaction; returns the session's id."""
    if not isinstance(held_on, dt.date):
        raise ValueError("a session needs the date it was held")
    for theme, action, _ in actions:
        _check_action(theme, action, None)
    with transaction(con):
        session = int(con.execute(
            "INSERT INTO coach_sessions (held_on, notes, created_at) "
            "VALUES (?, ?, now()::TIMESTAMP) RETURNING session_id",
            [held_on, (notes or "").strip() or None]).fetchall()[0][0])
        for theme, action, target in actions:
            add_action(con, theme, action, target_on=target, session_id=session)
    return session


def delete_session(con: duckdb.DuckDBPyConnection, session_id: int) -> None:
    """Remove a session; the actions agreed in it stay in the plan."""
    with transaction(con):
        con.execute("UPDATE plan_actions SET session_id = NULL WHERE session_id = ?",
                    [session_id])
        con.execute("DELETE FROM coach_sessions WHERE session_id = ?", [session_id])


def set_weekly_goal(con: duckdb.DuckDBPyConnection, applications: int | None) -> None:
    """How many applications a week the candidate aims for (None: no goal)."""
    if applications is not None and not (isinstance(applications, int) and
                                         0 < applications <= 200):
        raise ValueError("a weekly goal is a whole number of applications from 1 to 200")
    con.execute("DELETE FROM app_state WHERE key = 'weekly_goal'")
    if applications is not None:
        con.execute("INSERT INTO app_state VALUES ('weekly_goal', ?)", [str(applications)])


def weekly_goal(con: duckdb.DuckDBPyConnection) -> int | None:
    value = scalar(con, "SELECT value FROM app_state WHERE key = 'weekly_goal'")
    return int(value) if value else None

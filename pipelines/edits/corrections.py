"""What the user changes in the app, written in one transaction each, together with the themes
and levels derived from it.

Corrections live in their own tables (``annotations``, ``status_overrides``, ``scope_edits``)
keyed by ``application_id`` or status text, so re-importing a tracker never touches them; the
``applications_view`` applies them. The candidate's own role is in ``candidate_profile``.
"""

from __future__ import annotations

import duckdb

from pipelines.derive.scope import refresh_scope
from pipelines.derive.themes import refresh_themes
from pipelines.domain import (
    HIGHEST_LEVEL,
    LEVELS,
    LOWEST_LEVEL,
    ORG_TYPES,
    OUTCOMES,
    PROFILE_FIELDS,
    REACHES,
    SCOPE_FIELDS,
    STAGES,
)
from pipelines.edits.tables import _upsert, save_edits
from pipelines.store.db import scalar, transaction

_UNSET = object()


def _check(stage: str | None, outcome: str | None) -> None:
    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    if outcome is not None and outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; outcomes are {', '.join(OUTCOMES)}")


def save_annotation(con: duckdb.DuckDBPyConnection, application_id: str, *,
                    stage: str | None | object = _UNSET, outcome: str | None | object = _UNSET,
                    feedback: str | None | object = _UNSET,
                    notes: str | None | object = _UNSET) -> None:
    """Record the user's correction of one application; fields not given keep their value,
    None clears a correction. Raises ValueError for an unknown application, stage or
    outcome."""
    if not scalar(con, "SELECT count(*) FROM applications WHERE application_id = ?",
                  [application_id]):
        raise ValueError(f"no application {application_id!r}")
    given = {"stage_reached": stage, "outcome": outcome, "feedback": feedback, "notes": notes}
    given = {k: v for k, v in given.items() if v is not _UNSET}
    _check(given.get("stage_reached"), given.get("outcome"))
    with transaction(con):  # with the themes it changes, or not at all
        _upsert(con, "annotations", application_id, given)
        if "feedback" in given or "notes" in given:
            refresh_themes(con)


def _check_scope(values: dict) -> None:
    """ValueError, in words, for a scope value the schema would refuse."""
    level = values.get("title_level")
    if level is not None and not (isinstance(level, int) and
                                  LOWEST_LEVEL <= level <= HIGHEST_LEVEL):
        raise ValueError(f"title level must be a whole number from {LOWEST_LEVEL} "
                         f"({LEVELS[LOWEST_LEVEL]}) to {HIGHEST_LEVEL} ({LEVELS[HIGHEST_LEVEL]})")
    for name, least in (("org_size", 1), ("people_managed", 0), ("budget", 0)):
        value = values.get(name)
        if value is not None and not (isinstance(value, int | float) and value >= least
                                      and value < 1e12):
            raise ValueError(f"{name.replace('_', ' ')} must be a number of at least {least}")
    for name, allowed in (("org_type", ORG_TYPES), ("org_reach", REACHES)):
        if values.get(name) is not None and values[name] not in allowed:
            raise ValueError(f"{name.replace('_', ' ')} must be one of {', '.join(allowed)}")


def save_scope(con: duckdb.DuckDBPyConnection, application_id: str, **values) -> None:
    """Record the scope the user set for one application (title_level, org_size, org_type,
    org_reach, people_managed, budget); fields not given keep their value, None clears one
    (the tracker's value shows again). Then refresh the derived levels."""
    save_scopes(con, [(application_id, values)])


def save_scopes(con: duckdb.DuckDBPyConnection, changes: list[tuple[str, dict]]) -> None:
    """save_scope for several applications at once: every change is checked first, then
    all are stored in one transaction (a bad one stores none), then the levels refresh."""
    with transaction(con):  # with the levels they change, or not at all
        save_edits(con, "scope_edits", SCOPE_FIELDS, _check_scope, changes)
        refresh_scope(con)


def save_profile(con: duckdb.DuckDBPyConnection, **values) -> None:
    """Set the candidate's own current role (current_title, title_level — None to read it
    from the title —, org_size, org_type, org_reach, people_managed); fields not given keep
    their value. Every application's stretch is measured from it."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile field {sorted(unknown)[0]!r}")
    _check_scope(values)
    with transaction(con):
        con.execute("INSERT INTO candidate_profile (id, updated_at) VALUES (1, now()::TIMESTAMP) "
                    "ON CONFLICT DO NOTHING")
        for column, value in values.items():
            con.execute(f"UPDATE candidate_profile SET {column} = ?, "
                        "updated_at = now()::TIMESTAMP WHERE id = 1", [value])
        con.execute("DELETE FROM app_state WHERE key = 'demo_profile'")
        refresh_scope(con)


def place_status(con: duckdb.DuckDBPyConnection, status_raw: str, stage: str,
                 outcome: str) -> int:
    """Give every application with this status text a stage and outcome (for a status the
    rules did not understand). Returns how many applications carry it."""
    _check(stage, outcome)
    with transaction(con):
        con.execute("INSERT OR REPLACE INTO status_overrides VALUES (?, ?, ?, now()::TIMESTAMP)",
                    [status_raw, stage, outcome])
    return scalar(con, "SELECT count(*) FROM applications WHERE status_raw = ?", [status_raw])

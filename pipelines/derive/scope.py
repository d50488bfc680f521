"""Scope: what a role really holds, and the effective level that compares roles across
organisations (see docs/scope.md for the model and its reasoning).

effective level = title level
                  + weight(title level) × (size term + reach term)
                  + people term

* size term: log10(employees / reference size), clipped; a role at an organisation of the
  reference size keeps its title level, ten times larger adds one unit, ten times smaller
  takes one away;
* weight(title level) grows with the level: the scope of a chief executive scales with the
  organisation, an intern's hardly at all;
* reach term: local, regional, national or global, in the same units as a factor of ten in
  size;
* people term: a small step up or down for the number of people the role manages.

Unknown size, reach or people managed add nothing, so where nothing is known the effective
level is the title level. Every parameter lives in ``ScopeModel``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from pipelines.derive.titles import read_title, read_titles
from pipelines.store.db import transaction
from pipelines.store.migrations import clear_stale


@dataclass(frozen=True)
class ScopeModel:
    """The parameters of the effective-level model, in one place."""

    reference_size: float = 1000.0      # employees at which a title means what it says
    size_floor: float = -3.0            # the size term's range, in factors of ten
    size_ceiling: float = 2.0
    weight_per_level: float = 0.15      # weight = weight_per_level × (title level − 1)
    reach: dict[str, float] = field(default_factory=lambda: {
        "local": -0.5, "regional": -0.25, "national": 0.0, "global": 0.5})
    people_weight: float = 0.3          # per factor of ten people managed above / below ...
    people_reference: float = 10.0      # ... this many
    people_floor: float = -1.0
    people_ceiling: float = 2.0


MODEL = ScopeModel()


def effective_levels(level: pd.Series, size: pd.Series, reach: pd.Series,
                     people: pd.Series, model: ScopeModel = MODEL) -> pd.Series:
    """The effective level of each role; NULL where the title level is unknown."""
    terms = scope_terms(level, size, reach, people, model)
    return (level.astype("Float64") + terms["size"] + terms["reach"] + terms["people"]).round(2)


def scope_terms(level: pd.Series, size: pd.Series, reach: pd.Series, people: pd.Series,
                model: ScopeModel = MODEL) -> pd.DataFrame:
    """The model's terms for each role (0 where the fact is unknown), to show how an
    effective level was reached."""
    lvl = pd.to_numeric(level, errors="coerce").astype("float64").to_numpy()
    weight = model.weight_per_level * (lvl - 1)
    employees = pd.to_numeric(size, errors="coerce").astype("float64").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        size_term = np.clip(np.log10(employees / model.reference_size), model.size_floor,
                            model.size_ceiling)
        managed = pd.to_numeric(people, errors="coerce").astype("float64").to_numpy()
        people_term = model.people_weight * np.clip(
            np.log10(managed / model.people_reference), model.people_floor,
            model.people_ceiling)
    size_term = np.where(employees > 0, size_term, 0.0)
    people_term = np.where(managed > 0, people_term, 0.0)
    reach_term = reach.astype(object).map(model.reach).astype("float64").fillna(0.0).to_numpy()
    return pd.DataFrame({"size": np.nan_to_num(weight * size_term),
                         "reach": np.nan_to_num(weight * reach_term),
                         "people": people_term}, index=level.index)


def effective_level(title_level: int | None, org_size: float | None = None,
                    reach: str | None = None, people: float | None = None) -> float | None:
    """One role's effective level."""
    if title_level is None:
        return None
    value = effective_levels(pd.Series([title_level]), pd.Series([org_size]),
                             pd.Series([reach], dtype=object), pd.Series([people]))
    return float(value.iloc[0])


def candidate_level(con: duckdb.DuckDBPyConnection) -> tuple[float | None, int | None]:
    """(effective level, title level) of the candidate's own current role, from the profile;
    (None, None) while no profile or no readable title is set."""
    rows = con.execute("SELECT current_title, title_level, org_size, org_reach, people_managed "
                       "FROM candidate_profile").fetchall()
    if not rows:
        return None, None
    title, level, size, reach, people = rows[0]
    level = level if level is not None else read_title(title).level
    return effective_level(level, size, reach, people), level


def refresh_scope(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``title_level``, ``title_words``, ``title_function``, ``manages_people``,
    ``effective_level`` and ``stretch`` on every application from its title, its scope (as
    corrected in the app) and the candidate's profile, in one transaction (the caller's,
    inside ``transaction``). Distinct titles are read once, distinct scopes computed once."""
    titles = read_titles(pd.Series([r[0] for r in con.execute(
        "SELECT DISTINCT job_title FROM applications WHERE job_title IS NOT NULL").fetchall()],
        dtype=object))
    con.register("_titles_df", titles)
    try:
        with transaction(con):
            con.execute("""UPDATE applications a SET title_level = t.title_level,
                    title_words = t.title_words, title_function = t.title_function,
                    manages_people = t.manages_people
                FROM _titles_df t WHERE t.title = a.job_title
                  AND (a.title_level IS DISTINCT FROM t.title_level
                       OR a.title_words IS DISTINCT FROM t.title_words
                       OR a.title_function IS DISTINCT FROM t.title_function
                       OR a.manages_people IS DISTINCT FROM t.manages_people)""")
            con.register("_scopes_df", _scopes(con))
            # Applications without a scope edit are matched to their scope directly, not
            # joined back to themselves by id (which cost most of a million-row refresh).
            con.execute(f"""UPDATE applications a SET effective_level = s.effective,
                    stretch = s.stretch
                FROM _scopes_df s WHERE {_same_scope("a")}
                  AND a.application_id NOT IN (SELECT application_id FROM scope_edits)
                  AND (a.effective_level IS DISTINCT FROM s.effective
                       OR a.stretch IS DISTINCT FROM s.stretch)""")
            con.execute(f"""UPDATE applications a SET effective_level = s.effective,
                    stretch = s.stretch
                FROM ({_EDITED_SCOPES}) v JOIN _scopes_df s ON {_same_scope("v")}
                WHERE v.application_id = a.application_id
                  AND (a.effective_level IS DISTINCT FROM s.effective
                       OR a.stretch IS DISTINCT FROM s.stretch)""")
            clear_stale(con, "scope")
    finally:
        con.unregister("_titles_df")
        con.unregister("_scopes_df")  # a no-op when it was never registered


_SCOPE = ("title_level", "org_size", "org_reach", "people_managed")
# Each application's scope as applications_view shows it (a scope edit wins).
_SCOPES = ("SELECT a.application_id, " + ", ".join(
    f"coalesce(se.{c}, a.{c}) AS {c}" for c in _SCOPE) +
    " FROM applications a LEFT JOIN scope_edits se USING (application_id)")
_EDITED_SCOPES = ("SELECT se.application_id, " + ", ".join(
    f"coalesce(se.{c}, a.{c}) AS {c}" for c in _SCOPE) +
    " FROM scope_edits se JOIN applications a USING (application_id)")


def _same_scope(alias: str) -> str:
    return " AND ".join(f"s.{c} IS NOT DISTINCT FROM {alias}.{c}" for c in _SCOPE)


def _scopes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each distinct (title level, size, reach, people managed) with its effective level and
    stretch."""
    scopes = con.execute(f"""SELECT DISTINCT {", ".join(_SCOPE)} FROM ({_SCOPES})""").df()
    own, _ = candidate_level(con)
    scopes["effective"] = effective_levels(scopes["title_level"], scopes["org_size"],
                                           scopes["org_reach"], scopes["people_managed"])
    stretch = scopes["effective"] - own if own is not None else pd.NA
    scopes["stretch"] = pd.Series(stretch, index=scopes.index, dtype="Float64").round(2)
    return scopes

"""``applications_view``: one row per application as the dashboard shows it, the imported
facts with the user's corrections applied (an annotation wins over a status override, which
wins over the import; a scope edit wins over the tracker's scope; the user's preparation
answers win over the tracker's). ``edited`` says whether anything was changed by hand.

Corrections live in their own tables so that a re-import never overwrites them:
``annotations`` (stage, outcome, feedback, notes set in the app), ``status_overrides`` (the
meaning given to a status text), ``scope_edits`` and ``preparation_edits``. The stored view
joins all four. ``view_sql(present)`` writes the same view joining only the tables named in
``present``, the other tables' columns taken as NULL: with no correction stored (the usual
case for a large import) a query reads the applications table alone, about three times
faster on a million rows than through four joins. One definition serves both, so they
cannot drift apart; ``edits_present`` says which tables hold rows.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb

from pipelines.domain import NOT_A_YES_WORDS, PREPARATION_FIELDS, SCOPE_FIELDS, sql_says

# alias → (table, join condition)
EDIT_TABLES = {
    "n": ("annotations", "n.application_id = a.application_id"),
    "so": ("status_overrides", "so.status_raw = a.status_raw"),
    "se": ("scope_edits", "se.application_id = a.application_id"),
    "pe": ("preparation_edits", "pe.application_id = a.application_id"),
}
ALL_TABLES = frozenset(table for table, _ in EDIT_TABLES.values())
# Referred: the tracker names a referrer (anything but no or nothing in a Referral cell) or
# the source says referral. Not referred: the Referral cell says no, or the source is known
# and is not a referral. Unknown (NULL) otherwise. The user's answer wins; every page reads
# this one answer.
_SAYS_NO = sql_says("a.referral", NOT_A_YES_WORDS)
_REFERRED = (f"CASE WHEN (nullif(trim(a.referral), '') IS NOT NULL AND NOT {_SAYS_NO}) "
             "OR lower(a.source_channel) LIKE '%referr%' THEN TRUE "
             f"WHEN nullif(trim(a.referral), '') IS NOT NULL "
             "OR nullif(trim(a.source_channel), '') IS NOT NULL THEN FALSE END")


def view_sql(present: Collection[str] = ALL_TABLES) -> str:
    """The view's SELECT, joining the correction tables in ``present`` only."""
    def c(alias: str, column: str) -> str:
        return f"{alias}.{column}" if EDIT_TABLES[alias][0] in present else "NULL"

    feedback = f"coalesce({c('n', 'feedback')}, a.feedback)"
    replaced = [
        f"coalesce({c('n', 'stage_reached')}, {c('so', 'stage_reached')}, a.stage_reached) "
        "AS stage_reached",
        f"coalesce({c('n', 'outcome')}, {c('so', 'outcome')}, a.outcome) AS outcome",
        f"{feedback} AS feedback",
        f"coalesce({c('n', 'notes')}, a.notes) AS notes",
        *(f"coalesce({c('se', col)}, a.{col}) AS {col}" for col in SCOPE_FIELDS),
        *(f"coalesce({c('pe', col)}, a.{col}) AS {col}" for col in PREPARATION_FIELDS),
    ]
    edited = " OR ".join(f"{c(alias, key)} IS NOT NULL" for alias, key in (
        ("n", "application_id"), ("so", "status_raw"), ("se", "application_id"),
        ("pe", "application_id")))
    joins = "".join(f"\nLEFT JOIN {table} {alias} ON {condition}"
                    for alias, (table, condition) in EDIT_TABLES.items() if table in present)
    return (f"SELECT a.* REPLACE ({', '.join(replaced)}),\n"
            f"       coalesce({c('pe', 'referred')}, {_REFERRED}) AS referred,\n"
            f"       coalesce({c('pe', 'feedback_received')}, {feedback} IS NOT NULL) "
            "AS feedback_received,\n"
            f"       ({edited}) AS edited\n"
            f"FROM applications a{joins}")


def edits_present(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The correction tables that hold at least one row."""
    tables = sorted(ALL_TABLES)
    found = con.execute("SELECT " + ", ".join(f"EXISTS (FROM {t})" for t in tables)
                        ).fetchall()[0]
    return frozenset(t for t, used in zip(tables, found, strict=True) if used)


def pruned_view(con: duckdb.DuckDBPyConnection) -> str:
    """``applications_view`` as a subquery joining only the correction tables that hold
    rows: the same rows, without four joins when nothing was edited."""
    return f"({view_sql(edits_present(con))})"


def create_view(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the stored ``applications_view``, joining every correction table."""
    con.execute(f"CREATE OR REPLACE VIEW applications_view AS {view_sql()}")

"""Changes to a database's data that go with a new version, recorded: an ordered list, each
applied once, in its own transaction, and remembered in ``schema_migrations``.

``schema.sql`` holds every table and column as they are now and is safe to apply twice (a
column added later is an ``ALTER TABLE … ADD COLUMN IF NOT EXISTS`` there). What the schema
cannot say, such as filling a new column from the data already stored or recomputing the
matching keys after their rule changed, is a migration here. Opening a database applies the
ones it has not had; one that has had them all is opened without a write.

A migration copies or recomputes stored facts; it never re-tags feedback or re-reads titles
(that is ``pipelines.derive``). Where a new derived column would need that, the migration
marks it stale in ``app_state`` (``stale:<what>``), and the next refresh, at the start of
``silverlining run`` or the dashboard, or with any import or edit, fills it.

Modelled on sqlite-utils' ``migrations.py``: a migration is named once and never edited after
release; a change of mind is a new migration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from pipelines.store.tags import copy_theme_codes

STALE = "stale:"  # app_state key prefix: derived data a refresh must redo ('stale:scope')


@dataclass(frozen=True)
class Migration:
    """One recorded change: a name that never changes and what it does."""

    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def _theme_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Databases tagged before ``applications.theme_codes`` existed: copy their stored tags
    into it (a copy of ``application_themes``; nothing is re-tagged)."""
    if _one(con, "SELECT EXISTS (FROM application_themes) AND NOT EXISTS "
                 "(FROM applications WHERE theme_codes IS NOT NULL)"):
        copy_theme_codes(con)


def _title_words(con: duckdb.DuckDBPyConnection) -> None:
    """Databases whose titles were read before ``title_words`` was stored: the words come
    from reading the titles again, which is a refresh's work, so mark the scope stale."""
    if _one(con, "SELECT EXISTS (FROM applications WHERE title_level IS NOT NULL) AND NOT "
                 "EXISTS (FROM applications WHERE title_words IS NOT NULL)"):
        mark_stale(con, "scope")


def _folded_keys(con: duckdb.DuckDBPyConnection) -> None:
    """The matching keys of companies and titles by the one folding rule
    (``pipelines.textfold``: a dotless 'ı' is now an 'i', so 'Işık' and 'ISIK' match).
    Only names with a letter outside ASCII can change; those keys are computed again, so a
    re-imported tracker still finds its applications."""
    import pandas as pd

    from pipelines.normalize.text import company_key, title_key

    for column, key, keyer in (("company", "company_key", company_key),
                               ("job_title", "title_key", title_key)):
        rows = con.execute(f"SELECT DISTINCT {column}, {key} FROM applications "
                           f"WHERE {column} IS NOT NULL AND NOT regexp_full_match("
                           f"{column}, '[\\x00-\\x7f]*')").fetchall()
        if not rows:
            continue
        names = pd.Series([r[0] for r in rows], dtype=object)
        fresh = keyer(names, cleaned=True).tolist()
        changed = [(name, new) for (name, old), new in zip(rows, fresh, strict=True)
                   if new == new and new != old]  # NA (no key) is left as it was
        if changed:
            con.executemany(f"UPDATE applications SET {key} = ? WHERE {column} = ?",
                            [[new, name] for name, new in changed])


# In order; append only.
MIGRATIONS = (
    Migration("0001 theme codes copied from the stored tags", _theme_codes),
    Migration("0002 title words marked for a scope refresh", _title_words),
    Migration("0003 matching keys folded by one rule", _folded_keys),
)


def _one(con, sql: str, params: list | None = None):
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def pending(con: duckdb.DuckDBPyConnection) -> list[Migration]:
    """The migrations this database has not had, in order."""
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    return [m for m in MIGRATIONS if m.name not in done]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the pending migrations, each in its own transaction with its record (a crash
    leaves it undone, to be applied at the next open). Returns their names."""
    applied = []
    for migration in pending(con):
        con.execute("BEGIN TRANSACTION")
        try:
            migration.apply(con)
            con.execute("INSERT INTO schema_migrations VALUES (?, now()::TIMESTAMP)",
                        [migration.name])
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        applied.append(migration.name)
    return applied


def mark_stale(con: duckdb.DuckDBPyConnection, what: str) -> None:
    """Say that derived data (``what``: 'scope', 'themes') needs a refresh."""
    con.execute("INSERT OR REPLACE INTO app_state VALUES (?, '1')", [STALE + what])


def stale(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The derived data marked stale, e.g. ['scope']."""
    return sorted(r[0].removeprefix(STALE) for r in con.execute(
        "SELECT key FROM app_state WHERE starts_with(key, ?)", [STALE]).fetchall())


def clear_stale(con: duckdb.DuckDBPyConnection, what: str) -> None:
    """Say that ``what`` was refreshed (a no-op when it was not marked)."""
    con.execute("DELETE FROM app_state WHERE key = ?", [STALE + what])

"""Changes to the feedback codebook made in the app, each stored with the re-tagging of every
application in one transaction: add a theme, add a phrase, relabel, merge. (Suggested new
themes are found by ``pipelines.derive.suggestions``.)"""

from __future__ import annotations

import re
import zlib

import duckdb

from pipelines.derive.themes import load_codebook, refresh_themes
from pipelines.store.db import transaction
from pipelines.textfold import fold

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


def phrase_pattern(phrase: str) -> str:
    """A plain phrase typed by the user as a pattern over folded text: its words in order,
    each allowing an ending ('lack experience' also finds 'lacked experienced')."""
    words = fold(phrase).split()
    if not words:
        raise ValueError("the phrase has no words")
    return r"\b" + r"\s+".join(re.escape(w) + r"\w*" for w in words)


def add_theme(con: duckdb.DuckDBPyConnection, name: str, label: str, controllable: bool,
              description: str = "", action: str = "", phrases: tuple[str, ...] = ()) -> int:
    """Add a theme (with optional phrases) and re-tag. Returns the (application, theme) rows.
    Raises ValueError for a malformed or existing name."""
    if not _NAME.match(name):
        raise ValueError("a theme name starts with a letter and holds only lower-case letters, "
                         "digits and underscores (2 to 41 characters), e.g. 'portfolio_gap'")
    load_codebook(con)
    if con.execute("SELECT count(*) FROM themes WHERE theme = ?", [name]).fetchall()[0][0]:
        raise ValueError(f"there is already a theme {name!r}")
    patterns = [phrase_pattern(phrase) for phrase in phrases]  # every phrase checked first
    with transaction(con):  # with the tags it changes, or not at all
        con.execute("INSERT INTO themes VALUES (?, ?, ?, ?, ?, FALSE)",
                    [name, label.strip() or name, controllable, description, action])
        for pattern in patterns:
            _insert_pattern(con, name, pattern)
        return refresh_themes(con)


def theme_name(term: str) -> str:
    """A valid theme name for a term ('24x7 coverage' → 'theme_24x7_coverage', 'опыт' →
    'opyt' when it folds to letters, else 'theme_<n>')."""
    name = re.sub(r"[^a-z0-9]+", "_", fold(term)).strip("_")[:36]
    if not re.fullmatch(r"[a-z0-9_]+", name or "-"):
        name = f"{zlib.crc32(term.encode()) % 10**6}"
    return name if _NAME.match(name) else f"theme_{name}"[:41]


def _insert_pattern(con, theme: str, pattern: str) -> None:
    position = con.execute("SELECT coalesce(max(position), 0) + 1 FROM theme_phrases"
                           ).fetchall()[0][0]
    con.execute("INSERT OR IGNORE INTO theme_phrases VALUES (?, ?, FALSE, ?)",
                [theme, pattern, position])


def add_phrase(con: duckdb.DuckDBPyConnection, theme: str, phrase: str) -> int:
    """Teach a theme one more way of saying it, and re-tag."""
    _require(con, theme)
    pattern = phrase_pattern(phrase)
    with transaction(con):
        _insert_pattern(con, theme, pattern)
        return refresh_themes(con)


def update_theme(con: duckdb.DuckDBPyConnection, theme: str, *, label: str | None = None,
                 controllable: bool | None = None, description: str | None = None,
                 action: str | None = None) -> int:
    """Change a theme's label, controllable flag, description or action, and re-tag. A label
    cannot be emptied."""
    _require(con, theme)
    if label is not None and not str(label).strip():
        raise ValueError(f"the theme {theme!r} needs a label")
    with transaction(con):
        for column, value in (("label", label), ("controllable", controllable),
                              ("description", description), ("action", action)):
            if value is not None:
                con.execute(f"UPDATE themes SET {column} = ? WHERE theme = ?",
                            [value.strip() if isinstance(value, str) else value, theme])
        return refresh_themes(con)


def merge_themes(con: duckdb.DuckDBPyConnection, source: str, target: str) -> int:
    """Fold ``source`` into ``target``: its phrases now signal ``target``; ``source`` goes."""
    _require(con, source)
    _require(con, target)
    if source == target:
        raise ValueError("a theme cannot be merged into itself")
    with transaction(con):
        con.execute("""INSERT OR IGNORE INTO theme_phrases
                       SELECT ?, pattern, builtin, position FROM theme_phrases WHERE theme = ?""",
                    [target, source])
        con.execute("DELETE FROM theme_phrases WHERE theme = ?", [source])
        con.execute("DELETE FROM themes WHERE theme = ?", [source])
        return refresh_themes(con)


def _require(con, theme: str) -> None:
    load_codebook(con)
    if not con.execute("SELECT count(*) FROM themes WHERE theme = ?", [theme]).fetchall()[0][0]:
        raise ValueError(f"there is no theme {theme!r}")

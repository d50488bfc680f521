"""Changes to the feedback codebook made in the app, each followed by re-tagging every
application: add a theme, add a phrase, relabel, merge; and discovery of the reasons in
feedback that no theme names yet."""

from __future__ import annotations

import re
from collections import Counter

import duckdb
import pandas as pd

from pipelines.themes import fold, load_codebook, refresh_themes

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
STOPWORDS = set("""a about after again all also am an and any are as at be because been before
being but by can could did do does doing for from had has have having he her here him his how
i if in into is it its just me more most my no nor not of off on once only or other our out
over own same she should so some such than that the their them then there these they this
those through to too under until up very was we were what when where which while who why will
with would you your yours thanks thank regards dear hi hello team role position job company
application applied applying candidate candidates interview interviews recruiter hm said
told feedback email call week weeks day days time really also still get got""".split())


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
        raise ValueError("a theme name is lower case letters, digits and underscores")
    load_codebook(con)
    if con.execute("SELECT count(*) FROM themes WHERE theme = ?", [name]).fetchall()[0][0]:
        raise ValueError(f"there is already a theme {name!r}")
    con.execute("INSERT INTO themes VALUES (?, ?, ?, ?, ?, FALSE)",
                [name, label.strip() or name, controllable, description, action])
    for phrase in phrases:
        _insert_phrase(con, name, phrase)
    return refresh_themes(con)


def _insert_phrase(con, theme: str, phrase: str) -> None:
    position = con.execute("SELECT coalesce(max(position), 0) + 1 FROM theme_phrases"
                           ).fetchall()[0][0]
    con.execute("INSERT OR IGNORE INTO theme_phrases VALUES (?, ?, FALSE, ?)",
                [theme, phrase_pattern(phrase), position])


def add_phrase(con: duckdb.DuckDBPyConnection, theme: str, phrase: str) -> int:
    """Teach a theme one more way of saying it, and re-tag."""
    _require(con, theme)
    _insert_phrase(con, theme, phrase)
    return refresh_themes(con)


def update_theme(con: duckdb.DuckDBPyConnection, theme: str, *, label: str | None = None,
                 controllable: bool | None = None, description: str | None = None,
                 action: str | None = None) -> int:
    """Change a theme's label, controllable flag, description or action, and re-tag."""
    _require(con, theme)
    for column, value in (("label", label), ("controllable", controllable),
                          ("description", description), ("action", action)):
        if value is not None:
            con.execute(f"UPDATE themes SET {column} = ? WHERE theme = ?", [value, theme])
    return refresh_themes(con)


def merge_themes(con: duckdb.DuckDBPyConnection, source: str, target: str) -> int:
    """Fold ``source`` into ``target``: its phrases now signal ``target``; ``source`` goes."""
    _require(con, source)
    _require(con, target)
    if source == target:
        raise ValueError("a theme cannot be merged into itself")
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


def _terms(text: str) -> set[str]:
    words = [w for w in fold(text).split() if w not in STOPWORDS and len(w) > 2
             and not w.isdigit()]
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def suggest_themes(con: duckdb.DuckDBPyConnection, min_count: int = 2,
                   limit: int = 8) -> pd.DataFrame:
    """Feedback that no theme names, grouped by the term it shares most with other such
    feedback: one row per suggestion with term, applications, examples (up to 3 quotes).
    Offline and deterministic; a term makes a phrase for a new theme."""
    untagged = [r[0] for r in con.execute("""
        SELECT DISTINCT a.feedback FROM applications_view a
        WHERE a.feedback IS NOT NULL AND a.application_id NOT IN
              (SELECT application_id FROM application_themes)""").fetchall()]
    terms = {text: _terms(text) for text in untagged}
    frequency = Counter(t for found in terms.values() for t in found)
    groups: dict[str, list[str]] = {}
    for text, found in terms.items():
        shared = [t for t in found if frequency[t] >= min_count]
        if shared:  # the most shared term; a two-word term wins a tie
            best = max(shared, key=lambda t: (frequency[t], " " in t, t))
            groups.setdefault(best, []).append(text)
    rows = sorted(((term, len(texts), texts[:3]) for term, texts in groups.items()
                   if len(texts) >= min_count), key=lambda r: (-r[1], r[0]))[:limit]
    return pd.DataFrame(rows, columns=["term", "applications", "examples"])


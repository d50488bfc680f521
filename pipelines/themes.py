"""Feedback text → themes: recurring reasons in rejection feedback, each one controllable or
not, with the words that triggered it.

The codebook (themes, and phrases as regular expressions over folded text) ships in
``codebook.csv`` and ``theme_phrases.csv``, is copied into DuckDB on first use, and can be
edited there. Classification runs over *distinct* texts and is joined back to applications
in SQL. A phrase does not count where the text clears it ("no concerns about your
leadership", "it was not about experience") or praises it ("good culture fit, but ..."),
and a form letter counts as ``generic_template`` only when it gives no other reason.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import duckdb
import pandas as pd

GENERIC = "generic_template"
# Experience *of* one of these is that theme, not a general experience gap.
_SKILLS = {"leadership", "business_acumen", "technical_skills"}
# Cues before a phrase, in the same clause, that clear the candidate of it.
_CLEARING_CUES = [
    r"\bno (real )?(concerns?|issues?|problems?|doubts?|questions?) "
    r"(about|with|on|regarding|over)",
    r"\bnot (a |an )?(question|issue|problem|concern|matter|reflection) of",
    r"\bnot (due to|because of|about|related to|down to|the reason)",
    r"\b(nothing to do with|had nothing to do|regardless of|despite|aside from|apart from)",
    r"\b(wasn t|was not) (about|due to|because of|a question of|an issue)",
    r"\b(isn t|is not) about"]
_CLEARED = re.compile("(?:" + "|".join(_CLEARING_CUES) + r")(\s+\w+){0,3}\s*$")
# Praise right before a phrase ('good culture fit', 'impressed by your leadership').
_PRAISED_BEFORE = re.compile(
    r"\b(good|great|strong|excellent|impressive|solid|fantastic|outstanding|superb|perfect|"
    r"clear|positive|loved|liked|enjoyed|appreciated|impressed (by|with)|really (good|liked)|"
    r"very good|no gaps? in|confident in|happy with)( (your|the|his|her|their))?( \w+)?\s*$")
# Praise right after ('your experience was great', 'leadership is not a concern').
_PRAISED_AFTER = re.compile(
    r"^\s*(\w+\s){0,2}(was|were|is|are|looked|seemed|came across as)\s+(\w+\s)?(great|good|strong|"
    r"excellent|impressive|solid|fine|a plus|a strength|not (a|an) (issue|concern|problem))\b|"
    r"^\s*(\w+\s){0,2}(wasn t|was not|isn t|is not|weren t) (a factor|an issue|the issue|"
    r"a concern|the problem|required|needed)\b")
# 'not' right before a phrase: 'certainly not overqualified'.
_NOT_BEFORE = re.compile(r"\b(certainly |definitely |absolutely |clearly )?not\s*$")
_CLAUSES = re.compile(r"[.;:!?\n]+|\s[-–—]+\s|[–—]|"
                      r"\s+(?:but|however|although|though|whereas|yet)\s+")


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook."""

    name: str
    label: str
    controllable: bool
    description: str
    action: str


@dataclass(frozen=True)
class Codebook:
    """The themes and one compiled pattern (all phrases) per theme."""

    themes: dict[str, Theme]
    patterns: dict[str, re.Pattern[str]]

    @classmethod
    def build(cls, themes: list[Theme], phrases: list[tuple[str, str]]) -> Codebook:
        grouped: dict[str, list[str]] = {}
        for theme, pattern in phrases:
            grouped.setdefault(theme, []).append(f"(?:{pattern})")
        return cls({t.name: t for t in themes},
                   {t: re.compile("|".join(p)) for t, p in grouped.items()})


def _csv(name: str) -> list[dict[str, str]]:
    text = resources.files("pipelines").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def default_themes() -> list[Theme]:
    return [Theme(r["theme"], r["label"], r["controllable"] == "true", r["description"],
                  r["action"]) for r in _csv("codebook.csv")]


def default_phrases() -> list[tuple[str, str]]:
    return [(r["theme"], r["pattern"]) for r in _csv("theme_phrases.csv")]


def default_codebook() -> Codebook:
    return Codebook.build(default_themes(), default_phrases())


class _FoldTable(dict):
    """str.translate table filled on demand: a letter or digit → its lower-case base letter
    (accents off), anything else → a space."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = " "
        if char.isalnum():
            base = unicodedata.normalize("NFKD", char)[0].lower()
            value = base[0] if base else " "
        self[code] = value
        return value


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case, accents off, every other character than a letter or digit a space; the
    result has the text's length, so a match's span is the original's span."""
    return text.translate(_FOLD)


def _cleared(clause: str, start: int, end: int) -> bool:
    before, after = clause[:start], clause[end:]
    return bool(_CLEARED.search(before) or _PRAISED_BEFORE.search(before)
                or _NOT_BEFORE.search(before) or _PRAISED_AFTER.match(after))


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: sentences, and the parts around 'but', 'however'…"""
    spans, start = [], 0
    for match in _CLAUSES.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def classify_text(text: str, codebook: Codebook) -> dict[str, list[str]]:
    """Theme → the phrases (as written) that triggered it, for one feedback text."""
    if not isinstance(text, str) or not text.strip():
        return {}
    return _classify(text, fold(text), codebook, codebook.patterns)


def _classify(text: str, folded: str, codebook: Codebook,
              themes: Iterable[str]) -> dict[str, list[str]]:
    """classify_text, looking only for the given themes (the others are known not to match)."""
    patterns = [(theme, codebook.patterns[theme]) for theme in themes]
    found: dict[str, list[str]] = {}
    for start, end in _clauses(text):
        clause = folded[start:end]
        in_clause = set()
        for theme, pattern in patterns:
            for match in pattern.finditer(clause):
                if theme != GENERIC and _cleared(clause, match.start(), match.end()):
                    continue
                words = text[start + match.start():start + match.end()].strip()
                if words and words not in found.setdefault(theme, []):
                    found[theme].append(words)
                in_clause.add(theme)
        if "experience_gap" in in_clause and in_clause & _SKILLS:
            found.pop("experience_gap", None)  # experience of a named skill: that skill
    found = {t: w for t, w in found.items() if w}
    if "internal_candidate" in found:
        found.pop("stronger_candidate", None)  # the specific reason: an internal hire
    if len(found) > 1:
        found.pop(GENERIC, None)  # a letter that gives a reason is not a mere form letter
    return found


_LOOKAROUND = re.compile(r"\(\?(?:=|!|<=|<!)")


def _re2_pattern(pattern: str) -> str:
    """The pattern with its look-arounds removed: it matches wherever the original does, and
    DuckDB's RE2 engine can run it."""
    while match := _LOOKAROUND.search(pattern):
        pattern = pattern[:match.start()] + pattern[_group_end(pattern, match.start()):]
    return pattern


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group that opens at ``start`` (escapes and [...] sets skipped)."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 2 if pattern[i + 1:i + 2] == "]" else 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        depth += {"(": 1, ")": -1}.get(char, 0)
        i += 1
        if depth == 0:
            return i
    return len(pattern)


def _candidates(folded: list[str], codebook: Codebook) -> list[list[str]]:
    """For each folded text, the themes whose pattern can match it. DuckDB tests every text
    against every theme at once (RE2, all cores); Python's engine then works only on the
    hits. RE2's \\w and \\b know ASCII only, so a text with other letters keeps every theme,
    as does a theme whose pattern RE2 cannot read."""
    names = list(codebook.patterns)
    con = duckdb.connect()
    usable = []
    for name in names:
        try:
            con.execute("SELECT regexp_matches('', ?)", [_re2_pattern(
                codebook.patterns[name].pattern)]).fetchall()
            usable.append(name)
        except duckdb.Error:
            pass
    con.register("_folded", pd.DataFrame({"f": pd.Series(folded, dtype=object)}))
    tests = ", ".join(["NOT regexp_full_match(f, '[ a-z0-9]*')"]
                      + ["regexp_matches(f, ?)"] * len(usable))
    rows = con.execute(f"SELECT {tests} FROM _folded",
                       [_re2_pattern(codebook.patterns[n].pattern) for n in usable]).fetchall()
    con.close()
    always = [n for n in names if n not in usable]
    return [names if row[0] else always + [n for n, hit in zip(usable, row[1:], strict=True)
                                           if hit] for row in rows]


def classify_texts(values: pd.Series, codebook: Codebook) -> pd.DataFrame:
    """One row per (text, theme) for distinct texts: columns text, theme, evidence (the
    triggering phrases joined by ' · ')."""
    distinct = [t for t in pd.unique(values.dropna()) if isinstance(t, str) and t.strip()]
    folded = [fold(t) for t in distinct]
    rows = [(text, theme, " · ".join(words))
            for text, low, themes in zip(distinct, folded, _candidates(folded, codebook),
                                         strict=True) if themes
            for theme, words in _classify(text, low, codebook, themes).items()]
    return pd.DataFrame(rows, columns=["text", "theme", "evidence"])


def load_codebook(con: duckdb.DuckDBPyConnection) -> Codebook:
    """The codebook stored in the database, seeded with the defaults on first use."""
    if not con.execute("SELECT count(*) FROM themes").fetchall()[0][0]:
        seed_codebook(con)
    themes = [Theme(*row) for row in con.execute(
        "SELECT theme, label, controllable, description, action FROM themes "
        "ORDER BY theme").fetchall()]
    phrases = con.execute("SELECT theme, pattern FROM theme_phrases "
                          "ORDER BY theme, position").fetchall()
    return Codebook.build(themes, phrases)


def seed_codebook(con: duckdb.DuckDBPyConnection) -> None:
    """Store the default themes and phrases (only those not there yet)."""
    con.executemany("INSERT OR IGNORE INTO themes VALUES (?, ?, ?, ?, ?, TRUE)",
                    [(t.name, t.label, t.controllable, t.description, t.action)
                     for t in default_themes()])
    con.executemany("INSERT OR IGNORE INTO theme_phrases VALUES (?, ?, TRUE, ?)",
                    [(theme, pattern, i) for i, (theme, pattern) in
                     enumerate(default_phrases())])


def refresh_themes(con: duckdb.DuckDBPyConnection) -> int:
    """Re-tag every application's feedback and notes (as corrected in the app) and replace
    ``application_themes``. Returns the number of (application, theme) rows."""
    codebook = load_codebook(con)
    texts = pd.Series([r[0] for r in con.execute(
        "SELECT DISTINCT t FROM (SELECT feedback AS t FROM applications_view UNION ALL "
        "SELECT notes FROM applications_view) WHERE t IS NOT NULL").fetchall()], dtype=object)
    tags = classify_texts(texts, codebook)
    tags["controllable"] = tags["theme"].map(
        {n: t.controllable for n, t in codebook.themes.items()}).astype("boolean")
    con.register("_tags_df", tags)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM application_themes")
        con.execute("""INSERT INTO application_themes
            SELECT a.application_id, t.theme, any_value(t.controllable),
                   string_agg(DISTINCT t.evidence, ' · '), string_agg(DISTINCT s.source, ', ')
            FROM (SELECT application_id, feedback AS text, 'feedback' AS source
                  FROM applications_view WHERE feedback IS NOT NULL
                  UNION ALL SELECT application_id, notes, 'notes' FROM applications_view
                  WHERE notes IS NOT NULL) s
            JOIN _tags_df t ON t.text = s.text
            JOIN applications a USING (application_id)
            GROUP BY ALL""")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_tags_df")
    return con.execute("SELECT count(*) FROM application_themes").fetchall()[0][0]

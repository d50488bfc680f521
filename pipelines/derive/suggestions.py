"""Reasons in feedback that no theme names yet, grouped into suggested new themes: by the
words they share, or by meaning with the optional embeddings extra."""

from __future__ import annotations

import logging
from collections import Counter

import duckdb
import pandas as pd

from pipelines.store.view import pruned_view
from pipelines.textfold import fold

logger = logging.getLogger(__name__)

STOPWORDS = set("""a about after again all also am an and any are as at be because been before
being but by can could did do does doing for from had has have having he her here him his how
i if in into is it its just me more most my no nor not of off on once only or other our out
over own same she should so some such than that the their them then there these they this
those through to too under until up very was we were what when where which while who why will
with would you your yours thanks thank regards dear hi hello team role position job company
application applied applying candidate candidates interview interviews recruiter hm said
told feedback email call week weeks day days time really also still get got""".split())


def _terms(text: str) -> set[str]:
    words = [w for w in fold(text).split() if w not in STOPWORDS and len(w) > 2
             and not w.isdigit()]
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


METHODS = ("auto", "terms", "embeddings")


def suggest_themes(con: duckdb.DuckDBPyConnection, min_count: int = 2, limit: int = 8,
                   method: str = "auto") -> pd.DataFrame:
    """Feedback that no theme names, in groups of at least ``min_count`` texts: one row per
    suggestion with term (a phrase for a new theme), applications, examples (up to 3
    quotes) and method, the grouping used: "terms" groups by the term a text shares most
    with other such feedback (offline and deterministic); "embeddings" groups by meaning
    (pipelines.derive.embeddings, the optional extra) and names each group by the term its texts
    share most. ``method="auto"`` groups by meaning when the extra is installed; whenever
    the model cannot be used, the grouping falls back to terms with a logged warning."""
    if method not in METHODS:
        raise ValueError(f"method is one of {', '.join(METHODS)}, not {method!r}")
    untagged = [r[0] for r in con.execute(f"""
        SELECT DISTINCT feedback FROM {pruned_view(con)}
        WHERE feedback IS NOT NULL AND theme_codes IS NULL""").fetchall()]
    rows, used = None, "terms"
    if method != "terms" and len(untagged) >= max(min_count, 2):
        rows = _grouped_by_meaning(untagged, min_count, explicit=method == "embeddings",
                                   scope=_database_path(con))
        used = "embeddings"
    if rows is None:
        rows, used = _grouped_by_terms(untagged, min_count), "terms"
    rows = sorted(rows, key=lambda r: (-r[1], r[0]))[:limit]
    frame = pd.DataFrame(rows, columns=["term", "applications", "examples"])
    frame["method"] = used
    return frame


def _grouped_by_terms(untagged: list[str], min_count: int) -> list[tuple[str, int, list[str]]]:
    terms = {text: _terms(text) for text in untagged}
    frequency = Counter(t for found in terms.values() for t in found)
    groups: dict[str, list[str]] = {}
    for text, found in terms.items():
        shared = [t for t in found if frequency[t] >= min_count]
        if shared:  # the most shared term; a two-word term wins a tie
            best = max(shared, key=lambda t: (frequency[t], " " in t, t))
            groups.setdefault(best, []).append(text)
    return [(term, len(texts), texts[:3]) for term, texts in groups.items()
            if len(texts) >= min_count]


def _database_path(con: duckdb.DuckDBPyConnection) -> str:
    """The file of the connection's database ("" in memory): what keeps one client's cached
    vectors apart from another's."""
    found = con.execute("SELECT path FROM duckdb_databases() "
                        "WHERE database_name = current_database()").fetchall()
    return str(found[0][0] or "") if found else ""


def _grouped_by_meaning(untagged: list[str], min_count: int, explicit: bool,
                        scope: str = "") -> list[tuple[str, int, list[str]]] | None:
    """Groups of texts close in meaning, each named by the term its texts share most; None
    when the embeddings cannot be used (the caller then groups by terms)."""
    from pipelines.derive import embeddings

    if not embeddings.available():
        if explicit:
            logger.warning("Grouping feedback by meaning needs the optional embeddings extra "
                           "(pip install -e \".[embeddings]\"); grouping by shared words.")
        return None
    if len(untagged) > embeddings.MAX_TEXTS:
        (logger.warning if explicit else logger.info)(
            "%d distinct untagged feedback texts are more than the %d grouped by meaning; "
            "grouping by shared words.", len(untagged), embeddings.MAX_TEXTS)
        return None
    texts = sorted(untagged)
    try:
        labels = embeddings.group_texts(texts, scope=scope)
    except Exception as error:  # any failure of the optional model: fall back, say why
        logger.warning("Could not group feedback by meaning (%s: %s); grouping by shared "
                       "words instead.", type(error).__name__, error)
        return None
    members: dict[int, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        members.setdefault(label, []).append(text)
    terms = {text: _terms(text) for text in texts}
    frequency = Counter(t for found in terms.values() for t in found)
    rows, taken = [], set()
    for group in sorted(members.values(), key=lambda g: (-len(g), g[0])):
        if len(group) < min_count:
            continue
        shared = Counter(t for text in group for t in terms[text] if t not in taken)
        if not shared:  # no word left to name it by, so nothing to make a phrase of
            continue
        # the term most of the group shares; then the one most used in all untagged
        # feedback; a two-word term wins a tie, as in the grouping by terms
        term = max(shared, key=lambda t: (shared[t], frequency[t], " " in t, t))
        taken.add(term)
        examples = sorted(group, key=lambda text: term not in terms[text])[:3]
        rows.append((term, len(group), examples))
    return rows

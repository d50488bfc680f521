"""The vocabulary is defined once: the schema's constraints, the tables of edits and the
dashboard's labels all agree with pipelines.domain, and text folds by one rule."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from dashboard import labels
from pipelines import domain
from pipelines.store.db import connect
from pipelines.textfold import fold, fold_aligned, fold_char, fold_letters, fold_pattern

SCHEMA = resources.files("pipelines.store").joinpath("schema.sql").read_text("utf-8")
ALLOWED = {"stage_reached": domain.STAGES, "outcome": domain.OUTCOMES,
           "org_type": domain.ORG_TYPES, "org_reach": domain.REACHES,
           "status": domain.PLAN_STATUSES}


def _in_lists() -> list[tuple[str, tuple[str, ...]]]:
    """Every ``column IN ('a', 'b', …)`` CHECK in schema.sql, as (column, values)."""
    found = re.findall(r"CHECK \((\w+) IN\s*\(([^)]*)\)\)", SCHEMA)
    return [(column, tuple(re.findall(r"'([^']*)'", values))) for column, values in found]


def test_every_check_list_in_the_schema_is_the_domain_s():
    """Each CHECK (column IN …) of schema.sql lists exactly the domain's codes, in order."""
    lists = _in_lists()
    assert {column for column, _ in lists} == set(ALLOWED)
    assert len(lists) == 11
    for column, values in lists:
        assert values == ALLOWED[column], column


def test_the_schema_s_title_levels_are_the_domain_s():
    """Every title level CHECK spans the domain's scale."""
    spans = re.findall(r"title_level\s+INTEGER CHECK \(title_level BETWEEN (\d+) AND (\d+)\)",
                       SCHEMA)
    assert spans and set(spans) == {(str(domain.LOWEST_LEVEL), str(domain.HIGHEST_LEVEL))}


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
        [table]).fetchall()]


def test_tables_of_edits_hold_the_domain_s_fields(tmp_path):
    """scope_edits, preparation_edits and candidate_profile have one column per field of
    the domain (and the keys and time stamp); applications holds the tracker's preparation."""
    with connect(tmp_path / "t.duckdb") as con:
        assert _columns(con, "scope_edits")[1:-1] == list(domain.SCOPE_FIELDS)
        assert _columns(con, "preparation_edits")[1:-1] == list(domain.PREPARATION_ANSWERS)
        assert _columns(con, "candidate_profile")[1:-1] == list(domain.PROFILE_FIELDS)
        assert set(domain.PREPARATION_FIELDS) <= set(_columns(con, "applications"))


@pytest.mark.parametrize(("codes", "words"), [
    (domain.STAGES, labels.STAGE_LABELS), (domain.OUTCOMES, labels.OUTCOME_LABELS),
    (tuple(domain.LEVELS), labels.LEVEL_LABELS), (domain.ORG_TYPES, labels.TYPE_LABELS),
    (domain.REACHES, labels.REACH_LABELS), (domain.PLAN_STATUSES, labels.PLAN_STATUS_LABELS),
    (domain.PREPARATION_ANSWERS, labels.PREPARATION_LABELS)])
def test_every_code_has_exactly_one_label(codes, words):
    """The dashboard names every code of the domain, and nothing else."""
    assert set(words) == set(codes)


def test_the_sankey_nodes_are_every_stage_and_outcome_once():
    """Sankey nodes: the five stages then every outcome but the offer (the offer stage's
    node), each once."""
    assert len(labels.FLOW_NODES) == len(set(labels.FLOW_NODES)) == 9
    assert labels.FLOW_NODES[:5] == tuple(labels.STAGE_LABELS[s] for s in domain.STAGES)


@pytest.mark.parametrize(("text", "folded"), [
    ("Hayır", "hayir"), ("HAYIR", "hayir"), ("hayir", "hayir"), ("Straße", "strasse"),
    ("STRASSE", "strasse"), ("Zürich", "zurich"), ("ﬁnance", "finance"), ("Ａcme", "acme"),
    ("Nestlé  S.A.", "nestle s a"), ("不採用", "不採用"), ("ガイド", "カイト"),
    ("e\u0301cole", "ecole"), ("합격", "합격")])
def test_one_rule_folds_case_accents_eszett_and_dotless_i(text, folded):
    """Case, accents (in any script), ß, ı and compatibility forms fold by one rule."""
    assert fold(text) == folded


def test_every_fold_applies_the_same_rule_to_letters():
    """The word fold, the letter fold, the aligned fold and a pattern's fold agree letter by
    letter; they differ only in what they do with other characters."""
    text = "Größe & Işık, Ingénieur (m/w/d) — 👻 ﬁne"
    letters = fold_letters(text)
    assert letters == "grosse & isik, ingenieur (m/w/d) — 👻 fine"
    assert fold(text) == "grosse isik ingenieur m w d fine"
    assert fold_aligned(text)[0].split() == fold(text).split()
    # a pattern's ASCII is its syntax ('\W', '\B') and stays as written
    assert fold_pattern(r"\bingénieur\W*\B|Größe") == r"\bingenieur\W*\B|Grosse"


def test_aligned_fold_maps_every_folded_character_back():
    """Where a character folds to two ('ß' → 'ss'), the aligned fold says where each folded
    character came from, so a span of the folded text maps to the text as written."""
    text = "große Erfahrung"
    folded, index = fold_aligned(text)
    assert folded == "grosse erfahrung" and index is not None
    start = folded.index("erfahrung")
    assert text[index[start]:index[start + len("erfahrung") - 1] + 1] == "Erfahrung"
    assert fold_aligned("plain text") == ("plain text", None)


def test_fold_char_is_what_every_fold_is_built_on():
    """The character rule: ı → i, ß → ss, marks dropped, compatibility forms opened."""
    assert [fold_char(c) for c in "ıßéﬁＡ"] == ["i", "ss", "e", "fi", "a"]


def test_no_words_are_one_list_and_fold_like_any_text():
    """'no' in the languages read, whatever its case or accent, is a no; 'yes' is not."""
    for cell in ("Hayır", "HAYIR", "nein", "Não", "NON", "nee", "否", "✗"):
        assert (fold(cell) or cell) in domain.NO
    assert not domain.YES & domain.NOT_A_YES
    assert "-" in domain.NOT_A_YES and "n a" in domain.NOT_A_YES

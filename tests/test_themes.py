"""Feedback themes: the classifier against a labelled set written for the tests, its
handling of negation, contrast and notes that give no reason, and the tags kept in
application_themes after imports and edits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.derive.themes import classify_text, classify_texts, default_codebook
from pipelines.edits.corrections import save_annotation
from pipelines.ingest.importer import ingest_file
from tests.conftest import write_text

LABELLED = Path(__file__).parent / "data" / "feedback_labelled.csv"
CODEBOOK = default_codebook()
THEMES = {"experience_gap", "leadership", "business_acumen", "technical_skills",
          "interview_performance", "communication", "preparation", "culture_fit",
          "compensation", "overqualified", "credentials", "location_or_visa",
          "stronger_candidate", "internal_candidate", "role_cancelled", "generic_template"}


def _scores(path: Path = LABELLED) -> tuple[float, float, dict[str, tuple[float, float]]]:
    data = pd.read_csv(path, keep_default_na=False)
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for text, labels in zip(data["text"], data["themes"], strict=True):
        want = {t for t in labels.split("|") if t}
        got = set(classify_text(text, CODEBOOK))
        for theme in got & want:
            tp[theme] = tp.get(theme, 0) + 1
        for theme in got - want:
            fp[theme] = fp.get(theme, 0) + 1
        for theme in want - got:
            fn[theme] = fn.get(theme, 0) + 1
    hits = sum(tp.values())
    per_theme = {t: (tp.get(t, 0) / max(tp.get(t, 0) + fp.get(t, 0), 1),
                     tp.get(t, 0) / max(tp.get(t, 0) + fn.get(t, 0), 1)) for t in THEMES}
    return hits / (hits + sum(fp.values())), hits / (hits + sum(fn.values())), per_theme


def test_labelled_set_covers_every_theme():
    """The labelled set has at least 150 texts and every default theme at least 8 times."""
    data = pd.read_csv(LABELLED, keep_default_na=False)
    counts = data["themes"].str.split("|").explode().value_counts()
    assert len(data) >= 150
    assert {t for t in counts.index if t} == THEMES
    assert counts[list(THEMES)].min() >= 8


@pytest.mark.parametrize("name", ["feedback_labelled.csv", "feedback_heldout.csv",
                                  "feedback_heldout2.csv", "feedback_blind.csv"])
def test_micro_precision_and_recall_on_the_labelled_sets(name):
    """Micro-averaged precision and recall are both at least 0.85 on the four sets the
    phrases were written against (each was first measured blind, then used to tune; the
    blind figures are in the issue notes and docs/theme_language.md)."""
    precision, recall, _ = _scores(LABELLED.parent / name)
    assert precision >= 0.85 and recall >= 0.85, (precision, recall)


def test_final_blind_set_does_not_fall_below_its_first_measure():
    """feedback_final.csv (293 texts written blind, avoiding the obvious phrasing on purpose;
    never used to tune) was measured once: precision 0.799, recall 0.596. No change may make
    the classifier worse on it."""
    precision, recall, _ = _scores(LABELLED.parent / "feedback_final.csv")
    assert precision >= 0.79 and recall >= 0.59, (precision, recall)


def test_the_codebook_has_exactly_the_default_themes():
    """The default codebook holds the sixteen named themes, four of them not controllable
    beyond location: stronger candidate, internal candidate, role cancelled, form letter."""
    assert set(CODEBOOK.themes) == THEMES
    assert {t for t, theme in CODEBOOK.themes.items() if not theme.controllable} == {
        "location_or_visa", "stronger_candidate", "internal_candidate", "role_cancelled",
        "generic_template"}


@pytest.mark.parametrize(("text", "themes"), [
    ("good culture fit, but salary expectations too high", {"compensation"}),
    ("No concerns about your technical skills; the team felt leadership depth was missing",
     {"leadership"}),
    ("Not a question of experience - the role was frozen", {"role_cancelled"}),
    ("The position has been filled internally.", {"internal_candidate"}),
    ("Thank you for your interest. After careful consideration we have decided not to move "
     "forward.", {"generic_template"}),
    ("Unfortunately we had many strong applicants for this role.", {"stronger_candidate"}),
])
def test_negation_contrast_and_form_letters(text, themes):
    """Cleared or praised phrases do not count; a form letter giving a reason is tagged
    with the reason only."""
    assert set(classify_text(text, CODEBOOK)) == themes


@pytest.mark.parametrize(("text", "themes"), [
    ("Your leadership examples were some of the best we heard. Unfortunately the role has "
     "been frozen following this week's budget review.", {"role_cancelled"}),
    ("Dear Alex, everyone was impressed by your enthusiasm and preparation. Unfortunately, we "
     "have decided not to offer you the position.", {"generic_template"}),
    ("The panel scored you highly on culture and values. Where you fell short was the "
     "technical deep-dive.", {"technical_skills"}),
    ("No sponsorship issues on our side; the concern was that your background is in hardware "
     "sales.", {"experience_gap"}),
    ("Not a communication problem at all. The role needs someone who has owned a P&L.",
     {"business_acumen"}),
    ("Your experience is a great match, but the team didn't feel a strong values fit.",
     {"culture_fit"}),
    ("HM: you were great, someone else was just a bit stronger across the board",
     {"stronger_candidate"}),
])
def test_praise_clearing_and_negated_praise(text, themes):
    """Praise or clearing of a theme does not tag it; negated praise and praise of someone
    else (after a comma) do not clear it."""
    assert set(classify_text(text, CODEBOOK)) == themes


@pytest.mark.parametrize(("text", "themes"), [
    ("Leadership team decided to pause all external hiring for Q4, so we're closing this req.",
     {"role_cancelled"}),
    ("HM wanted evidence of leading a team through a reorg or a big change programme.",
     {"leadership"}),
    ("We've decided to move forward with another candidate.\n\nAll the best,\nTalent "
     "Acquisition", {"generic_template"}),
    ("After reviewing your qualifications, we have decided to pursue other candidates.",
     {"generic_template"}),
    ("Dear Sam, due to an internal restructuring the position will not be filled.",
     {"role_cancelled"}),
])
def test_words_used_in_another_sense_do_not_tag(text, themes):
    """'Leadership team', 'through a reorg', 'Talent Acquisition', 'your qualifications' and
    'internal restructuring' are not leadership, cancellation, credentials or an internal hire."""
    assert set(classify_text(text, CODEBOOK)) == themes


@pytest.mark.parametrize(("text", "themes"), [
    ("Leider müssen wir Ihnen mitteilen, dass die Position aufgrund einer internen "
     "Umstrukturierung nicht besetzt wird.", {"role_cancelled"}),
    ("Vos prétentions salariales dépassent l'enveloppe prévue pour ce poste.",
     {"compensation"}),
    ("Hemos decidido seguir con otro candidato cuyo perfil se ajusta mejor al puesto.",
     {"stronger_candidate"}),
    ("De functie is intern ingevuld door een collega die al in het team zat.",
     {"internal_candidate"}),
    ("Infelizmente, não foi selecionado para esta vaga.", {"generic_template"}),
    ("Purtroppo cerchiamo un profilo con più esperienza nella gestione di team.",
     {"leadership"}),
])
def test_phrases_in_other_languages(text, themes):
    """German, French, Spanish, Dutch, Portuguese and Italian feedback is tagged too."""
    assert set(classify_text(text, CODEBOOK)) == themes


@pytest.mark.parametrize("text", ["take-home due Monday (SQL + Python)",
                                  "Note: ask about visa sponsorship + team size at next stage",
                                  "prep: read their annual report, P&L section, before Tues",
                                  "Interview w/ VP Eng booked - review system design notes"])
def test_logistics_notes_get_no_theme(text):
    """A note about next steps that names a topic but gives no reason is not feedback."""
    assert classify_text(text, CODEBOOK) == {}


def test_shared_word_boundary_changes_no_match():
    """Each theme's pattern (runs of \\b-phrases sharing one \\b) matches exactly where the
    plain alternation of its phrases matches, on every labelled text."""
    import re

    from pipelines.derive.themes import default_phrases, expand_frames, fold
    plain: dict[str, list[str]] = {}
    for theme, pattern in default_phrases():
        plain.setdefault(theme, []).append(f"(?:{expand_frames(pattern)})")
    texts = [fold(t) for name in ("feedback_labelled.csv", "feedback_heldout.csv",
                                  "feedback_heldout2.csv")
             for t in pd.read_csv(LABELLED.parent / name, keep_default_na=False)["text"]]
    for theme, patterns in plain.items():
        slow = re.compile("|".join(patterns))
        for text in texts:
            assert ([m.span() for m in slow.finditer(text)]
                    == [m.span() for m in CODEBOOK.patterns[theme].finditer(text)]), theme


@pytest.mark.parametrize("text", ["follow up Friday", "sent thank-you note",
                                  "call scheduled with Priya 3pm", "", "   "])
def test_notes_without_a_reason_get_no_theme(text):
    """Logistics and reminders are not feedback."""
    assert classify_text(text, CODEBOOK) == {}


def test_evidence_keeps_the_words_as_written():
    """Each tag keeps the phrase that triggered it, in the text's own spelling."""
    found = classify_text("HM said my answers were too HIGH-LEVEL; no P&L ownership.",
                          CODEBOOK)
    assert found["interview_performance"] == ["answers were too HIGH-LEVEL"]
    assert "P&L" in found["business_acumen"]


def test_distinct_texts_are_classified_once_per_theme():
    """classify_texts returns one row per distinct (text, theme)."""
    texts = pd.Series(["comp too high", "comp too high", None, "no visa sponsorship"])
    rows = classify_texts(texts, CODEBOOK)
    assert sorted(zip(rows["text"], rows["theme"], strict=True)) == [
        ("comp too high", "compensation"), ("no visa sponsorship", "location_or_visa")]



def test_batch_classification_agrees_with_one_text_at_a_time():
    """The DuckDB pre-filter of classify_texts changes no tag: every labelled text, a text in
    another script and one with accents get the same themes as classify_text gives alone."""
    texts = [*pd.read_csv(LABELLED, keep_default_na=False)["text"],
             *pd.read_csv(LABELLED.parent / "feedback_heldout.csv", keep_default_na=False)["text"],
             "経験不足 — salary expectations too high", "They wanted more 日本 market experience",
             "Expérience en leadership insuffisante",
             "business priorities changed, role on hold"]
    rows = classify_texts(pd.Series(texts, dtype=object), CODEBOOK)
    batch = {(t, th) for t, th in zip(rows["text"], rows["theme"], strict=True)}
    alone = {(t, th) for t in texts for th in classify_text(t, CODEBOOK)}
    assert batch == alone


def test_a_phrase_the_fast_engine_cannot_read_still_tags():
    """A pattern with a back-reference (which RE2 refuses) is still applied, in Python."""
    from pipelines.derive.themes import Codebook, default_themes
    book = Codebook.build(default_themes(), [("preparation", r"\b(\w+) \1 again\b")])
    rows = classify_texts(pd.Series(["it was late late again", "fine"]), book)
    assert list(zip(rows["text"], rows["theme"], strict=True)) == [
        ("it was late late again", "preparation")]

TRACKER = ("Company,Job Title,Date Applied,Status,Feedback\n"
           "Acme,Analyst,2025-03-04,Rejected,Salary expectations too high\n"
           "Globex,Engineer,2025-03-05,Rejected,Filled internally\n"
           "Initech,PM,2025-03-09,Applied,\n")


def test_import_tags_feedback_and_edits_retag(con, tmp_path):
    """After an import each application's themes are stored with their evidence; feedback
    added in the app is tagged too."""
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    stored = con.execute("SELECT a.company, t.theme, t.controllable, t.evidence "
                         "FROM application_themes t JOIN applications a USING "
                         "(application_id) ORDER BY 1").fetchall()
    assert stored == [("Acme", "compensation", True, "Salary expectations too high"),
                      ("Globex", "internal_candidate", False, "internally")]
    initech = con.execute("SELECT application_id FROM applications WHERE company = 'Initech'"
                          ).fetchall()[0][0]
    save_annotation(con, initech, feedback="They need someone with visa sponsorship sorted")
    assert con.execute("SELECT theme FROM application_themes WHERE application_id = ?",
                       [initech]).fetchall() == [("location_or_visa",)]


def test_codebook_changes_retag_every_application(con, tmp_path):
    """A new theme with a plain phrase tags matching feedback at once (any word ending);
    merging it away moves its phrase to the target theme."""
    from pipelines.edits.codebook import add_theme, merge_themes

    tracker = TRACKER + "Umbrella,Writer,2025-03-10,Rejected,They lacked portfolio pieces\n"
    ingest_file(con, write_text(tmp_path, "t.csv", tracker))
    add_theme(con, "portfolio", "Portfolio", True, phrases=("lack portfolio",))
    tagged = con.execute("SELECT theme, evidence FROM application_themes "
                         "WHERE theme = 'portfolio'").fetchall()
    assert tagged == [("portfolio", "lacked portfolio")]
    merge_themes(con, "portfolio", "experience_gap")
    assert con.execute("SELECT count(*) FROM themes WHERE theme = 'portfolio'"
                       ).fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM application_themes a JOIN applications p "
                       "USING (application_id) WHERE p.company = 'Umbrella' AND "
                       "a.theme = 'experience_gap'").fetchall() == [(1,)]


def test_untagged_feedback_is_grouped_into_suggestions(con, tmp_path):
    """Feedback no theme names is grouped by the term it shares, with counts and quotes."""
    from pipelines.derive.suggestions import suggest_themes

    tracker = ("Company,Job Title,Date Applied,Status,Feedback\n"
               "A,Writer,2025-03-01,Rejected,Weak portfolio samples\n"
               "B,Writer,2025-03-02,Rejected,Portfolio samples too academic\n"
               "C,Writer,2025-03-03,Rejected,Salary expectations too high\n")
    ingest_file(con, write_text(tmp_path, "t.csv", tracker))
    suggestions = suggest_themes(con)
    assert suggestions.iloc[0]["term"] == "portfolio samples"
    assert suggestions.iloc[0]["applications"] == 2


@pytest.mark.parametrize("name", ["Bad Name", "", "x" * 60, "1abc"])
def test_theme_names_are_checked(con, name):
    """A theme name must be a short snake_case word."""
    from pipelines.edits.codebook import add_theme

    with pytest.raises(ValueError):
        add_theme(con, name, "Label", True)


def _codes(con) -> dict[str, str | None]:
    return dict(con.execute("SELECT company, theme_codes FROM applications").fetchall())


def test_each_application_carries_its_themes_through_edits(con, tmp_path):
    """applications.theme_codes (what the pages count) lists the same themes as
    application_themes after an import, an edit of the feedback and a codebook change."""
    from pipelines.edits.codebook import add_theme

    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER + (
        "Umbrella,Writer,2025-03-10,Rejected,Salary expectations too high; they lacked "
        "portfolio pieces\n")))
    assert _codes(con) == {"Acme": "compensation", "Globex": "internal_candidate",
                           "Initech": None, "Umbrella": "compensation"}
    initech = con.execute("SELECT application_id FROM applications WHERE company = 'Initech'"
                          ).fetchall()[0][0]
    save_annotation(con, initech, feedback="They need someone with visa sponsorship sorted")
    assert _codes(con)["Initech"] == "location_or_visa"
    add_theme(con, "portfolio", "Portfolio", True, phrases=("lack portfolio",))
    assert _codes(con)["Umbrella"] == "compensation,portfolio"
    save_annotation(con, initech, feedback="Thanks for your time")
    assert _codes(con)["Initech"] is None


def test_a_database_tagged_before_theme_codes_gets_them_on_opening(tmp_path):
    """A database from before theme_codes existed (tags stored, codes empty) has its codes
    filled the first time it is opened."""
    from pipelines.store.db import connect

    path = tmp_path / "old.duckdb"
    con = connect(path)
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    con.execute("UPDATE applications SET theme_codes = NULL")
    con.execute("DELETE FROM schema_migrations")  # as a database of the version before
    con.close()
    con = connect(path)
    try:
        assert _codes(con)["Acme"] == "compensation"
    finally:
        con.close()

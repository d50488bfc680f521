"""Tests for pipelines.normalize.statuses: status text to (stage, outcome, known, pre)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.domain import OUTCOMES, STAGES
from pipelines.normalize.statuses import classify_status, classify_statuses

# (status text, expected stage, expected outcome), worked out from DOMAIN.md:
# applied -> screen (recruiter/phone) -> interview (hiring team) -> final (final round, onsite,
# panel, assessment centre) -> offer; the stage is how far it got, the outcome how it ended.
KNOWN = [
    # English, free wording
    ("Applied", "applied", "active"),
    ("Application submitted", "applied", "active"),
    ("In progress", "applied", "active"),
    ("Under review", "applied", "active"),
    ("Awaiting recruiter action", "applied", "active"),
    ("Waiting to hear back", "applied", "active"),
    ("Phone screen", "screen", "active"),
    ("Phone screen scheduled", "screen", "active"),
    ("Recruiter call", "screen", "active"),
    ("HR screen", "screen", "active"),
    ("Coding challenge", "screen", "active"),
    ("Take-home assignment", "screen", "active"),
    ("Online assessment", "screen", "active"),
    ("Technical interview", "interview", "active"),
    ("Interview scheduled", "interview", "active"),
    ("2nd round", "interview", "active"),
    ("Hiring manager interview", "interview", "active"),
    ("Final round", "final", "active"),
    ("Onsite", "final", "active"),
    ("Panel interview", "final", "active"),
    ("Assessment centre", "final", "active"),
    ("Superday", "final", "active"),
    ("Offer!! 🎉", "offer", "offer"),
    ("Offer accepted", "offer", "offer"),
    ("Offer - declined", "offer", "offer"),
    ("Declined offer", "offer", "offer"),
    ("Rejected", None, "rejected"),
    ("reeejected", None, "rejected"),
    ("rejeted", None, "rejected"),
    ("Not selected", None, "rejected"),
    ("Unsuccessful", None, "rejected"),
    ("Rejected ❌", None, "rejected"),
    ("No offer", None, "rejected"),
    ("Rejected - no interview", None, "rejected"),
    ("Rejected before interview", None, "rejected"),
    ("Rejected after phone screen", "screen", "rejected"),
    ("Rejected after 2nd interview", "interview", "rejected"),
    ("Rejected after 2nd round", "interview", "rejected"),
    ("Rejected after final round", "final", "rejected"),
    ("Rejected after onsite", "final", "rejected"),
    ("Ghosted 👻", None, "no_response"),
    ("ghosted", None, "no_response"),
    ("No response", None, "no_response"),
    ("Didn't hear back", None, "no_response"),
    ("Ghosted after final interview", "final", "no_response"),
    ("Withdrawn", None, "withdrawn"),
    ("Withdrew after interview", "interview", "withdrawn"),
    ("Withdrawn - accepted another offer", None, "withdrawn"),
    ("Offer rescinded", "offer", "rejected"),
    ("Rejected at resume stage", "applied", "rejected"),
    ("Role cancelled", None, "rejected"),
    ("Position filled", None, "rejected"),
    # German
    ("abgesagt", None, "rejected"),
    ("Absage erhalten", None, "rejected"),
    ("Absage nach Vorstellungsgespräch", "interview", "rejected"),
    ("In Bearbeitung", "applied", "active"),
    ("Beworben", "applied", "active"),
    ("Zusage", "offer", "offer"),
    ("Zweitgespräch", "interview", "active"),
    ("Vorstellungsgespräch", "interview", "active"),
    ("zurückgezogen", None, "withdrawn"),
    ("keine Rückmeldung", None, "no_response"),
    # Turkish
    ("Olumsuz (Red)", None, "rejected"),
    ("Reddedildi", None, "rejected"),
    ("Mülakat", "interview", "active"),
    ("Teklif", "offer", "offer"),
    ("Başvuruldu", "applied", "active"),
    ("Yanıt yok", None, "no_response"),
    # Chinese
    ("已投递", "applied", "active"),
    ("笔试", "screen", "active"),
    ("一面", "interview", "active"),
    ("二面", "interview", "active"),
    ("终面", "final", "active"),
    ("Offer", "offer", "offer"),
    ("池子", "applied", "active"),
    ("挂", None, "rejected"),
    ("一面挂", "interview", "rejected"),
    ("感谢信", None, "rejected"),
    ("已读不回", None, "no_response"),
    # Spanish and French
    ("Rechazado", None, "rejected"),
    ("Entrevista", "interview", "active"),
    ("Oferta", "offer", "offer"),
    ("Refusé", None, "rejected"),
    ("Entretien", "interview", "active"),
    ("Offre reçue", "offer", "offer"),
    ("Candidature envoyée", "applied", "active"),
    ("Sin respuesta", None, "no_response"),
    # several statuses in one cell (Notion multi-select, histories)
    ("Need to Apply,Applied,Rejected", "applied", "rejected"),
    ("Applied, Interview 1 -> Scheduled, Interview 1 -> Complete, Rejected",
     "interview", "rejected"),
    ("Coffee chat, Applied", "applied", "active"),
    ("Applied; Phone screen; Onsite", "final", "active"),
    ("Applied -> Phone screen -> Rejected", "screen", "rejected"),
    ("Applied | Ghosted", "applied", "no_response"),
    # wordings met on trackers written for the coach workspace check (2026-11-26)
    ("Knocked back", None, "rejected"),                  # British and Irish for rejected
    ("Knocked back after recruiter call", "screen", "rejected"),
    ("Pipped at final stage", "final", "rejected"),     # beaten to it at the last step
    ("nothing", None, "no_response"),
    ("Heard nothing", None, "no_response"),
    ("HM call done", "interview", "active"),            # HM: the hiring manager
    ("Case study – rejected", "interview", "rejected"),
    ("Absage nach finaler Runde", "final", "rejected"),
    ("Finale Runde - keine Antwort", "final", "no_response"),
    ("Absage nach Erstgespräch (Telefon)", "screen", "rejected"),
    ("Zurückgezogen (andere Zusage)", None, "withdrawn"),  # an offer elsewhere, not here
    ("Recruiter screen | Rejected", "screen", "rejected"),  # 'Stage' and 'Outcome' read together
]

PRE_APPLICATION = ["Not started", "Need to Apply", "Wishlist", "Saved", "Coffee chat",
                   "Need to Apply,Closed"]

UNKNOWN = ["Closed", "asdf", "42", "", "   ", "Nothing to add", "In case of doubt"]


@pytest.mark.parametrize(("text", "stage", "outcome"), KNOWN)
def test_known_status(text, stage, outcome):
    """A real-world status reads as the stage it reached and how it ended."""
    assert classify_status(text) == (stage, outcome, True, False)


@pytest.mark.parametrize("text", PRE_APPLICATION)
def test_pre_application_status(text):
    """A status from before applying (wishlist, networking) is known and marked pre-application."""
    assert classify_status(text) == (None, None, True, True)


@pytest.mark.parametrize("text", UNKNOWN)
def test_unknown_status(text):
    """A status no rule places is reported unknown, never guessed."""
    assert classify_status(text) == (None, None, False, False)


@pytest.mark.parametrize("value", [None, float("nan")])
def test_missing_value_is_unknown(value):
    """A missing cell (None or NaN) is unknown, not an error."""
    assert classify_status(value) == (None, None, False, False)


def test_classify_statuses_is_one_row_per_value():
    """classify_statuses returns one row per input value, with the input's index and order."""
    values = pd.Series(["Rejected", "Onsite", None, "Wishlist"], index=[10, 3, 7, 1],
                       dtype="object")
    got = classify_statuses(values)
    assert list(got.index) == [10, 3, 7, 1]
    assert list(got.columns) == ["stage", "outcome", "known", "pre_application"]
    assert got.loc[3, "stage"] == "final" and got.loc[10, "outcome"] == "rejected"
    assert not got.loc[7, "known"] and got.loc[1, "pre_application"]


statuses_words = st.sampled_from(
    ["Applied", "Rejected", "Offer", "no", "offer", "Interview", "Ghosted", "Withdrew",
     "final", "screen", "Need to Apply", "Coffee chat", "一面", "挂", "abgesagt", "->", ",",
     ";", "|", " ", "\n", "👻", "🎉", "no offer", "not", "reeeejected"])
status_like = st.lists(statuses_words, max_size=8).map("".join)
any_value = st.one_of(st.text(), status_like, st.none(), st.integers(), st.floats())


@settings(max_examples=300)
@given(any_value)
def test_any_value_classifies_without_error(value):
    """No value makes classify_status fail, and every answer is in the vocabulary."""
    stage, outcome, known, pre = classify_status(value)
    assert stage in (*STAGES, None)
    assert outcome in (*OUTCOMES, None)
    assert isinstance(known, bool) and isinstance(pre, bool)
    assert known or (stage is None and outcome is None and not pre)


@settings(max_examples=300)
@given(st.one_of(st.text(), status_like))
def test_offer_outcome_comes_with_offer_stage(text):
    """An 'offer' outcome always comes with the 'offer' stage."""
    stage, outcome, _, _ = classify_status(text)
    if outcome == "offer":
        assert stage == "offer"


@settings(max_examples=100)
@given(st.lists(st.one_of(st.text(), status_like, st.none()), max_size=20),
       st.integers(min_value=-5, max_value=5))
def test_classify_statuses_keeps_index(values, offset):
    """classify_statuses never fails and keeps the index of the series it was given."""
    series = pd.Series(values, index=[i * 3 + offset for i in range(len(values))],
                       dtype="object")
    got = classify_statuses(series)
    assert got.index.equals(series.index)
    assert set(got["stage"].dropna()) <= set(STAGES)
    assert set(got["outcome"].dropna()) <= set(OUTCOMES)


def _written(stage: str | None, outcome: str) -> str:
    """A stage and outcome as a person writes them: 'interview rejected', 'screen'."""
    said = outcome.replace("_", " ")
    if stage is None:
        return said
    return stage if outcome in ("active", stage) else f"{stage} {said}"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), status_like))
def test_status_reads_the_same_twice_and_from_its_own_words(text):
    """A status reads the same every time, and the stage and outcome it gives, written back
    as words, read the same (an offer that ended otherwise has no such words)."""
    stage, outcome, known, pre = classify_status(text)
    assert classify_status(text) == (stage, outcome, known, pre)
    if known and not pre and (stage != "offer" or outcome == "offer"):
        assert classify_status(_written(stage, outcome))[:2] == (stage, outcome)

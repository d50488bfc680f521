"""Status text → stage reached and outcome.

Called on the *distinct* status values of an import; the caller joins the result
back onto the rows. Free wording, typos, emoji and several languages are read by
keyword rules; a value no rule places is reported as unknown, never guessed.
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from typing import TYPE_CHECKING

from pipelines.domain import STAGE_RANK
from pipelines.textfold import fold as fold_text
from pipelines.textfold import fold_pattern

if TYPE_CHECKING:
    import pandas as pd

def _vocabulary() -> dict[str, re.Pattern[str]]:
    """meaning → one compiled alternation of the patterns in status_words.csv. Patterns are
    regular expressions over folded text (see ``fold``), their letters folded the same way;
    \b does not work for Chinese, Japanese or Korean, so those words stand alone."""
    words: dict[str, list[str]] = {}
    text = resources.files("pipelines.normalize").joinpath("status_words.csv").read_text("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        words.setdefault(row["meaning"], []).append(fold_pattern(row["pattern"]))
    return {meaning: re.compile("|".join(p)) for meaning, p in words.items()}


_WORDS = _vocabulary()
_NO_OFFERS, _OFFERS = _WORDS["no_offer"], _WORDS["offer"]  # an offer only where not negated
_WITHDRAWALS = re.compile(_WORDS["withdrawn"].pattern + "|" + _WORDS["elsewhere"].pattern)
_RESCINDED_OFFER, _OFFER_ELSEWHERE = _WORDS["rescinded"], _WORDS["elsewhere"]
# Rules are tried in order; the first match decides. Outcome and stage are read separately.
_OUTCOME_RULES = [(_NO_OFFERS, "rejected"), (_WORDS["withdrawn"], "withdrawn"),
                  (_WORDS["rejected"], "rejected"), (_WORDS["no_response"], "no_response")]
# A phone or HR interview is a screen; waiting on the employer is still 'applied'.
_STAGE_RULES = [(_WORDS["waiting"], "applied"), (_OFFERS, "offer"), (_WORDS["final"], "final"),
                (_WORDS["phone_screen"], "screen"), (_WORDS["interview"], "interview"),
                (_WORDS["screen"], "screen"), (_WORDS["applied"], "applied")]
_PRE = _WORDS["pre_application"]
_PAST_APPLIED = re.compile("|".join(_WORDS[m].pattern for m in
                                    ("final", "phone_screen", "interview", "screen")))
_NETWORKING = _WORDS["neutral"]
_SPLIT = re.compile(r"\s*(?:,|;|\||->|→|>|\n)\s*")


# Punctuation a status reads as a space; the rest (commas, '&', emoji such as 👻) is kept.
_PUNCTUATION = r"[_\-/\\()\[\]{}:!?.\"'*#+~=]"


def fold(text: str, *, collapse: bool = True) -> str:
    """Fold text for matching (``pipelines.textfold``): lower case, accents off, and with
    ``collapse`` letters run together only once ('reeejected' → 'rejected') and only the
    punctuation of ``_PUNCTUATION`` turned to spaces (emoji kept); without it every
    character that is not a letter or digit is a space."""
    if collapse:
        return fold_text(text, spaces=_PUNCTUATION, repeats=True)
    return fold_text(text)


# A stage named after a negation did not happen: 'Rejected - no interview' is a rejection at
# the application stage. The negation and the two words after it are left out of the stage
# search (outcomes are read first, so 'no response' is unaffected).
_NEGATED = re.compile(r"\b(no|not|never|without|before|prior to|ohne|kein|keine|yok)\b"
                      r"( (a|an|any|the|first|1st))?( \w+){1,2}")


def _first(rules: list[tuple[re.Pattern[str], str]], text: str) -> str | None:
    for pattern, meaning in rules:
        if pattern.search(text):
            return meaning
    return None


def _classify_one(text: str) -> tuple[str | None, str | None, bool, bool]:
    """(stage, outcome, known, pre_application) for one folded status text."""
    affirmed = _NEGATED.sub(" ", _OFFER_ELSEWHERE.sub(" ", text))
    if _RESCINDED_OFFER.search(text):
        return "offer", "rejected", True, False
    outcome = "withdrawn" if _WITHDRAWALS.search(text) else None
    if outcome is None and not _NO_OFFERS.search(text) and _OFFERS.search(affirmed):
        outcome = "offer"
    outcome = outcome or _first(_OUTCOME_RULES, text)
    if outcome is None and _PRE.search(text) and not _PAST_APPLIED.search(text):
        return None, None, True, True
    stage = _first(_STAGE_RULES, affirmed)
    if outcome == "rejected" and stage == "offer":
        stage = None  # 'no offer' is a rejection, not an offer stage
    if outcome == "offer":
        stage = "offer"
    if outcome is None and stage is not None:
        outcome = "active"
    if outcome is None and stage is None and _NETWORKING.search(text):
        return None, None, True, True  # networking only: not an application yet
    return stage, outcome, outcome is not None or stage is not None, False


def _combine(parts: list[tuple[str | None, str | None, bool, bool]]):
    """Several statuses in one cell: the furthest stage and the final outcome count."""
    known = [p for p in parts if p[2]]
    if not known:
        return None, None, False, False
    applied = [p for p in known if not p[3] and (p[0] or p[1])]
    if not applied:
        return None, None, True, any(p[3] for p in known)
    stages = [p[0] for p in applied if p[0]]
    stage = max(stages, key=STAGE_RANK.__getitem__) if stages else None
    ends = [p[1] for p in applied if p[1] and p[1] != "active"]
    outcome = "offer" if "offer" in ends else (ends[-1] if ends else "active")
    return stage, outcome, True, False


def classify_status(value: object) -> tuple[str | None, str | None, bool, bool]:
    """Classify one raw status: (stage or None, outcome or None, known, pre_application).

    A stage of None means the text names no stage (e.g. plain 'Rejected'); an
    outcome of None with known=False means no rule placed the text.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None, None, False, False
    raw = str(value).strip()
    if not raw:
        return None, None, False, False
    whole = _classify_one(fold(raw))
    pieces = [p for p in _SPLIT.split(raw) if p.strip()]
    if len(pieces) > 1:
        parts = [_classify_one(fold(p)) for p in pieces]
        if sum(p[2] for p in parts) >= 2 or not whole[2]:
            return _combine(parts)
    return whole


def is_multi_status(value: object) -> bool:
    """True when a cell lists two or more recognised statuses (a multi-select export)."""
    pieces = [p for p in _SPLIT.split(str(value)) if p.strip()]
    return len(pieces) > 1 and sum(classify_status(p)[2] for p in pieces) >= 2


def classify_statuses(values: pd.Series) -> pd.DataFrame:
    """One row per input value (same index): columns stage, outcome, known, pre_application."""
    import pandas as pd  # not at import time: reading a file needs only classify_status

    rows = [classify_status(v) for v in values.tolist()]
    frame = pd.DataFrame(rows, columns=["stage", "outcome", "known", "pre_application"],
                         index=values.index)
    return frame.astype({"stage": "object", "outcome": "object", "known": bool,
                         "pre_application": bool})

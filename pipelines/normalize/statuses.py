"""Status text → stage reached and outcome.

Called on the *distinct* status values of an import; the caller joins the result
back onto the rows. Free wording, typos, emoji and several languages are read by
keyword rules; a value no rule places is reported as unknown, never guessed.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

STAGES = ("applied", "screen", "interview", "final", "offer")
OUTCOMES = ("active", "rejected", "no_response", "withdrawn", "offer")
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}

# The vocabulary. Each entry is a regular expression searched in the folded text
# (see ``fold``); \b does not work for Chinese, so those words stand alone.
_OFFER = (r"\boffer(ed|s)?\b", r"\baccepted\b", r"\bhired\b", r"\bzusage\b", r"\bangebot\b",
          r"\bteklif\b", r"\boferta\b", r"\boffre\b", "录用", "意向书", "🎉")
_NO_OFFER = (r"\bno offer\b", r"\bkein angebot\b", r"\bnot offered\b")
# An offer the employer took back: the offer stage was reached, the outcome is a rejection.
_RESCINDED = (r"\brescind", r"\brevoked?\b", r"\boffer (was )?(pulled|retracted)\b")
_WITHDRAWN = (r"\bwithdr[ae]w", r"\bwithdrawn\b", r"\bpulled out\b", r"\bzuruckgezogen\b",
              r"\bgeri cekildi\b", "放弃", r"\bcandidate declined\b", r"\bi declined\b",
              r"\bdeclined (to|the) (interview|process)\b", r"\bdesiste")
# An offer from somewhere else: a reason to withdraw, not an offer for this application.
_ELSEWHERE = (r"\b(accepted (an? )?)?(another|other|different) (job |role |position )?offer\b",
              r"\baccepted (another|other|a different) (job|role|position)\b",
              r"\b(accepted (an? )?)?offer elsewhere\b",
              r"\boffer (from|at) (another|a different)\b")
_REJECTED = (r"\brej", r"\bdecline", r"\bunsuccessful\b", r"\bnot selected\b",
             r"\bnot moving forward\b", r"\bnot progress", r"\bturned down\b", r"\bdenied\b",
             r"\babgesagt\b", r"\babsage\b", r"\babgelehnt\b", r"\bolumsuz\b", r"\bred\b",
             r"\breddedildi\b", r"\brechazad", r"\brefus", r"\bfail(ed)?\b", "拒", "挂",
             "感谢信", "未通过", "不合适", "❌", r"\bclosed by employer\b", r"\bcancell?ed\b",
             r"\b(position|role|job|req|requisition|vacancy) (closed|filled|cancell?ed)\b",
             r"\bhiring freeze\b", r"\bno longer (available|open|hiring)\b")
_NO_RESPONSE = (r"\bghost", "👻", r"\bno (response|reply|answer|news)\b", r"\bno word\b",
                r"\b(did not|didn t|never) hear", r"\bnot heard\b", r"\bunanswered\b",
                r"\bsilence\b", "^no$", r"\bkeine (ruckmeldung|antwort)\b", r"\byanit yok\b",
                r"\bdonus yok\b", r"\bsin respuesta\b", r"\bsans (reponse|nouvelles)\b",
                r"\bpas de reponse\b", "无回复", "没有回复", "未回复", "已读不回", "不回")
_PRE_APPLICATION = (r"\bnot started\b", r"\bneed to apply\b", r"\bto apply\b", r"\bwish ?list\b",
                    r"\bsaved\b", r"\bbookmark", r"\binterested\b", r"\bresearching\b",
                    r"\bdraft\b", r"\bplanned\b", r"\bprospect\b", r"\bnot applied\b",
                    r"\bnoch nicht\b", "待投递")
# Known words that say nothing about how far an application got (networking steps).
_NEUTRAL = (r"\bcoffee chat\b", r"\breferral\b", r"\breferred\b", r"\bnetworking\b",
            r"\binformational\b")
_FINAL = (r"\bfinal\b", r"\bonsite\b", r"\bon site\b", r"\bpanel\b", r"\bsuperday\b",
          r"\bassessment cent(re|er)\b", r"\b(3rd|third|4th|fourth|5th|fifth|last) "
          r"(round|interview|stage|level)\b", r"\bround (3|4|5)\b", r"\binterview (3|4|5)\b",
          r"\bdrittgesprach\b", r"\bcase study presentation\b", r"\bson mulakat\b", "终面",
          "三面", "hr面")
_INTERVIEW = (r"\binterview", r"\bintvw\b", r"\b(1st|first|2nd|second) (round|interview|stage)\b",
              r"\bround (1|2)\b", r"\btech(nical)? screen", r"\bon campus\b",
              r"\bhiring manager\b", r"\btechnical\b", r"\btech (interview|round)\b",
              r"\bzweitgesprach\b", r"\bkennenlerngesprach\b", r"\bvorstellungsgesprach\b",
              r"\bgesprach\b", r"\bmulakat\b", r"\bentrevista\b", r"\bentretien\b", r"\bmet with\b",
              "面试", "一面", "二面", "技术面")
# Waiting on the employer: applied, even though a screen word ('recruiter') appears.
_WAITING = (r"\bawaiting (recruiter|employer|review)", r"\bunder review\b",
            r"\bapplication viewed\b", r"\bresume (downloaded|viewed)\b")
_SCREEN = (r"\bscreen", r"\bphone\b", r"\brecruiter\b", r"\bhr\b", r"\bcall\b", r"\bass?ess?ment",
           r"\bassess", r"\bprelim", r"\bcoding challenge\b", r"\bchallenge\b", r"\bhome ?work\b",
           r"\btake ?home\b", r"\b(online )?test\b", r"\boa\b", r"\bexam\b", r"\bquiz\b",
           r"\bhackerrank\b", r"\bcodility\b", r"\bcodesignal\b", r"\bfirst level\b",
           r"\binquiry\b", r"\bintro\b", "笔试", "测评", "电话")
_APPLIED = (r"\bappl(y|ied|ication)\b", r"\bsubmitted\b", r"\bsent\b", r"\bpending\b",
            r"\bin progress\b", r"\bprogress\b", r"\bongoing\b", r"\bopen\b", r"\bactive\b",
            r"\bwaiting\b", r"\bawaiting\b", r"\bin review\b", r"\breview(ed|ing)?\b",
            r"\bviewed\b", r"\bdownloaded\b", r"\bbeworben\b", r"\bin bearbeitung\b",
            r"\bgesendet\b", r"\bbasvuru", r"\bbeklemede\b", r"\btalent pool\b", r"\bon hold\b",
            r"\bshortlist", "已投递", "投递", "池子", "人才库", r"\byes\b", "^y$", "^x$", "^1$",
            r"\bdone\b", r"\bcomplete[d]?\b", r"\bscheduled\b", r"\bresume\b", r"\bcv\b",
            r"\bcandidature\b", r"\benvoyee?\b", r"\bpostul", r"\bsolicitud\b",
            r"\benviad[ao]\b", r"\ben cours\b", r"\ben proceso\b")


def _any(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(words))


# Rules are tried in order; the first match decides. Outcome and stage are read separately.
_NO_OFFERS, _OFFERS = _any(_NO_OFFER), _any(_OFFER)  # an offer only where not negated
_WITHDRAWALS, _RESCINDED_OFFER = _any(_WITHDRAWN + _ELSEWHERE), _any(_RESCINDED)
_OFFER_ELSEWHERE = _any(_ELSEWHERE)
_OUTCOME_RULES = [(_NO_OFFERS, "rejected"),
                  (_any(_WITHDRAWN), "withdrawn"), (_any(_REJECTED), "rejected"),
                  (_any(_NO_RESPONSE), "no_response")]
_STAGE_RULES = [(_any(_WAITING), "applied"), (_any(_OFFER), "offer"), (_any(_FINAL), "final"),
                (_any(_INTERVIEW), "interview"), (_any(_SCREEN), "screen"),
                (_any(_APPLIED), "applied")]
_PRE = _any(_PRE_APPLICATION)
_PAST_APPLIED = _any(_FINAL + _INTERVIEW + _SCREEN)
_NETWORKING = _any(_NEUTRAL)
_SPLIT = re.compile(r"\s*(?:,|;|\||->|→|>|\n)\s*")


def fold(text: str) -> str:
    """Fold status text for matching: lower case, no accents, letters run together
    only once ('reeejected' → 'rejected'), punctuation turned to spaces."""
    text = unicodedata.normalize("NFKD", str(text)).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ı", "i").replace("ß", "ss")
    text = re.sub(r"(\w)\1{2,}", r"\1", text)
    text = re.sub(r"[_\-/\\()\[\]{}:!?.\"'*#+~=]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


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
    rows = [classify_status(v) for v in values.tolist()]
    frame = pd.DataFrame(rows, columns=["stage", "outcome", "known", "pre_application"],
                         index=values.index)
    return frame.astype({"stage": "object", "outcome": "object", "known": bool,
                         "pre_application": bool})


def further(a: str | None, b: str | None) -> str | None:
    """The further of two stages (None counts as no evidence)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if STAGE_RANK[a] >= STAGE_RANK[b] else b

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources

import duckdb
import pandas as pd

from pipelines.store.db import transaction
from pipelines.store.migrations import clear_stale
from pipelines.store.tags import copy_theme_codes
from pipelines.textfold import fold_aligned, fold_pattern

GENERIC = "generic_template"
# Experience *of* one of these is that theme, not a general experience gap.
_SKILLS = {"leadership", "business_acumen", "technical_skills"}
# Cues before a phrase, in the same clause, that clear the candidate of it.
_CLEARING_CUES = [
    r"\bno (real )?(concerns?|issues?|problems?|doubts?|questions?) "
    r"(about|with|on|regarding|over)",
    r"\bno (real |red )?(flags?|worries|concerns|issues|problems)\b",
    r"\bnot (a |an )?(question|issue|problem|concern|matter|reflection) of",
    r"\bnot (due to|because of|about|related to|down to|the reason)",
    r"\b(nothing to do with|had nothing to do|regardless of|despite|aside from|apart from)",
    r"\b(wasn t|was not) (about|due to|because of|a question of|an issue)",
    r"\b(isn t|is not) about",
    r"\b(not|no|not a|not any) reflection (of|on)",
    r"\bnot (really |so much )?(leading with|focused on|focusing on|worried about|concerned about|"
    r"bothered about|fussed about|hung up on|an issue with|a problem with)",
    r"\b(don t|do not|doesn t|does not|won t|wouldn t|didn t|did not) (really )?"
    r"(require|need|mind|care about|insist on)\b",
    # German, French, Spanish, Dutch: 'nicht wegen', 'pas une question de', 'no por'
    r"\b(nicht (wegen|an)|kein (problem|thema) (mit|bei)|pas (a cause|une question|un probleme) d|"
    r"ce n est pas|no (es|fue) (por|un problema de)|niet (vanwege|door|om))\b"]
_CLEARED = re.compile("(?:" + "|".join(_CLEARING_CUES) + r")(\s+\w+){0,3}\s*$")
# Praise right before a phrase ('good culture fit', 'impressed by your enthusiasm and
# preparation', 'strong on SQL and Python', 'scored you highly on culture', 'très bon niveau').
# A score in the upper half of its scale ('4/5', '6 out of 7').
_HIGH = (r"(scored |rated )?([34] (out of |of )?4|[3-5] (out of |of )?5|[4-6] (out of |of )?6|"
         r"[4-7] (out of |of )?7|[6-9] (out of |of )?(8|9|10)|10 (out of |of )?10)\b")
_PRAISE = (_HIGH + r"|good|great|strong|excellent|impressive|solid|fantastic|outstanding|"
           r"superb|perfect|"
           r"clear|positive|loved|liked|enjoyed|appreciated|impressed|really (good|liked)|"
           r"very good|no gaps? in|confident|happy with|scored (you |him |her )?(highly|well)|"
           r"praised|complimented|best|"
           r"tres bon\w*|bon\w*|excellent\w*|sehr gut\w*|gut\w*|ausgezeichnet\w*|"
           r"muy buen\w*|buen\w*|excelente|goed\w*|uitstekend\w*|sterk\w*|ottim\w*|buon\w*|"
           r"otim\w*")
_PRAISED_BEFORE = re.compile(
    r"\b(" + _PRAISE + r")( (on|at|in|with|about|by|of|for))?( (your|the|his|her|their|my))?"
    r"( \w+)?( (and|or) ((your|the) )?(\w+ )?)?\s*$|\b(well|thoroughly|nicely)\s*$")
# Praise right after ('your experience was great', 'leadership is not a concern',
# 'examples were some of the best', 'sponsorship is available', 'no concerns there').
_PRAISED_AFTER = re.compile(
    r"^\s*(\w+\s){0,2}(was|were|is|are|looked|seemed|came across as)\s+(\w+\s)?(great|good|strong|"
    r"excellent|impressive|solid|fine|a plus|a strength|not (a|an) (issue|concern|problem)|"
    r"(some of |one of )?the (best|strongest)|available|possible|covered|offered|ok|okay|"
    r"prima|goed|sterk|uitstekend|gut|sehr gut|bon|excellent\w*|buen\w*|excelente)\b|"
    r"^\s*(\w+\s){0,2}(wasn t|was not|isn t|is not|weren t|aren t) (a factor|an issue|the issue|"
    r"a concern|the problem|a problem|an obstacle|a blocker|a dealbreaker|required|needed)\b|"
    r"^\s*(\w+\s){0,3}(no|without) (real )?(concerns?|issues?|problems?|doubts?)"
    r"( (there|at all|here))\b|"
    # a competency scored in the upper half or passed: 'Leadership behaviour: 5/7 (pass)'
    r"^\W*((?!(not|below|under|fail\w*|no|and|or|but|on|in|for|with)\b)\w+\W+){0,3}?"
    r"(" + _HIGH + r"|pass(ed)?\b)")
# A negation right before praise undoes it ('didn't feel a strong values fit').
_NEGATED = re.compile(r"\b(not|no|never|didn t|don t|doesn t|wasn t|weren t|isn t|lack\w*|without|"
                      r"hardly)( \w+){0,2}\s*$")
# 'no sponsorship issues', 'not a communication problem': the phrase names what is cleared.
_NO_BEFORE = re.compile(r"\b(no|not|never|wasn t|isn t|nor)( (a|an|the|any|real|really))?\s*$")
_ISSUE_AFTER = re.compile(r"^\s*(\w+\s){0,2}(issues?|problems?|concerns?|factor|worr\w*|"
                          r"questions?|doubts?|blockers?)\b")
# 'not' right before a phrase: 'certainly not overqualified'.
_NOT_BEFORE = re.compile(
    r"\b(certainly |definitely |absolutely |clearly )?not( the| that( \w+){1,2})?\s*$|"
    r"\b(didn t|did not|don t) (come across as|seem|look)( \w+)?\s*$")
# Words of a theme used in another sense: the theme does not count where its match lies
# inside one of these ('Leadership team decided to pause hiring', 'Talent Acquisition',
# 'leading a team through a reorg', 'People & Culture', 'reviewing your qualifications').
_OTHER_SENSE = {
    "leadership": r"\b((senior|executive|the) )?leadership team\s+(has |have |had )?"
                  r"(decided|paused|froze|announced|approved|cut|made|put|chose|asked|signed)\w*|"
                  r"\bthought leadership\b",
    "role_cancelled": r"\btalent\s+acquisition|\bmergers?\s+(and\s+)?acquisitions?|"
                      r"\b(through|navigat\w*|led|leading|lead|managed|managing|drove|driving|"
                      r"delivered|ran|run|running|handled|integrat\w*|steer\w*)\s+(a|an|the|our|"
                      r"their|two|several|multiple)?\s*(\w+\s+)?(reorg\w*|reorgani\w*|restructur\w*|"
                      r"mergers?|acquisitions?|layoffs?|downsiz\w*)|"
                      r"\bclos\w* (your|the|his|her|their) (candidacy|application|file|process)",
    "culture_fit": r"\bpeople\s+(and\s+)?culture\b|\bculture\s+(and\s+)?people\b",
    "credentials": r"\b(review\w*|assess\w*|consider\w*|evaluat\w*|against|match\w*|suit\w*|"
                   r"align\w*|fits?|with) (of )?(your|the) (skills (and )?)?qualifications\b",
    "internal_candidate": r"\bintern\w*\s+(umstrukturierung|restructur\w*|reorg\w*|reorgani\w*|"
                          r"changes?|review|process\w*|polic\w*|systems?|tools?|priorit\w*|"
                          r"decisions?|budget\w*|audit|reasons?|grunde?n?|raisons?|motivos?|"
                          r"stakeholders|comms|communications?|politics|controls)\b|"
                          r"\b(reestructuracion|reorganizacion|restructuration|reorganisation|"
                          r"herstructurering|reorganisatie|ristrutturazione|reestruturacao)\s+"
                          r"intern\w*",
    "stronger_candidate": r"\b(volume|number) of (applications|applicants|candidates)[\w ,]{0,40}"
                          r"(unable|not able|cannot|can t|not possible)",
    "business_acumen": r"\b(change|changes|shift|shifts) (in|of) (our |the )?business priorities|"
                       r"\bbusiness priorities (have )?(changed|shifted)",
    "preparation": r"\bresearchers?\b",
    "location_or_visa": r"\bon ?site (interview|round|loop|visit|day|stage)s?\b|"
                        r"\bthe on ?site\b(?! (role|requirement|work|presence|only))",
    "technical_skills": r"\b\w+( \w+){0,3} (cert|certs|certification|certificate|certified)\b|"
                        r"\b(from|via|through) workday\b|\bworkday (portal|ats|account|email)\b|"
                        r"\b(e|era|sia|fosse|sarebbe|stato|sono) stata\b",
    "communication": r"\b(lamentamos|sentimos|queremos|debemos|tenemos que) comunicar\w*|"
                     r"\bcomunicar(le|les|te)\b|\bcommunicat\w* (to you|with you|the decision|"
                     r"our decision|back)\b",
    "experience_gap": r"\bwhose (\w+ )?(experience|background)\b[\w ]{0,30}",
}
_OTHER = {t: re.compile(p) for t, p in _OTHER_SENSE.items()}
# Seniority named in the same clause as 'overqualified' explains it: not a gap, not a
# leadership need, not another candidate ('a more senior role would be a better match').
_BY_OVERQUALIFIED = {"experience_gap", "leadership", "stronger_candidate"}
# Notes that are logistics or reminders, not feedback: 'prep: read their annual report',
# 'take-home due Monday (SQL + Python)', 'ask about visa sponsorship at next stage'.
_LOGISTICS = re.compile(
    r"^\s*(prep|todo|to do|reminder|next steps?|remember to)\b|"
    r"\b(ask (them |her |him |the recruiter |the hm )?about|"
    r"(interview|call|chat|screen|meeting|onsite|round)\b[\w ]{0,25}\b(booked|scheduled)|"
    r"due (on |by )?(mon|tue|wed|thu|fri|sat|sun|tomorrow|today|next|end of)\w*|"
    r"results in \d|please complete|will run (about|around)|heads up|tailor (my |the )?(cv|resume)|"
    r"review (my |the |their )?(\w+ ){0,2}notes|coffee chat|"
    r"(assessment|test|take home|application|interview) (done|completed|submitted|sent)|"
    r"asked (about |for |me |my )*(salary|comp|pay|rate|visa|notice|availability|expectations)|"
    r"(is|are) (available|offered|possible|confirmed)|"
    r"\b(remote|hybrid|visa|sponsorship) (ok|okay))\b")
_FEEDBACK_CUE = re.compile(
    r"\b(not|no|never|didn t|wasn t|weren t|couldn t|can t|cannot|won t|wouldn t|lack\w*|too|"
    r"concern\w*|worr\w*|unfortunately|reject\w*|went with|gap|weak\w*|instead|rather|"
    r"feedback|however|but|unable|declin\w*|want\w*|need\w*|looking for|prefer\w*|requir\w*|"
    r"felt|thought|chose|hired|only|above|missing|light|limited|thin|poor\w*|bad|decided|"
    r"decision|move forward|moving forward|other (candidates|folks|people)|unsuccessful|"
    r"regret\w*|sorry|luck|"
    r"struggl\w*|couldnt|didnt|wasnt|cant|wont)\b")
_CLAUSES = re.compile(r"[.;!?\n]+|:(?!\s*\d+\s*(/|out of|of)\s*\d)|\s[-–—]+\s|[–—]|"
                      r"\s+(?:but|however|although|though|whereas|yet)\s+")


# Frames: ways of saying that something is needed, missing or scored low, whatever it is.
# A phrase uses one as {need}, {lack} or {low} and names the theme's words after it
# ('{need}[\w ]{0,40}?\b(team|people|direct reports)'), so 'they want someone who can grow
# the team' tags leadership and keeps every word from 'want' to 'team' as its evidence.
_WHO = (r"someone|somebody|a person|a candidate|candidates|a profile|people|the person|"
        r"a leader|an individual|an? \w+ who")
_FRAMES = {
    # 'they need someone who', 'looking for a candidate with', 'wanted more evidence that',
    # 'il leur fallait quelqu'un', 'buscamos a alguien con', 'wir suchen jemanden mit'
    "need": r"\b(?:need|needs|needed|want|wants|wanted|looking for|look for|seeking|seek|"
            r"prefer|prefers|preferred|require|requires|required|expect|expected|hoping for|"
            r"hoped for|asked for|went for|go for|ideally)\b(?: \w+){0,2}? (?:" + _WHO +
            r"|more|stronger|better|deeper|broader|proven|more evidence|evidence|to see more|"
            r"to see (?:a|an) (?:stronger|better|deeper|broader|proven|real|solid))\b|"
            r"\bafter (?:" + _WHO + r")\b|"
            r"\b(?:buscan|buscamos|buscaban|buscaba|necesitan|necesitamos|necesitaban|queremos|"
            r"querian|prefieren|preferian) (?:a )?(?:alguien|una persona|un perfil|"
            r"un candidato|perfiles|mas)\b|"
            r"\b(?:cherch\w*|recherch\w*|il (?:leur |nous )?(?:faut|fallait|faudrait)|"
            r"besoin d|souhait\w*|prefer\w*)(?: \w+){0,2}? (?:quelqu un|un profil|une personne|"
            r"un candidat|plus)\b|"
            r"\b(?:suchen|suchten|brauchen|brauchten|wollen|wollten|wunschen|bevorzug\w*)"
            r"(?: \w+){0,2}? (?:jemand\w*|eine person|ein\w* profil|ein\w* kandidat\w*|mehr)\b|"
            r"\b(?:zoeken|zochten|zocht|zoekt|willen|wilden|hebben nodig|nodig hebben)"
            r"(?: \w+){0,2}? (?:iemand|een profiel|een kandidaat|meer)\b|"
            r"\b(?:procura\w*|precisa\w*|querem|queriam|prefere\w*)(?: de)? (?:alguem|"
            r"uma pessoa|um perfil|um candidato|mais)\b|"
            r"\b(?:cerca\w*|serve|servirebbe|vogliono|volevano|preferisc\w*|hanno bisogno di|"
            r"abbiamo bisogno di)(?: \w+){0,2}? (?:qualcuno|una persona|un profilo|"
            r"un candidato|piu)\b",
    # 'not enough', 'light on', 'a gap in', 'didn't see much', 'pas assez de', 'zu wenig'
    "lack": r"\b(?:not enough|too little|lack|lacked|lacking|lacks|light on|thin on|short on|"
            r"weak on|weaker on|weak in|weaker in|limited|insufficient\w*|gaps? (?:in|on|around)|"
            r"didn t (?:see|hear|show|demonstrate|get) (?:enough|much|any|a lot)|"
            r"did not (?:see|show|demonstrate|evidence|get) (?:enough|much|any|sufficient)|"
            r"not (?:much|sufficient\w*|sufficiently|strong enough|convincing)|no real|"
            r"unproven|untested|not evidenced|more evidence (?:of|that)|rusty|shaky|"
            r"not (?:at|up to) the (?:level|bar|standard)|"
            r"falta\w*|faltou|pas assez|manque\w*|insuffisan\w*|fehl\w*|mangel\w*|zu wenig|"
            r"te weinig|onvoldoende|gebrek aan|ontbr\w*|non abbastanza|poca|poco|pouca|pouco|"
            r"carenz\w*|scars\w*|mancanza di)\b",
    # a score in the lower half ('2/5', '3 out of 7') or below the bar: public-sector and
    # assessment-centre feedback ('scored 2/5 on leadership', 'did not meet the bar on ...')
    "low": r"\b(?:(?:scored |score of |rated |marked )?(?:[0-3] (?:out of |of )?(?:[6-9]|10)|"
           r"[0-2] (?:out of |of )?[45]|1 (?:out of |of )?3|4 (?:out of |of )?(?:[89]|10)|"
           r"5 (?:out of |of )?10)\b(?! (?:years?|yrs|months?|k|m|hours?|hrs|pm|am|days?|"
           r"weeks?|percent|people|rounds?|stages?|interviews?|candidates?)\b)|"
           r"below (?:the )?(?:pass|bar|threshold|standard|line|benchmark|required)|"
           r"(?:did not|didn t|failed to|not|wasn t|was not) (?:meet|pass|reach|hit|clear|"
           r"met|passed|reached) (?:the )?(?:bar|threshold|standard|pass mark|benchmark|"
           r"criteria|required level)|threshold not met|not met|not demonstrated|"
           r"unsatisfactory|development (?:area|need))\b",
}
# The reach from a frame to the theme's words: it stops where a new subject starts
# ('lacked numbers and I clearly hadn't ...').
_FRAMES["reach"] = (r"(?:(?! (?:and|or|but|so|while|because|as) (?:i|you|he|she|they|we|it|the|"
                    r"your|my|their|our|his|her)\b)[\w ])")
_FRAME_NAME = re.compile(r"(?<!\\)\{([a-z]+)\}")


def expand_frames(pattern: str) -> str:
    """The pattern with each {frame} written out (an unknown name stays as written)."""
    return _FRAME_NAME.sub(lambda m: f"(?:{_FRAMES[m[1]]})" if m[1] in _FRAMES else m[0],
                           pattern)


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
    patterns: Mapping[str, re.Pattern[str]]
    # Per theme, its phrases that use a frame: where frames of several themes start at the
    # same cue, the nearest words after it decide ('lacks years of experience in growth' is
    # experience, not business).
    framed: Mapping[str, re.Pattern[str]] = field(default_factory=dict, compare=False)
    # (theme, folded clause) → _spans: trackers repeat the sentences of form letters.
    seen: dict[tuple[str, str], tuple[tuple[int, int], ...]] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, themes: list[Theme], phrases: list[tuple[str, str]]) -> Codebook:
        grouped: dict[str, list[str]] = {}
        framed: dict[str, list[str]] = {}
        for theme, phrase in phrases:
            pattern = expand_frames(fold_pattern(phrase))  # letters folded like the text
            grouped.setdefault(theme, []).append(pattern)
            if _FRAME_NAME.search(phrase):
                framed.setdefault(theme, []).append(pattern)
        return cls({t.name: t for t in themes},
                   _Patterns({t: p for t, p in grouped.items()}, _theme_pattern),
                   _Patterns({t: p for t, p in framed.items()}, "|".join))


class _Patterns(Mapping):
    """Theme → its compiled pattern, compiled on first use: a codebook's patterns take half a
    second to compile, and most imports need only the few themes their texts can match."""

    def __init__(self, phrases: dict[str, list[str]], join) -> None:
        self._phrases, self._join = phrases, join
        self._sources: dict[str, str] = {}
        self._compiled: dict[str, re.Pattern[str]] = {}

    def source(self, theme: str) -> str:
        """The pattern's text, without compiling it."""
        if theme not in self._sources:
            self._sources[theme] = self._join(self._phrases[theme])
        return self._sources[theme]

    def alternation(self, theme: str) -> str:
        """A pattern matching what the compiled one matches: the phrases as alternatives
        (what ``source`` arranges for Python's engine, RE2 does not need)."""
        return "|".join(self._phrases[theme])

    def __getitem__(self, theme: str) -> re.Pattern[str]:
        if theme not in self._compiled:
            self._compiled[theme] = re.compile(self.source(theme))
        return self._compiled[theme]

    def __iter__(self) -> Iterator[str]:
        return iter(self._phrases)

    def __len__(self) -> int:
        return len(self._phrases)


def _alternation(patterns: Mapping, theme: str) -> str:
    """A pattern matching what a theme's pattern matches (from a lazy mapping without
    compiling it)."""
    if isinstance(patterns, _Patterns):
        return patterns.alternation(theme)
    return patterns[theme].pattern


def _theme_pattern(phrases: list[str]) -> str:
    """One pattern for all phrases of a theme, matching what their alternation matches, in the
    same order. Runs of alternatives that start with \\b share it (\\b(?:a|b|c)), so the engine
    tests a position inside a word once instead of once per phrase."""
    pieces, run = [], []
    for alternative in (a for p in phrases for a in _alternatives(p)):
        if alternative.startswith("\\b"):
            run.append(alternative[2:])
            continue
        if run:
            pieces.append("\\b(?:" + "|".join(run) + ")")
            run = []
        pieces.append(f"(?:{alternative})")
    if run:
        pieces.append("\\b(?:" + "|".join(run) + ")")
    return "|".join(pieces)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern: 'a|b(c|d)' → ['a', 'b(c|d)']."""
    parts, start = [], 0
    for i, char, depth in _structure(pattern):
        if char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _structure(pattern: str, start: int = 0):
    """(index, character, group depth after it) for each character of a pattern from
    ``start`` that can open, close or split a group: escapes and [...] sets are skipped."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _set_end(pattern, i)
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        yield i, char, depth
        i += 1


def _set_end(pattern: str, start: int) -> int:
    """Index just past the [...] set that opens at ``start``."""
    i = start + 1
    if pattern[i:i + 1] == "^":
        i += 1
    if pattern[i:i + 1] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _csv(name: str) -> list[dict[str, str]]:
    text = resources.files("pipelines.derive").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def default_themes() -> list[Theme]:
    return [Theme(r["theme"], r["label"], r["controllable"] == "true", r["description"],
                  r["action"]) for r in _csv("codebook.csv")]


def default_phrases() -> list[tuple[str, str]]:
    return [(r["theme"], r["pattern"]) for r in _csv("theme_phrases.csv")]


def default_codebook() -> Codebook:
    return Codebook.build(default_themes(), default_phrases())


def fold(text: str) -> str:
    """Lower case, accents off, every character other than a letter or digit a space
    (``pipelines.textfold.fold_aligned``): usually the text's length, so a match's span is the
    original's span (see ``_classify`` for the rare text where it is not)."""
    return fold_aligned(text)[0]


# A negated lack clears what lacks: "it wasn't lack of prep", 'not lacking in leadership'.
_LACK_WORDS = re.compile(r"(lack\w*|short on|light on|thin on|weak on|gaps? in)\b")
_NEGATION_END = re.compile(r"\b(wasn t|was not|isn t|is not|not|never|weren t|it s not)"
                           r"( a| the| any| really)?\s*$")


def _cleared(raw: str, clause: str, start: int, end: int) -> bool:
    """Whether the words at clause[start:end] are cleared, negated or praised; ``raw`` is the
    clause as written (a comma ends the reach of praise: 'you were great, someone else…')."""
    before, after = clause[:start], clause[end:]
    praise = _PRAISED_BEFORE.search(before)
    if praise and ("," in raw[praise.start():start] or _NEGATED.search(before[:praise.start()])):
        praise = None  # 'didn't feel a strong values fit' is no praise
    if _LACK_WORDS.match(clause, start) and _NEGATION_END.search(before):
        return True
    return bool(praise or _CLEARED.search(before) or _NOT_BEFORE.search(before)
                or _PRAISED_AFTER.match(after)
                or (_NO_BEFORE.search(before) and _ISSUE_AFTER.match(after)))


def _other_sense(theme: str, clause: str, start: int) -> bool:
    """Whether the match at ``start`` lies inside a use of its words in another sense."""
    other = _OTHER.get(theme)
    return bool(other) and any(m.start() <= start < m.end() for m in other.finditer(clause))


def _logistics(folded: str) -> bool:
    """A short note about next steps or arrangements, with no sign of a rejection reason."""
    return (len(folded) < 200 and not _FEEDBACK_CUE.search(folded)
            and bool(_LOGISTICS.search(folded)))


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: sentences, and the parts around 'but', 'however'…"""
    spans, start = [], 0
    for match in _CLAUSES.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _spans(theme: str, pattern: re.Pattern[str], raw: str,
           clause: str) -> tuple[tuple[int, int], ...]:
    """Where the theme's pattern matches in a folded clause and counts (not cleared, praised
    or meant in another sense)."""
    return tuple((m.start(), m.end()) for m in pattern.finditer(clause)
                 if theme == GENERIC or not (_cleared(raw, clause, m.start(), m.end())
                                             or _other_sense(theme, clause, m.start())))


def _near(span: tuple[int, int], others: Iterable[tuple[int, int]], gap: int = 12) -> bool:
    return any(a - gap <= span[1] and span[0] <= b + gap for a, b in others)


def _nearest_frame(spans: dict[str, tuple[tuple[int, int], ...]], clause: str,
                   framed: Mapping[str, re.Pattern[str]]) -> None:
    """Where frames of several themes start at the same cue ('they need someone who ...'),
    keep only the theme whose words come first after it; a theme left with no span goes.
    Experience yields to a skill named right after it ('more experience leading engineers'),
    which the rule for experience of a skill then settles."""
    marked: dict[str, set[tuple[int, int]]] = {}
    skills: dict[int, int] = {}
    for theme, hits in spans.items():
        pattern = framed.get(theme)
        for a, b in hits if pattern else ():
            if pattern.fullmatch(clause, a, b):
                marked.setdefault(theme, set()).add((a, b))
                if theme in _SKILLS:
                    skills[a] = min(skills.get(a, b), b)

    def yields(theme: str, a: int, b: int) -> bool:
        return (theme == "experience_gap" and skills.get(a, b + _SKILL_REACH + 1)
                <= b + _SKILL_REACH and bool(_EXPERIENCE_END.search(clause, a, b)))

    ends: dict[int, int] = {}
    for theme, hits in marked.items():
        for a, b in hits:
            if not yields(theme, a, b):
                ends[a] = min(ends.get(a, b), b)

    def first(theme: str, a: int, b: int) -> bool:
        return not yields(theme, a, b) and b <= ends[a]

    for theme, hits in marked.items():
        kept = tuple(h for h in spans[theme] if h not in hits or first(theme, *h)
                     or _LISTED.search(clause, ends[h[0]], h[1]))
        if kept:
            spans[theme] = kept
        else:
            del spans[theme]


_SKILL_REACH = 30
# Needs listed one after another each count: 'someone who can own a budget and grow the team'.
_LISTED = re.compile(r"\b(and|or|plus|as well as)\b")
_EXPERIENCE_END = re.compile(r"\b(experienc\w*|exp|track record|background|exposure|ervaring|"
                             r"\w*erfahrung|esperienza)$")


def classify_text(text: str, codebook: Codebook) -> dict[str, list[str]]:
    """Theme → the phrases (as written) that triggered it, for one feedback text."""
    if not isinstance(text, str) or not text.strip():
        return {}
    return _classify(text, codebook, codebook.patterns)


def _classify(text: str, codebook: Codebook, themes: Iterable[str],
              aligned: tuple[str, list[int] | None] | None = None) -> dict[str, list[str]]:
    """classify_text, looking only for the given themes (the others are known not to match).
    ``aligned`` is ``fold_aligned(text)`` when the caller has it. Where folding changed the
    text's length ('ß' → 'ss'), the clauses are read on the text spelt out to the folded
    length and the evidence is quoted from the text as written."""
    folded, index = aligned or fold_aligned(text)
    original = text
    if index is not None:
        text = "".join(original[i] for i in index[:-1])
    patterns = [(theme, codebook.patterns[theme]) for theme in themes]
    seen = codebook.seen
    found: dict[str, list[str]] = {}
    if _logistics(folded):
        return found
    for start, end in _clauses(text):
        raw, clause = text[start:end], folded[start:end]
        spans: dict[str, tuple[tuple[int, int], ...]] = {}
        for theme, pattern in patterns:
            hits = seen.get((theme, raw))
            if hits is None:
                if len(seen) > 200_000:
                    seen.clear()
                hits = seen[theme, raw] = _spans(theme, pattern, raw, clause)
            if hits:
                spans[theme] = hits
        if len(spans) > 1 and codebook.framed:
            _nearest_frame(spans, clause, codebook.framed)
        if "experience_gap" in spans:  # experience of a named skill is that skill
            skills = [span for theme in _SKILLS for span in spans.get(theme, ())]
            spans["experience_gap"] = tuple(span for span in spans["experience_gap"]
                                            if not _near(span, skills))
        if "overqualified" in spans:
            for theme in _BY_OVERQUALIFIED:
                spans.pop(theme, None)
        for theme, hits in spans.items():
            for a, b in hits:
                words = (raw[a:b] if index is None else
                         original[index[start + a]:index[start + b - 1] + 1]).strip()
                if words and words not in found.setdefault(theme, []):
                    found[theme].append(words)
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
    return next((i + 1 for i, _, depth in _structure(pattern, start) if depth == 0),
                len(pattern))


def _re2_readable(con, patterns: dict[str, str]) -> list[str]:
    """The names of the patterns RE2 can read, tried one by one."""
    readable = []
    for name, pattern in patterns.items():
        try:
            con.execute("SELECT regexp_matches('', ?)", [pattern]).fetchall()
            readable.append(name)
        except duckdb.Error:
            pass
    return readable


def _candidates(folded: list[str], codebook: Codebook) -> list[list[str]]:
    """For each folded text, the themes whose pattern can match it. DuckDB tests every text
    against every theme at once (RE2, all cores); Python's engine then works only on the
    hits. RE2's \\w and \\b know ASCII only, so a text with other letters keeps every theme,
    as does a theme whose pattern RE2 cannot read."""
    names = list(codebook.patterns)
    re2 = {name: _re2_pattern(_alternation(codebook.patterns, name)) for name in names}
    con = duckdb.connect()
    try:
        con.register("_folded", pd.DataFrame({"f": pd.Series(folded, dtype=object)}))

        def hits(usable: list[str]) -> list[tuple]:
            tests = ", ".join(["NOT regexp_full_match(f, '[ a-z0-9]*')"]
                              + ["regexp_matches(f, ?)"] * len(usable))
            return con.execute(f"SELECT {tests} FROM _folded",
                               [re2[n] for n in usable]).fetchall()

        usable = names
        try:
            rows = hits(usable)  # RE2 reads every pattern, the usual case
        except duckdb.Error:
            usable = _re2_readable(con, re2)
            rows = hits(usable)
    finally:
        con.close()
    always = [n for n in names if n not in usable]
    return [names if row[0] else always + [n for n, hit in zip(usable, row[1:], strict=True)
                                           if hit] for row in rows]


def classify_texts(values: pd.Series, codebook: Codebook) -> pd.DataFrame:
    """One row per (text, theme) for distinct texts: columns text, theme, evidence (the
    triggering phrases joined by ' · ')."""
    distinct = [t for t in pd.unique(values.dropna()) if isinstance(t, str) and t.strip()]
    if not distinct:
        return pd.DataFrame(columns=["text", "theme", "evidence"])
    aligned = [fold_aligned(t) for t in distinct]
    folded = [f for f, _ in aligned]
    rows = [(text, theme, " · ".join(words))
            for text, pair, themes in zip(distinct, aligned, _candidates(folded, codebook),
                                          strict=True) if themes
            for theme, words in _classify(text, codebook, themes, pair).items()]
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
    themes, phrases = default_themes(), default_phrases()
    con.execute("""INSERT OR IGNORE INTO themes SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                       unnest(?::BOOLEAN[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), TRUE""",
                [[t.name for t in themes], [t.label for t in themes],
                 [t.controllable for t in themes], [t.description for t in themes],
                 [t.action for t in themes]])
    con.execute("""INSERT OR IGNORE INTO theme_phrases SELECT unnest(?::VARCHAR[]),
                       unnest(?::VARCHAR[]), TRUE, unnest(?::INTEGER[])""",
                [[theme for theme, _ in phrases], [pattern for _, pattern in phrases],
                 list(range(len(phrases)))])


# One row per (application, theme) from the tags of its feedback and notes (as corrected in
# the app); a theme found in both keeps the evidence of each. A full join of the two, not a
# GROUP BY over every row, which cost a million-row import over a second.
_THEMES_OF_APPLICATIONS = """
    WITH texts AS (
        SELECT a.application_id, coalesce(n.feedback, a.feedback) AS feedback,
               coalesce(n.notes, a.notes) AS notes
        FROM applications a LEFT JOIN annotations n USING (application_id)),
    f AS (SELECT application_id, theme, controllable, evidence
          FROM texts JOIN _tags_df t ON t.text = texts.feedback),
    o AS (SELECT application_id, theme, controllable, evidence
          FROM texts JOIN _tags_df t ON t.text = texts.notes)
    SELECT coalesce(f.application_id, o.application_id), coalesce(f.theme, o.theme),
           coalesce(f.controllable, o.controllable),
           CASE WHEN f.evidence IS NULL THEN o.evidence
                WHEN o.evidence IS NULL OR o.evidence = f.evidence THEN f.evidence
                ELSE f.evidence || ' · ' || o.evidence END,
           CASE WHEN o.theme IS NULL THEN 'feedback' WHEN f.theme IS NULL THEN 'notes'
                ELSE 'feedback, notes' END
    FROM f FULL JOIN o ON f.application_id = o.application_id AND f.theme = o.theme"""


def sync_theme_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Copy ``application_themes`` into ``applications.theme_codes`` (see
    ``pipelines.store.tags.copy_theme_codes``)."""
    copy_theme_codes(con)


def refresh_themes(con: duckdb.DuckDBPyConnection) -> int:
    """Re-tag every application's feedback and notes (as corrected in the app) and replace
    ``application_themes``, in one transaction (the caller's, inside ``transaction``).
    Returns the number of (application, theme) rows."""
    codebook = load_codebook(con)
    texts = pd.Series([r[0] for r in con.execute(
        "SELECT DISTINCT t FROM (SELECT coalesce(n.feedback, a.feedback) AS t FROM applications a "
        "LEFT JOIN annotations n USING (application_id) UNION ALL SELECT coalesce(n.notes, "
        "a.notes) FROM applications a LEFT JOIN annotations n USING (application_id)) "
        "WHERE t IS NOT NULL").fetchall()], dtype=object)
    tags = classify_texts(texts, codebook)
    tags["controllable"] = tags["theme"].map(
        {n: t.controllable for n, t in codebook.themes.items()}).astype("boolean")
    con.register("_tags_df", tags)
    try:
        with transaction(con):
            con.execute("DELETE FROM application_themes")
            con.execute(f"INSERT INTO application_themes {_THEMES_OF_APPLICATIONS}")
            sync_theme_codes(con)
            clear_stale(con, "themes")
    finally:
        con.unregister("_tags_df")
    return con.execute("SELECT count(*) FROM application_themes").fetchall()[0][0]

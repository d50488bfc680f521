"""Source columns → canonical fields.

Decided from the column names (a shipped synonyms table in many languages) and
checked against the values (a 'Date applied' that holds no dates is not taken; a
column named like a stage that holds yes/no flags or dates is a stage column).
Overrides name a column and a field; they win over everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.domain import DONE_WORDS, NOT_A_YES, YES, folded
from pipelines.errors import Choice, MappingError, listed
from pipelines.ingest.headers import FIELDS, IGNORE, MAP_TARGETS, normalize_header, synonyms
from pipelines.normalize.statuses import classify_status

# What a cell of a flag column (a stage, a checkbox) holds: yes, no, nothing, done, a date's
# stand-in ('scheduled', 'expired') or an outcome letter ('G' for ghosted).
FLAG_VALUES = YES | NOT_A_YES | folded(DONE_WORDS) | {"expired", "g", "scheduled"}
_AGGREGATE = re.compile(r"(count|sum|average|avg|number|total|anzahl|summe) (of|von)\b|"
                        r"(count|sum|total|anzahl)\b")
_NOT_STAGE_WORDS = re.compile(r"\b(count|due|item|number|total|id|link|url|score|name|rate|"
                              r"percent|average|sum)\b")
_DATE_WORDS = re.compile(r"\b(date|datum|fecha|tarih|when|day)\b|日期|时间")
_FIELD_WORDS = [("company", "company"), ("title", "job_title"), ("status", "status"),
                ("salary", "salary"), ("url", "job_url"), ("link", "job_url"),
                ("feedback", "feedback"), ("note", "notes"), ("location", "location"),
                ("contact", "contact"), ("referr", "referral"), ("source", "source_channel"),
                ("applied", "applied_on")]


@dataclass
class ColumnProfile:
    """What the non-blank values of one column look like (shares of 0…1)."""

    filled: int
    dates: float
    urls: float
    flags: float
    numbers: float
    statuses: float = 0.0   # values that read as a status ('Rejected', 'Phone screen')
    pairs: float = 0.0      # values that join two names ('Acme – Data Analyst')
    serials: float = 0.0    # whole numbers in the range of Excel date serials


@dataclass
class Mapping:
    """Which source column feeds each canonical field, and which columns are stages."""

    fields: dict[str, str] = field(default_factory=dict)
    stage_columns: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # column → layout role, e.g. 'to stage'

    def as_dict(self) -> dict[str, str]:
        """Column → field (stage columns as 'stage:<stage>' or 'outcome:<outcome>')."""
        out = {col: fld for fld, col in self.fields.items()}
        for col, (stage, outcome) in self.stage_columns.items():
            out[col] = f"stage:{stage}" if stage else f"outcome:{outcome}"
        out.update({col: IGNORE for col in self.ignored})
        out.update(self.roles)
        return out

    def assign_role(self, column: str, role: str) -> None:
        """Take ``column`` out of the field mapping and give it a layout role."""
        for fld in [f for f, c in self.fields.items() if c == column]:
            del self.fields[fld]
        self.stage_columns.pop(column, None)
        self.unmapped = [c for c in self.unmapped if c != column]
        self.roles[column] = role


def _accepts(fld: str, profile: ColumnProfile) -> bool:
    """Whether the values fit a field the header suggested."""
    if profile.filled == 0:
        return True
    if fld in ("applied_on", "outcome_on", "created_on"):
        return profile.dates >= 0.3 or profile.serials >= 0.8
    if fld == "job_url":
        return profile.urls >= 0.3 or profile.dates < 0.5
    return True


def _is_stage_column(name: str, profile: ColumnProfile) -> tuple[str | None, str | None] | None:
    """(stage, outcome) when a column named like a stage holds flags or dates."""
    folded = normalize_header(name)
    if _DATE_WORDS.search(folded) and profile.dates >= 0.5:
        return None  # 'Date Applied (MM/DD/YYYY)' holding dates is a date, not a stage
    if _NOT_STAGE_WORDS.search(folded):
        return None  # 'Checklist Item Completed Count', 'Due Complete' count or schedule
    stage, outcome, known, pre = classify_status(name)
    if not known or pre or profile.filled == 0:
        return None
    if profile.filled and profile.flags + profile.dates < 0.6:
        return None
    return stage, (outcome if outcome != "active" else None)


def propose_mapping(columns: list[str], profiles: dict[str, ColumnProfile],
                    overrides: dict[str, str] | None = None) -> Mapping:
    """Map ``columns`` onto canonical fields. Raises MappingError for a bad override."""
    overrides = _check_overrides(columns, overrides or {})
    mapping = Mapping()
    taken: dict[str, tuple[int, str]] = {}
    for column in columns:
        if column in overrides:
            continue
        hit = synonyms().get(normalize_header(column))
        profile = profiles[column]
        if hit and hit[0] == IGNORE:
            mapping.ignored.append(column)
            continue
        stage = _is_stage_column(column, profile)
        if stage and (not hit or hit[0] in ("applied_on", "contact") and
                      profile.filled and profile.flags >= 0.6):
            mapping.stage_columns[column] = stage
            continue
        fld, rank = hit if hit else (_by_words(column), 99)
        if fld and _accepts(fld, profile) and (fld not in taken or rank < taken[fld][0]):
            if fld in taken:
                mapping.unmapped.append(taken[fld][1])
            taken[fld] = (rank, column)
        else:
            mapping.unmapped.append(column)
    mapping.fields = {fld: col for fld, (_, col) in taken.items()}
    _by_values(mapping, profiles)
    _apply_overrides(mapping, overrides)
    mapping.unmapped = [c for c in columns if c in mapping.unmapped]
    return mapping


_ORG = r"(org\w*|company|companies|employer|unternehmen\w*|empresa|entreprise|firma|bedrijf)"
# Scope headers said in many ways ('Company size (employees)', 'Mitarbeiterzahl', 'Team I'd
# manage', 'Type of organisation', 'Remit'), tried before the single words below.
_SCOPE_HEADERS = [
    (re.compile(r"\bteam\b.*\b(manag\w*|lead\w*|size)\b|\b(direct )?reports\b|"
                r"fuhrungsspanne|span of control|people (managed|i d manage)|personas a cargo|"
                r"personalverantwortung"), "people_managed"),
    (re.compile(r"\b(size|employees?|headcount|mitarbeiter\w*|beschaftigte\w*|tamano|"
                r"tamanho|taille|grosse|dimensione|effectifs?|empleados|funcionarios|"
                r"werknemers|grootte|medewerkers)\b"), "org_size"),
    (re.compile(rf"\b(type|kind|sector|sektor|art|tipo|category)\b.*\b{_ORG}\b|"
                rf"\b{_ORG}\b.*\b(type|kind|art|tipo|sector)\b|unternehmensart|"
                r"organisationsform|rechtsform"), "org_type"),
    (re.compile(r"\b(remit|reach|geograph\w*|reichweite|alcance|portee|ambito|coverage|"
                r"footprint)\b"), "org_reach"),
    (re.compile(r"\bbudget\w*|presupuesto|orcamento"), "budget"),
]


def _by_words(column: str) -> str | None:
    """A field named by a word inside the header ('Company Name + Link'), unless the header
    names an aggregate ('Count of Job Title' in a pivot table)."""
    folded = normalize_header(column)
    if _AGGREGATE.match(folded):
        return None
    for pattern, fld in _SCOPE_HEADERS:
        if pattern.search(folded):
            return fld
    for word, fld in _FIELD_WORDS:
        if word in folded.split() or any(w.startswith(word) for w in folded.split()):
            return fld
    return None


SECOND_STATUS = "status (second column)"  # role of 'Outcome' beside 'Stage'


def _by_values(mapping: Mapping, profiles: dict[str, ColumnProfile]) -> None:
    """Columns no name placed: a column of links is the job URL, of dates the date applied,
    of status words the status, when those fields are still free; a second column of
    status words beside the status ('Stage' and 'Outcome') is read with it, the furthest
    stage and the final outcome of the two counting. A company column whose cells join
    company and role ('Acme – Data Analyst') feeds both when there is no title."""
    for column in list(mapping.unmapped):
        profile = profiles[column]
        if not profile.filled:
            continue
        if "job_url" not in mapping.fields and profile.urls >= 0.8:
            mapping.fields["job_url"] = column
        elif "applied_on" not in mapping.fields and profile.dates >= 0.9:
            mapping.fields["applied_on"] = column
        elif "status" not in mapping.fields and profile.statuses >= 0.6:
            mapping.fields["status"] = column
        elif SECOND_STATUS not in mapping.roles.values() and profile.statuses >= 0.6:
            mapping.roles[column] = SECOND_STATUS
        elif "job_title" not in mapping.fields and normalize_header(column) == "name":
            mapping.fields["job_title"] = column  # 'Name' beside a Company column: the role
        else:
            continue
        mapping.unmapped.remove(column)
    company = mapping.fields.get("company")
    if company and "job_title" not in mapping.fields and profiles[company].pairs >= 0.6:
        mapping.roles[company] = "company and title"


def _check_overrides(columns: list[str], overrides: dict[str, str]) -> dict[str, str]:
    by_fold = {normalize_header(c): c for c in columns}
    checked = {}
    for column, fld in overrides.items():
        real = column if column in columns else by_fold.get(normalize_header(column))
        if real is None:
            raise MappingError(f"the mapping names a column {column!r} that the file does "
                               "not have.", hint=f"The columns are: {listed(columns)}.",
                               choice=Choice("column", column=column, options=tuple(columns)))
        if fld not in MAP_TARGETS:
            raise MappingError(f"unknown field {fld!r} for the column {column!r}.",
                               hint="Fields: " + ", ".join(FIELDS) + ", ignore, stage:<stage>, "
                                    "outcome:<outcome>.")
        checked[real] = fld
    return checked


def _apply_overrides(mapping: Mapping, overrides: dict[str, str]) -> None:
    for column, fld in overrides.items():
        for other in [f for f, c in mapping.fields.items() if c == column or f == fld]:
            displaced = mapping.fields.pop(other)
            if displaced != column:
                mapping.unmapped.append(displaced)
        mapping.stage_columns.pop(column, None)
        if column in mapping.ignored:
            mapping.ignored.remove(column)
        if column in mapping.unmapped:
            mapping.unmapped.remove(column)
        if fld == IGNORE:
            mapping.ignored.append(column)
        elif fld.startswith("stage:"):
            mapping.stage_columns[column] = (fld.split(":")[1], None)
        elif fld.startswith("outcome:"):
            mapping.stage_columns[column] = (None, fld.split(":")[1])
        else:
            mapping.fields[fld] = column


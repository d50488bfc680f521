"""The product's vocabulary, defined once: stages, outcomes, title levels, organisation types
and reaches, the fields of scope, preparation and the candidate's profile, the statuses of a
plan action, and the words trackers use for yes and no.

Everything else takes its lists from here: the schema's CHECK constraints are tested against
them (``tests/pipelines/test_domain.py``), SQL lists are built from them with ``sql_list``,
and the words shown to a person for each code live with the dashboard
(``dashboard/labels.py``). Codes are what is stored; they never change meaning.
"""

from __future__ import annotations

from pipelines.textfold import fold

# How far an application got, in order (DOMAIN.md: applied → screen → interview → final →
# offer).
STAGES = ("applied", "screen", "interview", "final", "offer")
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
# How it ended, or that it has not.
OUTCOMES = ("active", "rejected", "no_response", "withdrawn", "offer")
# When two rows describe one application, the more definite outcome wins: an offer, then a
# rejection, a withdrawal, silence, and last an application still open.
OUTCOME_PRECEDENCE = ("offer", "rejected", "withdrawn", "no_response", "active")

# The seniority a title claims, 1 … 12 (what each step of the scale means). Levels 1-5 are
# individual contributors' rungs.
LEVELS = {1: "intern", 2: "entry", 3: "mid", 4: "senior", 5: "lead / principal",
          6: "manager", 7: "senior manager / head of", 8: "director", 9: "senior director",
          10: "vice president", 11: "SVP / EVP", 12: "C-level"}
IC_LEVELS = range(1, 6)
LOWEST_LEVEL, HIGHEST_LEVEL = min(LEVELS), max(LEVELS)

ORG_TYPES = ("startup", "nonprofit", "public_sector", "company")
REACHES = ("local", "regional", "national", "global")

# What a role holds, as the tracker or the user says (scope_edits has one column each).
SCOPE_FIELDS = ("title_level", "org_size", "org_type", "org_reach", "people_managed", "budget")
# The candidate's own current role (candidate_profile), what stretch is measured from.
PROFILE_FIELDS = ("current_title", "title_level", "org_size", "org_type", "org_reach",
                  "people_managed")
# Preparation a tracker can hold (columns of applications) …
PREPARATION_FIELDS = ("prep_hours", "researched", "insiders_contacted", "questions_prepared",
                      "feedback_asked")
# … and what the user can answer per application in the app (preparation_edits): the same,
# whether they were referred, and whether feedback came back.
PREPARATION_ANSWERS = ("prep_hours", "researched", "insiders_contacted", "referred",
                       "questions_prepared", "feedback_asked", "feedback_received")

# The statuses of an action in the development plan.
PLAN_STATUSES = ("planned", "in_progress", "done", "dropped")

# ── yes and no, as trackers write them ─────────────────────────────────────────────────
# Compared after folding (pipelines.textfold): 'Hayır', 'HAYIR' and 'hayir' are one word.
# A plain "no", in the languages the product reads.
NO_WORDS = ("no", "n", "false", "nein", "non", "nee", "nao", "não", "hayır", "否", "✗", "✘")
# A cell that holds nothing: neither yes nor no.
EMPTY_WORDS = ("0", "-", "n/a", "na", "none", "null")
# A plain "yes".
YES_WORDS = ("yes", "y", "true", "1", "x", "ja", "j", "oui", "si", "sí", "sim", "evet", "是",
             "✓", "✔", "☑", "✅")
# A checkbox or to-do cell: done, or not yet.
DONE_WORDS = ("done", "ok", "checked", "complete", "completed")
NOT_DONE_WORDS = ("not yet", "unchecked", "todo", "to do", "pending", "☐", "❌")


def folded(words) -> frozenset[str]:
    """The words as they fold (for comparing with folded text), symbols kept as written."""
    return frozenset(fold(w) or w for w in words)


# A referral cell, a stage cell, a flag that says "not": no, or nothing.
NOT_A_YES_WORDS = NO_WORDS + EMPTY_WORDS
NO, EMPTY, YES, NOT_A_YES = (folded(w) for w in (NO_WORDS, EMPTY_WORDS, YES_WORDS,
                                                 NOT_A_YES_WORDS))


def sql_list(values) -> str:
    """Values as an SQL list of string literals: ``('applied', 'screen', …)``."""
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def sql_array(values) -> str:
    """Values as an SQL list value: ``['applied', 'screen', …]``."""
    return "[" + sql_list(values)[1:-1] + "]"


def sql_says(expr: str, words) -> str:
    """SQL: whether the cell ``expr`` (trimmed, lower case) is one of ``words`` (as written,
    not folded). Both the written and the folded form of each word are listed, so 'Hayır' and
    'HAYIR' (which SQL lower-cases to 'hayir') are both found."""
    forms = sorted({w.lower() for w in words} | folded(words))
    return f"lower(trim(coalesce({expr}, ''))) IN {sql_list(forms)}"


def stage_rank_sql(stage: str = "stage_reached", outcome: str = "outcome") -> str:
    """SQL for how far an application got, 0 (applied) … 4 (offer). An offer outcome counts
    as the offer stage whatever the stored stage (an offer means every round was passed)."""
    return (f"CASE WHEN {outcome} = 'offer' THEN {len(STAGES) - 1} "
            f"ELSE list_position({sql_array(STAGES)}, {stage}) - 1 END")

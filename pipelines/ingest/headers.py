"""The header vocabulary: the canonical fields a tracker's columns can feed, and the names
they go by in many languages (``synonyms.csv``), for finding the header row and mapping it.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from pipelines.domain import OUTCOMES, STAGES
from pipelines.normalize.statuses import classify_status
from pipelines.textfold import fold

FIELDS = ("company", "job_title", "applied_on", "created_on", "status", "status_history",
          "outcome_on", "feedback", "notes",
          "location", "salary", "source_channel", "referral", "contact", "org_size", "org_type",
          "org_reach", "people_managed", "budget", "prep_hours", "researched",
          "insiders_contacted", "questions_prepared", "feedback_asked",
          "job_url", "source_ref", "from_stage", "to_stage", "salary_max", "salary_currency")
IGNORE = "ignore"
# What a column can be mapped onto: a field, nothing, a stage column (the stage reached when
# it is filled) or an outcome column (the outcome when it is filled).
MAP_TARGETS = (IGNORE, *FIELDS, *(f"stage:{s}" for s in STAGES),
               *(f"outcome:{o}" for o in OUTCOMES if o != "active"))


def normalize_header(name: object) -> str:
    """Fold a header for lookup: no accents, lower case, punctuation as spaces."""
    return fold(str(name))


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, int]]:
    """Folded header → (field, rank within the field); lower rank is the better match."""
    table: dict[str, tuple[str, int]] = {}
    ranks: dict[str, int] = {}
    text = resources.files("pipelines.ingest").joinpath("synonyms.csv").read_text("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        ranks[row["field"]] = ranks.get(row["field"], -1) + 1
        table.setdefault(normalize_header(row["header"]), (row["field"], ranks[row["field"]]))
    return table


def header_score(cells: list) -> float:
    """How much a row reads like a tracker's header: one point per distinct known field,
    half a point per distinct name of a stage (a data row of ticks, 'x' in every stage
    column, names one)."""
    found, stages = set(), set()
    for cell in cells:
        if cell is None or len(str(cell)) > 60:
            continue
        name = normalize_header(cell)
        hit = synonyms().get(name)
        if hit and hit[0] != IGNORE:
            found.add(hit[0])
        elif name not in stages and classify_status(cell)[2]:
            stages.add(name)
    return len(found) + len(stages) / 2 if len(found) + len(stages) >= 2 else 0.0

"""The words a person sees for each code of the product's vocabulary (``pipelines.domain``):
stages, outcomes, title levels, organisation types and reaches, preparation, plan statuses.

Pages, charts, the report and the query layer's group names all take their words from here,
so a stage is called the same everywhere. A test checks that every code has its label.
"""

from __future__ import annotations

from pipelines.domain import OUTCOMES, STAGES

STAGE_LABELS = {"applied": "Applied", "screen": "Screen", "interview": "Interview",
                "final": "Final round", "offer": "Offer"}
OUTCOME_LABELS = {"active": "Still active", "rejected": "Rejected",
                  "no_response": "No response", "withdrawn": "Withdrawn", "offer": "Offer"}
# Sankey nodes, left to right. 'Offer' is one node: the offer stage and the offer outcome.
FLOW_NODES = (*(STAGE_LABELS[s] for s in STAGES),
              *(OUTCOME_LABELS[o] for o in OUTCOMES if o not in ("offer", "active")),
              OUTCOME_LABELS["active"])

# Title levels, short enough for an axis ('3 Mid', '7 Head of').
LEVEL_LABELS = {1: "Intern", 2: "Entry", 3: "Mid", 4: "Senior", 5: "Lead", 6: "Manager",
                7: "Head of", 8: "Director", 9: "Sr director", 10: "VP", 11: "SVP / EVP",
                12: "C-level"}

TYPE_LABELS = {"startup": "Startup", "nonprofit": "Nonprofit", "public_sector": "Public sector",
               "company": "Company"}
REACH_LABELS = {"local": "Local", "regional": "Regional", "national": "National",
                "global": "Global"}

PREPARATION_LABELS = {"researched": "Researched the company",
                      "insiders_contacted": "Contacted people inside",
                      "referred": "Referred",
                      "questions_prepared": "Prepared questions",
                      "feedback_asked": "Asked for feedback",
                      "feedback_received": "Received feedback",
                      "prep_hours": "Hours of preparation"}
PLAN_STATUS_LABELS = {"planned": "Planned", "in_progress": "In progress", "done": "Done",
                      "dropped": "Dropped"}


def level_label(level: int) -> str:
    """'3 · Mid' for a title level."""
    return f"{level} · {LEVEL_LABELS[level]}"

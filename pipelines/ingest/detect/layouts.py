"""Which layout a table has, from its header, its mapping and its status values.

Layouts:
  status_column  one row per application with a status column (or no status at all)
  stage_columns  one column per stage holding a date or a yes/1/Y flag
  linkedin       LinkedIn's 'Job Applications.csv' (no status: every row was applied)
  transitions    one row per stage transition (company, from, to)
  multi_status   a status column listing several statuses at once (Notion multi-select)
  date_columns   one column per day, each cell naming a company applied to that day
The layout is detected from the header and the values; the caller may override it.
"""

from __future__ import annotations

from pipelines.errors import NoApplications
from pipelines.ingest.detect.mapping import Mapping
from pipelines.ingest.headers import normalize_header
from pipelines.normalize.statuses import is_multi_status

LAYOUTS = ("status_column", "stage_columns", "linkedin", "transitions", "multi_status",
           "date_columns")
_LINKEDIN = {"application date", "job title", "job url"}  # and "company name"
LINKEDIN_OWN = {"contact email", "contact phone number", "resume name",
                 "question and answers"}  # the applicant's own details, not a contact
_LINKEDIN_SAVED = {"saved date", "company name", "job title", "job url"}
_TRANSITION_PAIRS = [("source", "target"), ("from", "to"), ("from stage", "to stage"),
                     ("source stage", "target stage"), ("from status", "to status")]
# Two names joined in one cell: 'Acme – Data Analyst', 'Analyst @ Acme'.
NAME_SEPARATOR = r"\s+(?:[–—|@-]|at|bei|chez)\s+"


def detect_layout(columns: list[str], mapping: Mapping, distinct_status: list[str],
                  filled_stage_columns: list[str]) -> str:
    """Name the layout of a table from its header, mapping and status values.

    Raises NoApplications for files that are known not to hold applications.
    """
    folded = {normalize_header(c) for c in columns}
    if _LINKEDIN_SAVED <= folded and "application date" not in folded:
        raise NoApplications(
            "this is LinkedIn's 'Saved Jobs' export: saved jobs are not applications.",
            hint="Import 'Job Applications.csv' from the same LinkedIn export instead.")
    if transition_columns(columns):
        return "transitions"
    if is_date_header(columns):
        return "date_columns"
    if _LINKEDIN <= folded and folded & {"company name", "organization"} and \
            "status" not in mapping.fields:
        return "linkedin"
    if "status_history" in mapping.fields:
        return "multi_status"
    if "status" in mapping.fields and distinct_status:
        multi = sum(is_multi_status(v) for v in distinct_status)
        if multi >= max(2, 0.2 * len(distinct_status)):
            return "multi_status"
    if len(filled_stage_columns) >= 2 or filled_stage_columns and "status" not in mapping.fields:
        return "stage_columns"
    return "status_column"


def transition_columns(columns: list[str]) -> tuple[str, str] | None:
    """The (from, to) columns of a transition list, if the header has them."""
    by_fold = {normalize_header(c): c for c in columns}
    for a, b in _TRANSITION_PAIRS:
        if a in by_fold and b in by_fold:
            return by_fold[a], by_fold[b]
    return None


def is_date_header(columns: list[str]) -> bool:
    """True when most column names are dates (one column per day of applying)."""
    import pandas as pd  # here, not at import time (see pipelines.ingest.warm_imports)

    from pipelines.normalize.dates import parse_dates

    dated = parse_dates(pd.Series(columns, dtype="object"), allow_serials=False).notna()
    return len(columns) >= 3 and dated.mean() >= 0.8

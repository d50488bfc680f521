"""Data tests: SQL queries that must return no rows. Run after every import and in tests."""

from __future__ import annotations

import duckdb

from pipelines.domain import OUTCOMES, STAGES, sql_list
from pipelines.store.db import scalar

CHECKS = {
    "every application names a company, a job title or a reference": """
        SELECT application_id FROM applications
        WHERE company IS NULL AND job_title IS NULL AND source_ref IS NULL""",
    "application_id is unique": """
        SELECT application_id FROM applications GROUP BY ALL HAVING count(*) > 1""",
    "stage_reached is one of the five stages": f"""
        SELECT application_id FROM applications WHERE stage_reached NOT IN {sql_list(STAGES)}""",
    "outcome is one of the five outcomes": f"""
        SELECT application_id FROM applications WHERE outcome NOT IN {sql_list(OUTCOMES)}""",
    "an offer outcome means the offer stage was reached": """
        SELECT application_id FROM applications WHERE outcome = 'offer'
            AND stage_reached <> 'offer'""",
    "every application came from an import": """
        SELECT a.application_id FROM applications a
        ANTI JOIN application_sources s USING (application_id)""",
}


def failing_checks(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Name → number of offending rows, for every check that finds any."""
    failures = {}
    for name, sql in CHECKS.items():
        count = scalar(con, f"SELECT count(*) FROM ({sql})")
        if count:
            failures[name] = count
    return failures

"""``applications.theme_codes``: a copy of ``application_themes`` kept on each application, so
pages count themes without joining a million applications to their tags."""

from __future__ import annotations

import duckdb


def copy_theme_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Copy ``application_themes`` into ``applications.theme_codes`` (the theme names of each
    application, sorted, comma-separated; NULL without one), writing only the rows whose
    themes changed. Theme names are ``[a-z0-9_]``, so a comma never occurs in one. Copies
    what is stored: it tags nothing."""
    con.execute("""UPDATE applications a SET theme_codes = n.codes FROM (
        SELECT a.application_id, t.codes FROM applications a LEFT JOIN (
            SELECT application_id, string_agg(theme, ',' ORDER BY theme) AS codes
            FROM application_themes GROUP BY application_id) t USING (application_id)
        WHERE a.theme_codes IS DISTINCT FROM t.codes) n
        WHERE a.application_id = n.application_id""")

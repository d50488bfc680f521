"""Text typed or imported by the user (file, column and company names, codebook labels and
phrases, annotations, plan actions, session notes, statuses, client names) that looks like
SQL is stored as typed, and nothing else in the database changes: every such value reaches
DuckDB as a bound parameter, never as SQL."""

from __future__ import annotations

import datetime as dt

from dashboard import workspace
from pipelines.edits.coaching import add_action, add_session, update_action
from pipelines.edits.codebook import add_phrase, add_theme, update_theme
from pipelines.edits.corrections import place_status, save_annotation, save_profile
from pipelines.ingest.importer import ingest_file
from pipelines.store.db import connect, scalar

HOSTILE = [
    "Robert'); DROP TABLE applications; --",
    "x' OR '1'='1",
    'a"; DELETE FROM themes; SELECT "b',
    "'; ATTACH '/tmp/elsewhere.duckdb' AS other; --",
    "$$; UPDATE applications SET company = 'gone'; $$ \\' ; x",
]


def _tables(con) -> dict[str, int]:
    """Every table of the main schema with its row count."""
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
        "AND NOT temporary ORDER BY 1").fetchall()]
    return {name: scalar(con, f'SELECT count(*) FROM "{name}"') for name in names}


def _tracker(folder, name: str):
    """A tracker whose file name, a column name, companies and statuses are hostile."""
    rows = [f'Company,Job Title,Date Applied,Status,"{HOSTILE[1].replace(chr(34), 2 * chr(34))}"']
    for i, text in enumerate(HOSTILE):
        quoted = text.replace('"', '""')
        rows.append(f'"{quoted}",Analyst {i},2025-03-0{i + 1},"{quoted}",note {i}')
    path = folder / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_hostile_file_column_and_company_names_are_stored_verbatim(tmp_path):
    """A file named like SQL, with such a column, companies and statuses, imports as text."""
    con = connect(tmp_path / "db.duckdb")
    name = "it's; DROP TABLE imports;--.csv"
    report = ingest_file(con, _tracker(tmp_path, name))
    assert report.applications_loaded == len(HOSTILE)
    companies = {r[0] for r in con.execute("SELECT company FROM applications").fetchall()}
    assert companies == set(HOSTILE)
    assert {r[0] for r in con.execute("SELECT status_raw FROM applications").fetchall()} == set(
        HOSTILE)
    assert {r[0] for r in con.execute("SELECT source_file FROM applications").fetchall()} == {
        name}
    assert scalar(con, "SELECT source_file FROM imports") == name
    # Imported again, nothing new and nothing lost (the update path binds the name too).
    again = ingest_file(con, _tracker(tmp_path, name))
    assert again.applications_new == 0
    assert scalar(con, "SELECT count(*) FROM applications") == len(HOSTILE)
    con.close()


def test_hostile_text_typed_in_the_app_is_stored_verbatim_and_nothing_else_changes(tmp_path):
    """Annotations, codebook labels and phrases, plan actions, session notes, a status
    placed by hand and the current role, all written like SQL, are stored as typed; every
    table is still there and only the rows written to changed."""
    con = connect(tmp_path / "db.duckdb")
    ingest_file(con, _tracker(tmp_path, "tracker.csv"))
    before = _tables(con)
    first = scalar(con, "SELECT min(application_id) FROM applications")
    evil, other = HOSTILE[0], HOSTILE[2]

    save_annotation(con, first, feedback=evil, notes=other)
    add_theme(con, "sql_words", label=evil, controllable=True, description=other,
              action=HOSTILE[3], phrases=("drop table",))
    update_theme(con, "leadership", label=HOSTILE[4])
    add_phrase(con, "leadership", other)
    session = add_session(con, dt.date(2025, 4, 1), notes=evil,
                          actions=[("leadership", other, None)])
    action = add_action(con, "sql_words", HOSTILE[3], notes=evil)
    update_action(con, action, notes=HOSTILE[4], action=other)
    place_status(con, HOSTILE[1], "screen", "rejected")
    save_profile(con, current_title=evil)

    assert con.execute("SELECT feedback, notes FROM annotations WHERE application_id = ?",
                       [first]).fetchall() == [(evil, other)]
    assert con.execute("SELECT label, description, action FROM themes WHERE theme = "
                       "'sql_words'").fetchall() == [(evil, other, HOSTILE[3])]
    assert scalar(con, "SELECT label FROM themes WHERE theme = 'leadership'") == HOSTILE[4]
    assert scalar(con, "SELECT notes FROM coach_sessions WHERE session_id = ?",
                  [session]) == evil
    assert scalar(con, "SELECT action FROM plan_actions WHERE session_id = ?",
                  [session]) == other
    assert con.execute("SELECT action, notes FROM plan_actions WHERE action_id = ?",
                       [action]).fetchall() == [(other, HOSTILE[4])]
    assert scalar(con, "SELECT stage_reached FROM status_overrides WHERE status_raw = ?",
                  [HOSTILE[1]]) == "screen"
    assert scalar(con, "SELECT current_title FROM candidate_profile") == evil
    # A phrase typed in the app is a pattern of escaped words, stored as a parameter too.
    assert scalar(con, "SELECT count(*) FROM theme_phrases WHERE theme = 'leadership' AND "
                       "pattern LIKE '%delete%'") == 1

    after = _tables(con)
    assert after.keys() == before.keys()
    written = {"annotations", "themes", "theme_phrases", "coach_sessions", "plan_actions",
               "status_overrides", "candidate_profile", "application_themes", "app_state"}
    assert {t: n for t, n in after.items() if t not in written} == {
        t: n for t, n in before.items() if t not in written}
    assert {r[0] for r in con.execute("SELECT company FROM applications").fetchall()} == set(
        HOSTILE)
    con.close()


def test_hostile_client_names_make_a_safe_file_and_touch_no_other_client(tmp_path):
    """A client named like SQL gets a file of letters, digits and dashes in the workspace;
    the client already there keeps its data."""
    folder = tmp_path / "ws"
    existing = workspace.create_client(folder, "Dana Smith")
    con = connect(existing.path)
    ingest_file(con, _tracker(tmp_path, "tracker.csv"))
    before = _tables(con)
    con.close()
    for name in HOSTILE:
        try:
            client = workspace.create_client(folder, name)
        except ValueError:
            continue  # refused with a sentence (e.g. a slash): nothing created
        assert client.path.parent == folder
        assert all(c.isalnum() or c in "-." for c in client.key), client.key
    assert {p.parent for p in folder.rglob("*")} == {folder}
    con = connect(existing.path)
    assert _tables(con) == before
    con.close()

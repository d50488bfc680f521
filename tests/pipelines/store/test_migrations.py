"""Recorded migrations: a database made by an earlier version upgrades once and keeps every
fact and edit; opening an up-to-date database writes nothing and tags nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import zstandard

from pipelines.derive import scope, themes
from pipelines.derive.refresh import refresh_stale
from pipelines.ingest.importer import ingest_file
from pipelines.store import migrations
from pipelines.store.db import connect
from tests.conftest import SAMPLE_CSV, snapshot, write_text

LEGACY = Path(__file__).resolve().parents[2] / "data" / "legacy-948acfa.duckdb.zst"
# Tables the upgrade may touch: the migrations' record and the view's stamp.
BOOKKEEPING = {"schema_migrations", "app_state"}


@pytest.fixture
def legacy(tmp_path) -> Path:
    """A copy of the database file made by commit 948acfa (tests/data/make_legacy_db.py)."""
    path = tmp_path / "legacy.duckdb"
    path.write_bytes(zstandard.ZstdDecompressor().decompress(LEGACY.read_bytes(),
                                                             max_output_size=1 << 26))
    return path


def _stamp(path: Path) -> tuple:
    wal = path.with_name(path.name + ".wal")
    return (path.stat().st_mtime_ns, path.stat().st_size,
            wal.stat().st_size if wal.exists() else None)


@pytest.fixture
def no_deriving(monkeypatch):
    """Tagging feedback or reading titles fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("opening a database derived something")

    monkeypatch.setattr(themes, "classify_texts", refuse)
    monkeypatch.setattr(scope, "read_titles", refuse)


def test_a_database_of_the_previous_version_upgrades_and_keeps_everything(legacy, no_deriving):
    """The file made by 948acfa opens: every migration is applied and recorded, every table
    of facts and of the user's edits is as it was, and the edits still show in the view."""
    with duckdb.connect(str(legacy), read_only=True) as old:
        before = snapshot(old)
        assert "schema_migrations" not in before
    with connect(legacy) as con:
        after = snapshot(con)
        done = [r[0] for r in con.execute(
            "SELECT name FROM schema_migrations ORDER BY 1").fetchall()]
        annotated = con.execute("SELECT count(*) FROM applications_view a JOIN annotations "
                                "USING (application_id) WHERE a.outcome = 'rejected'").fetchall()
        placed = con.execute("SELECT stage_reached, outcome FROM applications_view "
                             "WHERE status_raw = 'on the shelf'").fetchall()
    assert done == [m.name for m in migrations.MIGRATIONS]
    assert {t: v for t, v in after.items() if t not in BOOKKEEPING} == {
        t: v for t, v in before.items() if t not in BOOKKEEPING}
    assert before["annotations"][0] == 1 and before["plan_actions"][0] == 1
    assert annotated == [(1,)] and placed == [("screen", "no_response")]


def test_the_upgraded_database_works_and_is_not_upgraded_again(legacy):
    """After the upgrade the sample tracker is recognised as already imported, a new tracker
    lands beside the old data, and the next open writes nothing."""
    connect(legacy).close()
    first = _stamp(legacy)
    connect(legacy).close()
    assert _stamp(legacy) == first
    with connect(legacy) as con:
        assert migrations.pending(con) == []
        assert ingest_file(con, SAMPLE_CSV).already_imported
        report = ingest_file(con, write_text(legacy.parent, "new.csv",
                                             "Company,Job Title,Date Applied,Status\n"
                                             "Newco,Analyst,2025-09-01,Applied\n"))
        assert report.applications_new == 1
        assert con.execute("SELECT count(*) FROM applications").fetchall() == [(151,)]


def test_opening_an_up_to_date_database_writes_nothing_and_tags_nothing(tmp_path):
    """A database opened again, with feedback and titles in it, is left byte for byte as it
    was: no migration, no view written, no tagging, no title read."""
    path = tmp_path / "t.duckdb"
    with connect(path) as con:
        ingest_file(con, SAMPLE_CSV)
    before = _stamp(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(themes, "refresh_themes", lambda *a: pytest.fail("re-tagged"))
        patch.setattr(scope, "refresh_scope", lambda *a: pytest.fail("re-derived"))
        for _ in range(3):
            connect(path).close()
    assert _stamp(path) == before


def test_an_older_database_s_tags_are_copied_not_redone(legacy, no_deriving):
    """A database tagged before theme_codes existed gets them from its stored tags."""
    with duckdb.connect(str(legacy)) as old:
        tags = old.execute("SELECT count(DISTINCT application_id) FROM application_themes"
                           ).fetchall()[0][0]
        old.execute("UPDATE applications SET theme_codes = NULL")
    with connect(legacy) as con:
        assert tags > 0
        assert con.execute("SELECT count(*) FROM applications WHERE theme_codes IS NOT NULL"
                           ).fetchall() == [(tags,)]


def test_titles_read_before_their_words_were_kept_are_refreshed_at_start_only(legacy):
    """A database whose titles' words were never stored is marked stale on opening (nothing
    read then); the start-up refresh fills the words and clears the mark."""
    with duckdb.connect(str(legacy)) as old:
        old.execute("UPDATE applications SET title_words = NULL")
    with connect(legacy) as con:
        assert migrations.stale(con) == ["scope"]
        assert con.execute("SELECT count(*) FROM applications WHERE title_words IS NOT NULL"
                           ).fetchall() == [(0,)]
        assert refresh_stale(con) == ["scope"]
        assert migrations.stale(con) == [] and refresh_stale(con) == []
        assert con.execute("SELECT count(*) FROM applications WHERE title_words IS NOT NULL"
                           ).fetchall()[0][0] > 100


def test_matching_keys_are_folded_again_so_a_reimport_still_matches(tmp_path):
    """A key stored by the old rule ('ısık' for 'Işık') is recomputed once, so importing
    the same company written 'ISIK' updates the application instead of adding one."""
    path = tmp_path / "t.duckdb"
    header = "Company,Job Title,Date Applied,Status\n"
    with connect(path) as con:
        ingest_file(con, write_text(tmp_path, "a.csv",
                                    header + "Işık,Analyst,2025-03-03,Applied\n"))
        con.execute("UPDATE applications SET company_key = 'ısık'")
        con.execute("DELETE FROM schema_migrations WHERE name LIKE '0003%'")
    with connect(path) as con:
        assert con.execute("SELECT company_key FROM applications").fetchall() == [("isik",)]
        report = ingest_file(con, write_text(tmp_path, "b.csv",
                                             header + "ISIK,Analyst,2025-03-03,Rejected\n"))
        assert (report.applications_new, report.applications_updated) == (0, 1)


def test_a_failing_migration_is_rolled_back_and_tried_again_next_time(tmp_path, monkeypatch):
    """A migration that raises leaves no change and no record; the next open applies it."""
    path = tmp_path / "t.duckdb"
    connect(path).close()

    def half_done(con):
        con.execute("INSERT INTO app_state VALUES ('half', 'done')")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS,
                                                   migrations.Migration("9999 test", half_done)))
    with pytest.raises(RuntimeError, match="power cut"):
        connect(path)
    monkeypatch.setattr(migrations, "MIGRATIONS", (
        *migrations.MIGRATIONS[:-1], migrations.Migration("9999 test", lambda con: None)))
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT count(*) FROM app_state WHERE key = 'half'").fetchall() == [(0,)]
    with connect(path) as con:
        assert [m.name for m in migrations.pending(con)] == []
        assert con.execute("SELECT count(*) FROM schema_migrations WHERE name = '9999 test'"
                           ).fetchall() == [(1,)]


def test_migration_names_are_unique_and_in_order():
    """Migrations are applied by name, in the order they were written."""
    names = [m.name for m in migrations.MIGRATIONS]
    assert len(set(names)) == len(names) and names == sorted(names)

"""Opening the database: a file another process holds is waited for (bounded) and then
refused with one clear line; the demo tracker loads on a database's first start only;
transactions nest."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.edits.demo import demo_import_id, first_run_demo
from pipelines.edits.imports import remove_import
from pipelines.store.db import DatabaseBusy, connect, scalar, transaction

ROOT = Path(__file__).resolve().parents[1]
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen:
    """Another process that opens ``path`` and keeps it open for ``seconds``."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_file_held_by_another_process_is_waited_for(tmp_path):
    """connect(wait=…) opens the file once the other process lets go of it."""
    path = tmp_path / "db.duckdb"
    connect(path).close()
    holder = _hold(path, 1.0)
    try:
        start = time.monotonic()
        with connect(path, wait=20) as con:
            assert scalar(con, "SELECT count(*) FROM applications") == 0
        assert time.monotonic() - start >= 0.5  # it did wait for the holder
    finally:
        holder.wait(timeout=30)
        holder.stdout.close()


def test_a_file_that_stays_busy_is_refused_with_one_clear_line(tmp_path):
    """After the bounded wait: DatabaseBusy naming the file, the holder's process and what
    to do; without a wait, DuckDB's own error at once."""
    path = tmp_path / "db.duckdb"
    connect(path).close()
    holder = _hold(path, 30)
    try:
        start = time.monotonic()
        with pytest.raises(DatabaseBusy) as caught:
            connect(path, wait=0.6)
        assert 0.4 <= time.monotonic() - start < 5
        message = str(caught.value)
        assert str(path) in message and f"process {holder.pid}" in message
        assert "try again" in message and "\n" not in message
        with pytest.raises(duckdb.IOException):
            connect(path)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_other_errors_are_not_retried(tmp_path):
    """A file that is not a database fails at once, however long the wait."""
    path = tmp_path / "not.duckdb"
    path.write_bytes(b"this is not a database file" * 100)
    start = time.monotonic()
    with pytest.raises(duckdb.Error):
        connect(path, wait=30)
    assert time.monotonic() - start < 5


def test_the_demo_loads_on_the_first_start_only(tmp_path):
    """A new database gets the demo tracker once; cleared, it does not come back; a
    database that already holds applications never gets it."""
    with connect(tmp_path / "new.duckdb") as con:
        assert first_run_demo(con) is True
        assert scalar(con, "SELECT count(*) FROM applications") == 150
        assert first_run_demo(con) is False
        remove_import(con, demo_import_id(con))
        assert demo_import_id(con) is None
        assert first_run_demo(con) is False
        assert scalar(con, "SELECT count(*) FROM applications") == 0
    with connect(tmp_path / "own.duckdb") as con:
        (tmp_path / "t.csv").write_text("Company,Job Title,Status\nAcme,Analyst,Applied\n")
        from pipelines.ingest.importer import ingest_file

        ingest_file(con, tmp_path / "t.csv")
        assert first_run_demo(con) is False
        assert scalar(con, "SELECT count(*) FROM applications") == 1


def test_a_transaction_inside_another_commits_or_rolls_back_with_it(con):
    """Work done in a nested transaction() is undone when the outer one fails and kept when
    it commits; the inner block's end commits nothing by itself."""
    con.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError), transaction(con):
        with transaction(con):
            con.execute("INSERT INTO t VALUES (1)")
        assert scalar(con, "SELECT count(*) FROM t") == 1
        raise RuntimeError("the outer one fails")
    assert scalar(con, "SELECT count(*) FROM t") == 0
    with transaction(con):
        with transaction(con):
            con.execute("INSERT INTO t VALUES (2)")
        con.execute("INSERT INTO t VALUES (3)")
    assert con.execute("SELECT x FROM t ORDER BY x").fetchall() == [(2,), (3,)]

"""Concurrent use: the command line imports and reports while the dashboard is open (the
dashboard lets go of the file when idle; the command waits a bounded time and says so),
the dashboard shows another program's import on its next run, and two sessions importing
at once both land."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli, state
from pipelines.store.db import connect, scalar
from tests.test_app import _app

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
HOLD = ("import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
        " time.sleep(float(sys.argv[2]))")


def _tracker(folder: Path, name: str, companies: list[str]) -> Path:
    path = folder / name
    path.write_text("Company,Job Title,Date Applied,Status\n" + "".join(
        f"{c},Analyst,2025-03-{i + 1:02d},Rejected\n" for i, c in enumerate(companies)),
        encoding="utf-8")
    return path


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    """An empty database past its first start (no demo), the app pointed at it."""
    path = tmp_path / "app.duckdb"
    with connect(path) as con:
        con.execute("INSERT INTO app_state VALUES ('started', 'earlier')")
    monkeypatch.setenv("SILVERLINING_DB", str(path))
    return path


def _idle() -> None:
    """Wait until the app has let go of every database it opened."""
    deadline = time.monotonic() + 4 * state.DATABASES.IDLE
    while state.DATABASES._open and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not state.DATABASES._open, "the app still holds a database"


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_cli_imports_while_the_dashboard_is_open_and_the_page_shows_it(database, tmp_path):
    """With the dashboard open (a session has run), `silverlining ingest` lands and the
    dashboard's next run shows the new applications, with nothing of its cache left."""
    at = _app("views/applications.py")
    assert not at.exception
    assert not at.dataframe or at.dataframe[0].value.empty
    tracker = _tracker(tmp_path, "later.csv", ["Acme", "Globex", "Initech"])
    done = _cli("ingest", "--db", str(database), str(tracker))
    assert done.returncode == 0, done.stderr
    at.run()
    assert not at.exception
    shown = [str(c.value) for c in at.caption] + [str(m.value) for m in at.markdown]
    assert any("3" in text and "application" in text for text in shown), shown
    table = at.dataframe[0].value
    assert sorted(table["company"]) == ["Acme", "Globex", "Initech"]


def test_cli_waits_while_the_dashboard_is_busy_then_lands(database, tmp_path):
    """A page run in progress holds the file: the import says it is waiting, then lands
    once the dashboard has gone idle."""
    tracker = _tracker(tmp_path, "t.csv", ["Acme", "Globex"])
    with state.DATABASES.lease(str(database)):  # as a page run does
        command = subprocess.Popen(
            [sys.executable, "-m", "dashboard.cli", "ingest", "--db", str(database),
             str(tracker)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        time.sleep(3)
        assert command.poll() is None, "the import did not wait for the dashboard"
    out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    assert "in use by another program; waiting up to" in err
    _idle()
    with connect(database, read_only=True) as con:
        assert scalar(con, "SELECT count(*) FROM applications") == 2


def test_cli_tells_the_user_when_the_database_stays_busy(database, tmp_path, monkeypatch,
                                                         capsys):
    """Held by another program beyond the wait: one line naming the file and the process,
    exit 3, nothing written; the report command the same."""
    monkeypatch.setattr(cli, "BUSY_WAIT", 0.5)
    tracker = _tracker(tmp_path, "t.csv", ["Acme"])
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(database), "60"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        for args in (["ingest", "--db", str(database), str(tracker)],
                     ["report", "--db", str(database), "--out", str(tmp_path / "r.html")]):
            assert cli.main(args) == cli.EXIT_DB
            lines = [line for line in capsys.readouterr().err.splitlines()
                     if "waiting up to" not in line]
            assert len(lines) == 1, lines
            assert str(database) in lines[0] and f"process {holder.pid}" in lines[0]
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert not (tmp_path / "r.html").exists()
    with connect(database, read_only=True) as con:
        assert scalar(con, "SELECT count(*) FROM applications") == 0


def test_report_command_works_while_the_dashboard_is_open(database, tmp_path):
    """`silverlining report` no longer refuses while the dashboard runs: it waits for the
    dashboard to go idle and writes the report."""
    _tracker(tmp_path, "t.csv", ["Acme", "Globex"])
    assert _cli("ingest", "--db", str(database), str(tmp_path / "t.csv")).returncode == 0
    _app()
    done = _cli("report", "--db", str(database), "--out", str(tmp_path / "r.html"))
    assert done.returncode == 0, done.stderr
    assert "Acme" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_app_says_so_when_another_program_keeps_the_database(database, monkeypatch):
    """An import in another program longer than the app's wait: a message on the page, no
    traceback."""
    monkeypatch.setattr(state, "OPEN_WAIT", 0.5)
    _idle()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(database), "60"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        at = AppTest.from_file(APP, default_timeout=30)
        at.run()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert not at.exception
    assert any("busy" in e.value and "try again" in e.value for e in at.error)


def test_two_sessions_importing_at_once_both_land(database):
    """Two sessions click Import at the same moment: both trackers are stored."""
    sessions = [_app("views/import_data.py") for _ in range(2)]
    assert not any(at.exception for at in sessions)
    files = [("first.csv", ["Acme", "Globex", "Initech"]),
             ("second.csv", ["Umbrella", "Hooli"])]
    for at, (name, companies) in zip(sessions, files, strict=True):
        body = "Company,Job Title,Date Applied,Status\n" + "".join(
            f"{c},Analyst,2025-04-0{i + 1},Applied\n" for i, c in enumerate(companies))
        at.get("file_uploader")[0].set_value((name, body.encode(), "text/csv")).run()
        assert not at.exception
    buttons = [next(b for b in at.button if b.label == f"Import {name}")
               for at, (name, _) in zip(sessions, files, strict=True)]
    errors: list[BaseException] = []

    def click(button) -> None:
        try:
            button.click().run()
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=click, args=(b,)) for b in buttons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    for at in sessions:
        assert not at.exception
    _idle()
    with connect(database, read_only=True) as con:
        stored = sorted(r[0] for r in con.execute("SELECT company FROM applications"
                                                  ).fetchall())
    assert stored == ["Acme", "Globex", "Hooli", "Initech", "Umbrella"]

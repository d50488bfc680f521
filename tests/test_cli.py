"""Tests for the ``silverlining`` command: reports on stdout, one line per refused file on
stderr, exit codes, and the options --map, --sheet, --layout and $SILVERLINING_DB."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import main
from pipelines.store.db import ENV_VAR, connect
from tests.conftest import write_text, write_xlsx

REPO = Path(__file__).resolve().parents[1]
TRACKER = ("Company,Job Title,Date Applied,Status\n"
           "Acme,Analyst,2025-01-06,Rejected\n"
           "Globex,Engineer,2025-01-10,Interview\n"
           "Initech,Analyst,2025-02-01,Applied\n")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """main(argv) in-process: the exit code, stdout and stderr."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def stored(db: Path, sql: str = "SELECT count(*) FROM applications") -> list[tuple]:
    """The rows ``sql`` returns from the database at ``db`` (opened after the command)."""
    con = connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_one_error_line(err: str, name: str) -> None:
    """stderr is exactly one 'silverlining: ' line naming the file, with no traceback."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"silverlining: {name}"), err
    assert "Traceback" not in err


def test_ingest_prints_the_report(capsys, tmp_path, db_path):
    """`ingest FILE --db PATH` prints rows read, applications and each skip reason; exit 0."""
    text = TRACKER + "Hooli,PM,,\nTotal,4,,\n"
    code, out, err = run(capsys, "ingest", write_text(tmp_path, "t.csv", text), "--db", db_path)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "t.csv"
    assert "  rows read: 5" in lines
    assert "  applications: 3 (3 new, 0 updated)" in lines
    assert "  rows skipped: 2" in lines
    assert "    - total rows: 1" in lines
    assert "    - no sign it was applied for (no date applied or status): 1" in lines
    assert stored(db_path) == [(3,)]


@pytest.mark.parametrize(("name", "data", "extra"), [
    ("empty.csv", b"", []),
    ("header.csv", b"Company,Job Title,Status\n", []),
    ("t.csv", TRACKER.encode(), ["--map", "Role=job_title"]),
    ("t.csv", TRACKER.encode(), ["--sheet", "Applications"]),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) +
     "EncryptionInfo".encode("utf-16-le") + bytes(512), []),
], ids=["empty", "header only", "map missing column", "sheet on a csv", "encrypted"])
def test_bad_file_exits_2_with_one_line(capsys, tmp_path, db_path, name, data, extra):
    """A refused file exits 2: one 'silverlining: <file>: …' stderr line, no stdout."""
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run(capsys, "ingest", path, "--db", db_path, *extra)
    assert (code, out) == (2, "")
    assert_one_error_line(err, name)


@pytest.mark.parametrize("name", ["nope.csv", "a folder.csv"])
def test_missing_file_or_folder_exits_2_with_one_line(capsys, tmp_path, db_path, name):
    """A missing path or a folder exits 2 with one line, not an OSError traceback."""
    if name == "a folder.csv":
        (tmp_path / name).mkdir()
    code, out, err = run(capsys, "ingest", tmp_path / name, "--db", db_path)
    assert (code, out) == (2, "")
    assert_one_error_line(err, name)


def test_malformed_map_exits_2_with_one_line(capsys, tmp_path, db_path):
    """A --map without '=' is refused in one line before anything is read."""
    path = write_text(tmp_path, "t.csv", TRACKER)
    code, out, err = run(capsys, "ingest", path, "--db", db_path, "--map", "Company")
    assert (code, out) == (2, "")
    assert err.splitlines() == ["silverlining: --map 'Company' is not of the form "
                                "'Column name=field'."]


@pytest.mark.parametrize("bad_kind", ["empty", "missing"])
def test_good_files_load_when_one_is_bad(capsys, tmp_path, db_path, bad_kind):
    """Good files around a bad one (empty or missing) still load; the exit code is 2."""
    first = write_text(tmp_path, "a.csv", TRACKER)
    bad = tmp_path / "bad.csv"
    if bad_kind == "empty":
        bad.write_bytes(b"")
    last = write_text(tmp_path, "c.csv", "Company,Job Title,Date Applied,Status\n"
                                         "Hooli,PM,2025-03-03,Applied\n")
    code, out, err = run(capsys, "ingest", first, bad, last, "--db", db_path)
    assert code == 2
    assert_one_error_line(err, "bad.csv")
    assert out.splitlines()[0] == "a.csv" and "\nc.csv\n" in out
    assert stored(db_path) == [(4,)]


def test_map_is_used_and_remembered(capsys, tmp_path, db_path):
    """`--map 'Gig=job_title'` maps the column and is reused for the next same-header file."""
    header = "Company,Gig,Date Applied,Status\n"
    first = write_text(tmp_path, "a.csv", header + "Acme,Analyst,2025-01-06,Rejected\n")
    second = write_text(tmp_path, "b.csv", header + "Globex,Engineer,2025-01-10,Applied\n")
    code, out, _ = run(capsys, "ingest", first, "--db", db_path, "--map", "Gig=job_title")
    assert code == 0 and "Gig → job_title" in out
    code, out, _ = run(capsys, "ingest", second, "--db", db_path)
    assert code == 0 and "Gig → job_title" in out
    assert stored(db_path, "SELECT company, job_title FROM applications ORDER BY 1") == [
        ("Acme", "Analyst"), ("Globex", "Engineer")]


def test_map_of_a_known_column_name(capsys, tmp_path, db_path):
    """The README's example `--map "Role name=job_title"` is accepted and maps the column."""
    path = write_text(tmp_path, "t.csv", "Company,Role name,Date Applied,Status\n"
                                         "Acme,Analyst,2025-01-06,Rejected\n")
    code, out, _ = run(capsys, "ingest", path, "--db", db_path, "--map", "Role name=job_title")
    assert code == 0 and "Role name → job_title" in out
    assert stored(db_path, "SELECT job_title FROM applications") == [("Analyst",)]


def test_sheet_option_reads_that_sheet(capsys, tmp_path, db_path):
    """`--sheet 2024` imports that sheet and the report names it."""
    header = ["Company", "Job Title", "Date Applied", "Status"]
    path = write_xlsx(tmp_path, "t.xlsx", {
        "2025": [header, ["Acme", "Analyst", dt.date(2025, 1, 6), "Rejected"],
                 ["Globex", "Engineer", dt.date(2025, 1, 10), "Applied"]],
        "2024": [header, ["Umbrella", "Scientist", dt.date(2024, 5, 2), "Offer"]]})
    code, out, err = run(capsys, "ingest", path, "--db", db_path, "--sheet", "2024")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "t.xlsx · sheet '2024'"
    assert stored(db_path, "SELECT company, applied_on, outcome FROM applications") == [
        ("Umbrella", dt.date(2024, 5, 2), "offer")]


def test_missing_sheet_lists_the_sheets(capsys, tmp_path, db_path):
    """`--sheet` naming no sheet exits 2 with one line listing the sheets."""
    path = write_xlsx(tmp_path, "t.xlsx", {"2025": [["Company", "Status"], ["Acme", "Applied"]]})
    code, _, err = run(capsys, "ingest", path, "--db", db_path, "--sheet", "2024")
    assert code == 2
    assert_one_error_line(err, "t.xlsx")
    assert "'2024'" in err and "'2025'" in err


def test_layout_option_overrides_detection(capsys, tmp_path, db_path):
    """`--layout linkedin` reads a status-less file as LinkedIn's export (channel LinkedIn)."""
    path = write_text(tmp_path, "t.csv", "Company,Job Title,Date Applied\n"
                                         "Acme,Analyst,2025-01-06\n")
    code, out, _ = run(capsys, "ingest", path, "--db", db_path, "--layout", "linkedin")
    assert code == 0
    assert "layout: LinkedIn 'Job Applications' export" in out
    assert stored(db_path, "SELECT company, source_channel, outcome FROM applications") == [
        ("Acme", "LinkedIn", "active")]
    assert stored(db_path, "SELECT layout FROM imports") == [("linkedin",)]


def test_reimport_adds_nothing(capsys, tmp_path, db_path):
    """Importing the same file again prints 'already imported', exits 0 and adds nothing."""
    path = write_text(tmp_path, "t.csv", TRACKER)
    assert run(capsys, "ingest", path, "--db", db_path)[0] == 0
    everything = "SELECT * FROM applications ORDER BY application_id"
    before = stored(db_path, everything)
    code, out, err = run(capsys, "ingest", path, "--db", db_path)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["t.csv: already imported with the same columns (import #1); "
                                "nothing changed."]
    assert stored(db_path, "SELECT count(*) FROM imports") == [(1,)]
    assert stored(db_path, everything) == before and len(before) == 3


def test_environment_variable_chooses_the_database(capsys, tmp_path, monkeypatch):
    """Without --db, $SILVERLINING_DB names the database file (created with its folder)."""
    target = tmp_path / "elsewhere" / "mine.duckdb"
    monkeypatch.setenv(ENV_VAR, str(target))
    code, _, _ = run(capsys, "ingest", write_text(tmp_path, "t.csv", TRACKER))
    assert code == 0
    assert stored(target) == [(3,)]


def _command() -> list[str]:
    """The installed console script if there is one beside this Python, else `-m`."""
    script = shutil.which("silverlining", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "dashboard.cli"]


@pytest.mark.parametrize("name", ["empty.csv", "nope.csv"])
def test_console_script_shows_no_traceback(tmp_path, name):
    """Run as a program, a refused file (empty or missing) gives exit 2 and one stderr line."""
    if name == "empty.csv":
        (tmp_path / name).write_bytes(b"")
    result = subprocess.run(
        [*_command(), "ingest", str(tmp_path / name), "--db", str(tmp_path / "t.duckdb")],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"silverlining: {name}: ")


def test_run_serves_on_localhost_without_telemetry_or_developer_controls():
    """`silverlining run` starts Streamlit on 127.0.0.1, usage statistics off, headless (no
    first-run e-mail prompt), without the deploy button and developer menu, and refusing
    uploads larger than an import takes."""
    from dashboard.cli import streamlit_command
    from pipelines.ingest.read.files import MAX_FILE_MB

    command = streamlit_command(8765)
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("serve.py")
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.port"] == "8765"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--client.toolbarMode"] == "minimal"
    assert options["--server.headless"] == "true"
    assert options["--server.maxUploadSize"] == str(MAX_FILE_MB)  # what an import takes


def test_stopping_run_with_sigterm_stops_the_dashboard_too(tmp_path):
    """'kill' on `silverlining run` (SIGTERM, as a service manager or a test sends) stops the
    Streamlit server it started, so no server is left holding the database."""
    import os
    import signal
    import time
    import urllib.request

    from tests.app_server import free_port

    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path)}
    run = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "run", "--db",
                            str(tmp_path / "db.duckdb"), "--port", str(port), "--headless"],
                           cwd=Path(__file__).resolve().parents[1], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return True
        except OSError:
            return False

    try:
        deadline = time.monotonic() + 60
        while not answers():
            assert time.monotonic() < deadline and run.poll() is None, "the app did not start"
            time.sleep(0.5)
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=20)
        deadline = time.monotonic() + 15
        while answers() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not answers(), "the Streamlit server outlived `silverlining run`"
    finally:
        if run.poll() is None:
            run.kill()


def test_what_silverlining_creates_is_private(tmp_path):
    """A database and its new folder made by `silverlining ingest`, and a report, are
    readable by their owner only (mode 0600, folder 0700), whatever the shell's umask."""
    tracker = write_text(tmp_path, "t.csv", "Company,Job Title,Status\nAcme,Analyst,Applied\n")
    db = tmp_path / "new folder" / "mine.duckdb"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(["sh", "-c", 'umask 022 && exec "$0" -m dashboard.cli "$@"', sys.executable,
                    "ingest", "--db", str(db), str(tracker)], check=True, env=env,
                   capture_output=True, cwd=REPO)
    subprocess.run(["sh", "-c", 'umask 022 && exec "$0" -m dashboard.cli "$@"', sys.executable,
                    "report", "--db", str(db), "--out", str(tmp_path / "r.html")], check=True,
                   env=env, capture_output=True, cwd=REPO)
    assert db.parent.stat().st_mode & 0o777 == 0o700
    assert db.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "r.html").stat().st_mode & 0o777 == 0o600

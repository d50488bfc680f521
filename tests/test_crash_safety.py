"""Crash safety: an import killed with SIGKILL at any point leaves a database that opens
cleanly with exactly what it held before or, once the import has committed, exactly the whole
import; never a part of it.

Slow-ish (about 45 s, marked ``slow`` but part of the normal suite): each kill point runs
``python -m dashboard.cli ingest`` in a process of its own, through tests/ingest_phases.py,
which prints each phase of the import as it begins and can stop at one. Kills are placed by
those phases, not by the clock alone: where a phase begins (the process stopped there), a
fraction of the way into a phase (as long as that phase took in a complete run), or as soon as
the database file grows during COMMIT.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from benchmarks.trackers import make_csv, tracker_sql
from pipelines.edits.coaching import add_action, add_session, save_preparations
from pipelines.edits.codebook import add_phrase, add_theme
from pipelines.edits.corrections import place_status, save_annotation, save_profile, save_scope
from pipelines.ingest.importer import ingest_file
from pipelines.store.checks import failing_checks
from pipelines.store.db import connect
from tests.conftest import snapshot

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ROWS = 100_000  # the large tracker: about 4 s for the whole command on the project's machine
SMALL = 200  # the first rows of the same tracker, all still 'Applied': imports update them
UPDATE = 1_000  # the next rows: a tracker small enough that its commit stays in the WAL
WAIT = 120  # seconds to wait for a phase before giving up

# (kill point, tracker, the phase it waits for, and then: "pause" = the process stops as the
# phase begins and is killed there; a number = killed that fraction of the phase's duration
# in a complete run after it begins; "growth" = killed once the database file grows)
KILLS = [
    ("reading the file", "large", "reading", 0.5),
    ("inserting the applications", "large", "applications", 0.5),
    ("applications written, themes not yet", "large", "themes", "pause"),
    ("refreshing the scope", "large", "scope", 0.5),
    ("just before COMMIT", "large", "commit", "pause"),
    ("during COMMIT, the database file growing", "large", "commit", "growth"),
    ("after COMMIT, before the connection closes", "large", "committed", "pause"),
    ("after COMMIT of a small tracker, held in the WAL", "small", "committed", "pause"),
]


def _user_data(con) -> None:
    """One of each thing a user types in the app, on applications of the first import."""
    ids = [r[0] for r in con.execute(
        "SELECT application_id FROM applications ORDER BY application_id LIMIT 3").fetchall()]
    save_annotation(con, ids[0], stage="interview", outcome="rejected",
                    feedback="They wanted more leadership of large teams",
                    notes="Ask Sam for a referral next time")
    save_scope(con, ids[1], org_size=250, org_reach="national")
    save_preparations(con, [(ids[2], {"researched": True, "prep_hours": 3.0})])
    save_profile(con, current_title="Senior Data Analyst", org_size=500)
    place_status(con, "Awaiting recruiter action", "screen", "active")
    add_theme(con, "prioritisation", "Prioritisation", True, phrases=("weak on prioritisation",))
    add_phrase(con, "communication", "answers rambled")
    add_session(con, dt.date(2025, 3, 1), "Final rounds lost on numbers",
                [("leadership", "Write three stories with team sizes", dt.date(2025, 3, 15))])
    add_action(con, "prioritisation", "Practise one case study a week")


def _tracker(path: Path, first: int, rows: int, status: str | None = None) -> None:
    """Rows ``first`` to ``first + rows`` of the benchmark tracker, optionally all with one
    status."""
    replace = f"""REPLACE ('{status}' AS "Status")""" if status else ""
    with duckdb.connect() as con:
        con.execute(f"""COPY (SELECT * EXCLUDE (_applied, _us) {replace}
                        FROM ({tracker_sql(first + rows)}) OFFSET {first})
                        TO '{path}' (HEADER, DELIMITER ',')""")


class Run:
    """``silverlining ingest`` in a process of its own, its phases read as they begin."""

    def __init__(self, db: Path, tracker: Path, pause: str | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if k != "CRASH_TEST_PAUSE"}
        env.update(PYTHONPATH=str(ROOT), **({"CRASH_TEST_PAUSE": pause} if pause else {}))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.ingest_phases", "ingest", "--db", str(db),
             str(tracker)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.phases: list[tuple[str, float]] = []  # (phase, seconds since start), in order
        self.other: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def next_line(self, timeout: float) -> str | None:
        """The next line printed (a phase is recorded); None at the end or on timeout."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is not None and line.startswith("@phase "):
            _, phase, seconds = line.split()
            self.phases.append((phase, float(seconds)))
        elif line is not None and not line.startswith("@paused "):
            self.other.append(line)
        return line

    def wait_for(self, phase: str, paused: bool) -> None:
        wanted = f"@paused {phase}" if paused else f"@phase {phase} "
        deadline = time.monotonic() + WAIT
        while (line := self.next_line(deadline - time.monotonic())) is not None:
            if line.startswith(wanted):
                return
        self.kill()
        pytest.fail(f"the import never reached {phase!r}; it said: " + "\n".join(self.other))

    def finish(self) -> None:
        """Wait for the end and read everything the process printed."""
        self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        while self.next_line(timeout=0.1) is not None:
            pass
        self.process.stderr.close()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.finish()


@dataclass
class Scene:
    folder: Path
    base: Path            # a database holding a first import and the user's own data
    before: dict          # its snapshot
    trackers: dict        # name → tracker file
    completed: dict = field(default_factory=dict)

    def complete(self, tracker: str) -> tuple[dict, dict[str, float]]:
        """The snapshot (times left out) of the base after a complete import of ``tracker``
        in another file, and how long each phase of that import took (worked out once)."""
        if tracker not in self.completed:
            self.completed[tracker] = self._complete(tracker)
        return self.completed[tracker]

    def _complete(self, tracker: str) -> tuple[dict, dict[str, float]]:
        reference = self.folder / f"complete-{tracker}.duckdb"
        shutil.copy(self.base, reference)
        run = Run(reference, self.trackers[tracker])
        run.finish()
        assert run.process.returncode == 0, run.other
        ends = [t for _, t in run.phases[1:]] + [run.phases[-1][1]]
        durations = {p: end - start for (p, start), end in zip(run.phases, ends, strict=True)}
        with connect(reference) as con:
            after = snapshot(con, times=False)
        assert after["applications"][0] > SMALL and after["imports"][0] == 2
        return after, durations


@pytest.fixture(scope="module")
def scene(tmp_path_factory) -> Scene:
    """A database with a first import (the tracker's first rows, all 'Applied') and the
    user's own data, and two trackers to import into it: the large one, which updates those
    first rows, and a small one."""
    folder = tmp_path_factory.mktemp("crash")
    first, large, small = folder / "first.csv", folder / "large.csv", folder / "small.csv"
    _tracker(first, 0, SMALL, status="Applied")
    make_csv(large, ROWS)
    _tracker(small, SMALL, UPDATE)
    base = folder / "base.duckdb"
    with connect(base) as con:
        assert ingest_file(con, first).applications_new == SMALL
        _user_data(con)
        before = snapshot(con)
    return Scene(folder, base, before, {"large": large, "small": small})


def _kill(scene: Scene, db: Path, tracker: str, phase: str, how) -> Run:
    """Run the import into ``db`` and kill it at the point described."""
    run = Run(db, scene.trackers[tracker], pause=phase if how == "pause" else None)
    run.wait_for(phase, paused=how == "pause")
    if how == "growth":
        size, deadline = db.stat().st_size, time.monotonic() + WAIT
        while db.stat().st_size <= size and run.phases[-1][0] != "committed" and \
                time.monotonic() < deadline:
            run.next_line(timeout=0.001)
    elif how != "pause":
        time.sleep(how * scene.complete(tracker)[1][phase])
    run.kill()
    assert run.process.returncode == -signal.SIGKILL
    return run


@pytest.mark.parametrize(("point", "tracker", "phase", "how"), KILLS, ids=[k[0] for k in KILLS])
def test_killed_import_leaves_the_database_before_or_after_it(scene, tmp_path, point, tracker,
                                                              phase, how):
    """Killed at this point, the database opens cleanly holding exactly what it held before
    (or, from COMMIT on, the complete import), passes the data checks, and imports the file."""
    after, _ = scene.complete(tracker)
    db = tmp_path / "killed.duckdb"
    shutil.copy(scene.base, db)
    run = _kill(scene, db, tracker, phase, how)
    seen = [p for p, _ in run.phases]
    wal = Path(f"{db}.wal")
    wal = f"a {wal.stat().st_size:,}-byte WAL" if wal.exists() else "no WAL"
    with connect(db) as con:
        assert failing_checks(con) == {}
        state, timeless = snapshot(con), snapshot(con, times=False)
        left = ("as before" if state == scene.before else
                "with the whole import" if timeless == after else "half-imported")
        print(f"\nkilled {point!r} in phase {seen[-1]!r}, {wal} left: opened {left}")
        if "committed" in seen:
            assert timeless == after, f"killed after COMMIT ({seen}): not the whole import"
        elif seen[-1] == "commit" and how != "pause":
            assert left != "half-imported", f"killed during COMMIT ({seen})"
        else:
            assert state == scene.before, f"killed before COMMIT ({seen}): the database changed"
        report = ingest_file(con, scene.trackers[tracker])
        assert report.already_imported == (timeless == after)
        assert snapshot(con, times=False) == after
    if how == "pause":
        assert seen[-1] == phase

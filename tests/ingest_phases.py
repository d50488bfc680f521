"""``python -m dashboard.cli`` telling its progress, for tests/test_crash_safety.py.

Run as ``python -m tests.ingest_phases ingest --db DB FILE``: it wraps a few library functions
so that each prints ``@phase <name> <seconds since start>`` on stderr when its phase begins,
then runs the CLI module as ``python -m dashboard.cli`` would (``runpy``). With
``CRASH_TEST_PAUSE=<name>`` it prints ``@paused <name>`` on reaching that phase and sleeps,
so a test can kill it at exactly that point. The product knows nothing of this: the wrappers
live here and only print.
"""

from __future__ import annotations

import functools
import importlib
import os
import runpy
import sys
import time

# (module, function as that module calls it, phase that begins with the call, phase that
# begins when it returns)
PHASES = (
    ("pipelines.ingest.importer", "read_file", "reading", None),
    ("pipelines.ingest.canonical", "canonicalise", "normalising", None),
    ("pipelines.ingest.importer", "write_import", "writing", "committed"),
    ("pipelines.ingest.load", "_insert_new", "applications", None),
    ("pipelines.derive.themes", "refresh_themes", "themes", None),
    ("pipelines.derive.scope", "refresh_scope", "scope", None),
    ("pipelines.ingest.load", "failing_checks", "checks", "commit"),  # COMMIT comes next
)
START = time.monotonic()


def announce(phase: str) -> None:
    print(f"@phase {phase} {time.monotonic() - START:.3f}", file=sys.stderr, flush=True)
    if os.environ.get("CRASH_TEST_PAUSE") == phase:
        print(f"@paused {phase}", file=sys.stderr, flush=True)
        time.sleep(600)


def wrap(module: str, name: str, begins: str, then: str | None) -> None:
    target = importlib.import_module(module)
    function = getattr(target, name)

    @functools.wraps(function)
    def told(*args, **kwargs):
        announce(begins)
        result = function(*args, **kwargs)
        if then:
            announce(then)
        return result

    setattr(target, name, told)


if __name__ == "__main__":
    for phase in PHASES:
        wrap(*phase)
    sys.argv[0] = "dashboard.cli"
    runpy.run_module("dashboard.cli", run_name="__main__", alter_sys=True)

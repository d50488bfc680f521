"""Serve the dashboard in the background for the browser test and the screenshot script:
a free port on 127.0.0.1, a fresh database and HOME in a folder, stopped on exit."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(folder: Path, seconds: float = 60, workspace: Path | None = None,
            address: str | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """The app's URL (always on 127.0.0.1) once it answers its health check: on a fresh
    database in ``folder``, or on a coach's ``workspace`` folder; listening on ``address``
    (``run --address``) when given, with ``env`` added to its environment. Raises
    RuntimeError, with the app's log, when it exits or does not answer within ``seconds``."""
    home = folder / "home"
    home.mkdir(exist_ok=True)
    db, port = folder / "app.duckdb", free_port()
    env = {**os.environ, "HOME": str(home), "SILVERLINING_DB": str(db), **(env or {})}
    log_path = folder / "app.log"
    source = ["--workspace", str(workspace)] if workspace else ["--db", str(db)]
    if address:
        source += ["--address", address]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard.cli", "run", *source, "--port", str(port),
             "--headless"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait(url, process, seconds, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait(url: str, process: subprocess.Popen, seconds: float, log: Path,
          interval: float = 0.3) -> None:
    """Return once the app at ``url`` answers its health check, polling every ``interval``
    seconds; raise RuntimeError with its log when it exits or stays silent ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(interval)
    raise RuntimeError(f"the app did not answer:\n{log.read_text()}")

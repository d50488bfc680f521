"""The only place database connections are opened.

The database file defaults to the user's data directory; the caller (the command line, the
dashboard) or the ``SILVERLINING_DB`` environment variable choose another.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb
from platformdirs import user_data_dir

from pipelines.store.migrations import migrate
from pipelines.store.view import create_view, view_sql

ENV_VAR = "SILVERLINING_DB"


def default_db_path() -> Path:
    """The database path: $SILVERLINING_DB, else silverlining.duckdb in the user data dir."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return Path(user_data_dir("silverlining", appauthor=False)) / "silverlining.duckdb"


class DatabaseBusy(duckdb.IOException):
    """Another program held the database file for longer than we waited."""


_LOCKED = re.compile(r"Could not set lock on file|Conflicting lock", re.IGNORECASE)
_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


def is_locked(error: BaseException) -> bool:
    """Whether ``error`` says another process holds the database file."""
    return isinstance(error, duckdb.Error) and bool(_LOCKED.search(str(error)))


def busy_message(path: str | os.PathLike, error: BaseException, waited: float) -> str:
    """One line for the user: which file is busy, who holds it, what to do."""
    holder = _HOLDER.search(str(error))
    who = f" (process {holder.group(2)}, {Path(holder.group(1)).name})" if holder else ""
    return (f"the database {path} stayed in use by another program{who} for "
            f"{waited:.0f} s: wait for its import to finish, or close it, and try again")


def connect(path: str | os.PathLike | None = None, *, read_only: bool = False,
            wait: float = 0.0,
            on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and make sure the schema is in place.

    DuckDB lets one process at a time open a file for writing, and a process that has it
    open blocks every other. With ``wait`` > 0 a file held by another process is tried again
    (every 0.05 s at first, then less often) for up to ``wait`` seconds before
    ``DatabaseBusy`` is raised with a message that says so; other errors are raised at once.
    ``on_wait`` is told once, in a line, when the waiting starts.
    """
    target = Path(path).expanduser() if path else default_db_path()
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    deadline, pause, told = time.monotonic() + wait, 0.05, False
    while True:
        try:
            con = duckdb.connect(str(target), read_only=read_only)
            break
        except duckdb.Error as error:
            if not is_locked(error):
                raise
            if time.monotonic() + pause > deadline:
                if wait <= 0:
                    raise
                raise DatabaseBusy(busy_message(target, error, wait)) from error
            if on_wait is not None and not told:
                told = True
                on_wait(f"the database {target} is in use by another program; waiting up to "
                        f"{wait:.0f} s for it")
            time.sleep(pause)
            pause = min(pause * 1.5, 0.5)
    if not read_only:
        apply_schema(con)
    return con


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Apply schema.sql (safe to run on a database that already has it), then the recorded
    migrations the database has not had (``pipelines.store.migrations``), then write the
    view if its definition changed. A database that is up to date is not written to, and
    nothing is re-tagged or re-derived here."""
    con.execute(resources.files("pipelines.store").joinpath("schema.sql").read_text("utf-8"))
    migrate(con)
    # The view is written only when its definition changed: opening a database to read it
    # must not write to the file (an unchanged file keeps the app's caches valid, and a
    # reader leaves nothing for the next open to check).
    stamp = hashlib.sha256(view_sql().encode()).hexdigest()[:16]
    if scalar(con, "SELECT value FROM app_state WHERE key = 'view'") != stamp:
        create_view(con)
        con.execute("INSERT OR REPLACE INTO app_state VALUES ('view', ?)", [stamp])


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The first value of the first row, or None. Reads the whole result: DuckDB 2 keeps a
    partly read result open and refuses other work on the connection until it is done."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The first row as a tuple, or None; reads the whole result (see ``scalar``)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


_IN_TRANSACTION: set[int] = set()  # id() of each connection inside transaction()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN … COMMIT, or ROLLBACK on any error (and re-raise it). Inside another
    ``transaction`` on the same connection it joins that one and commits or rolls back with
    it: a change and what is derived from it (themes, levels) land together or not at all."""
    if id(con) in _IN_TRANSACTION:
        yield
        return
    con.execute("BEGIN TRANSACTION")
    _IN_TRANSACTION.add(id(con))
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")
    finally:
        _IN_TRANSACTION.discard(id(con))

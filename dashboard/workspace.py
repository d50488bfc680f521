"""A coach's workspace: one folder, one DuckDB file per client. No streamlit here.

* Every ``*.duckdb`` file directly in the folder is a client; the client's name comes from
  the file name (``dana-smith.duckdb`` → "Dana Smith").
* ``create_client`` turns a typed name into a safe file name (no separator, no dot) and
  refuses names that look like a path, leave nothing usable, or whose file already exists.
* ``cohort`` sets one client beside the others: for the *other* clients only, the median
  share of applications reaching each stage and the median share of rejections naming
  each theme. It returns figures per stage and per theme, never an application, a company
  or any other row of another client.

The cohort threshold: it needs five clients in all, the current one included, that is the
current client and at least ``MIN_CLIENTS - 1`` = 4 others whose database could be read and
holds at least one application. Below that it returns None, so a median never stands for
one or two people. Theme medians need as many others with at least one rejection; with
fewer, the theme frame is empty. A client whose file cannot be read (locked by another
program, not a Silver Lining database) is left out as if absent; an empty client (no
application yet) does not count either.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.filters import Filters
from dashboard.queries import funnel
from pipelines.domain import STAGES

ENV_VAR = "SILVERLINING_WORKSPACE"
SUFFIX = ".duckdb"
MIN_CLIENTS = 5          # clients in all, the current one included, before a cohort shows
MAX_NAME = 60            # characters of a client's file name (without the suffix)
REACH_STAGES = STAGES[1:]  # screen, interview, final, offer
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}  # names Windows will not give a file


@dataclass(frozen=True)
class Client:
    """One client of a workspace: ``key`` is the file name, ``name`` what the app shows."""

    key: str
    name: str
    path: Path


@dataclass(frozen=True)
class Cohort:
    """Medians over the other clients of a workspace (aggregates only).

    ``others``: other clients whose applications went into the stage medians.
    ``stages``: stage code (screen, interview, final, offer) → median share of applications
    reaching at least that stage. ``theme_clients``: other clients with at least one
    rejection, those behind the theme medians. ``themes``: one row per theme of the default
    codebook: theme, label, controllable, median_share (median over ``theme_clients`` of the
    share of their rejections whose feedback names the theme); empty when
    ``theme_clients`` is below ``MIN_CLIENTS - 1``."""

    others: int
    stages: dict[str, float]
    theme_clients: int
    themes: pd.DataFrame = field(compare=False)


def client_name(path: Path | str) -> str:
    """The name shown for a client's file: dashes and underscores become spaces and each
    word written in lower case starts with a capital (``dana-smith.duckdb`` → "Dana
    Smith"; ``McNeil.duckdb`` stays "McNeil")."""
    words = Path(path).name.removesuffix(SUFFIX).replace("_", " ").replace("-", " ").split()
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words) or "Unnamed"


def list_clients(folder: Path | str) -> list[Client]:
    """The clients of a workspace folder, by name: every ``*.duckdb`` file directly in it
    (hidden files left out). A missing folder holds none."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        return []
    found = [Client(p.name, client_name(p), p) for p in root.iterdir()
             if p.name.endswith(SUFFIX) and not p.name.startswith(".") and p.is_file()]
    return sorted(found, key=lambda c: (c.name.casefold(), c.key))


def client_file_name(name: str) -> str:
    """A safe file name for a typed client name: letters and digits kept (any script), the
    rest (spaces, a single dot as in "St. James", apostrophes) turned into single dashes,
    lower case (``"Dana Smith"`` → ``dana-smith.duckdb``): no separator and no dot but the
    suffix's. Raises ValueError, with a sentence for the user, for a name that looks like a
    path (a slash, backslash or colon, two dots in a row, a leading dot), holds a control
    character, or leaves nothing usable."""
    typed = unicodedata.normalize("NFC", name or "").strip()
    if not typed:
        raise ValueError("Type the client's name.")
    if (any(c in typed for c in "/\\:") or typed.startswith(".") or ".." in typed
            or any(unicodedata.category(c)[0] == "C" for c in typed)):
        raise ValueError("A client's name cannot hold a slash, a backslash, a colon, two dots "
                         "in a row or a control character, nor start with a dot.")
    slug = re.sub(r"[^\w]+|_+", "-", typed.casefold()).strip("-")
    if not slug:
        raise ValueError("A client's name needs at least one letter or digit.")
    if len(slug) > MAX_NAME:
        raise ValueError(f"A client's name can have at most {MAX_NAME} characters.")
    if slug in _RESERVED:
        raise ValueError(f"'{typed}' cannot be used as a file name; add a surname or initial.")
    return slug + SUFFIX


def create_client(folder: Path | str, name: str) -> Client:
    """Create a client's database (with the schema) in the workspace folder, creating the
    folder if needed. Raises ValueError for a name ``client_file_name`` refuses or when a
    client with that file name (in any letter case) already exists; nothing is overwritten."""
    from pipelines.store.db import connect

    root = Path(folder).expanduser()
    file_name = client_file_name(name)
    if any(c.key.casefold() == file_name.casefold() for c in list_clients(root)):
        raise ValueError(f"A client named '{client_name(file_name)}' already exists.")
    root.mkdir(parents=True, exist_ok=True)
    path = root / file_name
    if path.exists():  # e.g. a hidden or non-file entry of that name
        raise ValueError(f"'{file_name}' already exists in the workspace folder.")
    connect(path).close()
    return Client(file_name, client_name(file_name), path)


# ── cohort ──────────────────────────────────────────────────────────────────────────────

def _figures(con) -> tuple[int, dict[str, float], int, dict[str, int]]:
    """One client's aggregates: applications, stage → share reaching it, rejections,
    theme → rejections naming it. Only counts leave this function."""
    shares = funnel(con, Filters())
    applications = int(shares["reached"].iloc[0]) if not shares.empty else 0
    reach = {row.stage: float(row.share_of_applied) for row in shares.itertuples()
             if row.stage in REACH_STAGES}
    rows = con.execute("""
        WITH r AS (SELECT theme_codes FROM applications_view WHERE outcome = 'rejected')
        SELECT NULL AS theme, count(*) FROM r
        UNION ALL
        SELECT theme, count(*) FROM (SELECT unnest(string_split(theme_codes, ',')) AS theme
                                     FROM r WHERE theme_codes IS NOT NULL) GROUP BY theme
        """).fetchall()
    rejections = next(int(n) for theme, n in rows if theme is None)
    named = {theme: int(n) for theme, n in rows if theme is not None}
    return applications, reach, rejections, named


def _read(path: Path):
    """``_figures`` of the database at ``path``, opened read-only and closed after; None
    when it cannot be read. A file this process already holds open for writing (the app's
    own connection to a client visited before) cannot be opened read-only beside it: it is
    then read through a connection to that same database inside a transaction that is
    rolled back, so nothing is written either way."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.ConnectionException as exc:
        if "different configuration" not in str(exc):
            return None
        con = duckdb.connect(str(path))
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                return _figures(con)
            finally:
                con.execute("ROLLBACK")
        except duckdb.Error:
            return None
        finally:
            con.close()
    except duckdb.Error:
        return None
    try:
        return _figures(con)
    except duckdb.Error:
        return None
    finally:
        con.close()


def cohort(folder: Path | str, current_path: Path | str) -> Cohort | None:
    """Medians over the other clients of ``folder`` (every client but the one at
    ``current_path``), read one at a time; None below the threshold (see the module's
    docstring). Only aggregates come back: medians of shares and counts of clients."""
    current = Path(current_path).expanduser().resolve()
    others = [c for c in list_clients(folder) if c.path.resolve() != current]
    if len(others) < MIN_CLIENTS - 1:
        return None
    reach: list[dict[str, float]] = []
    themes: list[dict[str, float]] = []
    for client in others:
        figures = _read(client.path)
        if figures is None or not figures[0]:
            continue
        _, shares, rejections, named = figures
        reach.append(shares)
        if rejections:
            themes.append({theme: n / rejections for theme, n in named.items()})
    if len(reach) < MIN_CLIENTS - 1:
        return None
    stages = {stage: statistics.median(r.get(stage, 0.0) for r in reach)
              for stage in REACH_STAGES}
    return Cohort(len(reach), stages, len(themes), _theme_medians(themes))


def _theme_medians(shares: list[dict[str, float]]) -> pd.DataFrame:
    """Median share per theme of the default codebook (a client whose rejections never name
    a theme counts 0 for it). Themes a client added to their own codebook are left out: their
    names could say something about that client."""
    from pipelines.derive.themes import default_themes

    columns = ["theme", "label", "controllable", "median_share"]
    if len(shares) < MIN_CLIENTS - 1:
        return pd.DataFrame(columns=columns)
    rows = [(t.name, t.label, t.controllable, statistics.median(s.get(t.name, 0.0)
                                                                for s in shares))
            for t in default_themes()]
    return pd.DataFrame(rows, columns=columns)

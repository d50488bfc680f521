"""Streamlit glue: the one cached database, cached query results, and the sidebar filters
kept in session state and mirrored to the URL. Pages call these; nothing else here knows
about charts or SQL.

With a coach's workspace ($SILVERLINING_WORKSPACE, set by ``silverlining run --workspace``)
the database is the client chosen in the sidebar (``choose_client``), one file per client;
every cache is keyed by the database's path, and switching client forgets everything the
session held for the client before. Without one, the single database file as before."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import charts, queries, workspace
from dashboard.filters import Filters
from pipelines.derive.refresh import refresh_stale
from pipelines.domain import OUTCOMES, STAGES
from pipelines.edits.demo import demo_import_id, first_run_demo
from pipelines.edits.imports import remove_import
from pipelines.ingest.importer import ingest_file
from pipelines.store.db import DatabaseBusy, connect, default_db_path, scalar
from pipelines.store.migrations import stale

CLIENT_KEY = "client"  # session state: the chosen client's file name (workspace only)
_OPENING = threading.Lock()  # the app's connections and the cohort's read-only ones take turns
OPEN_WAIT = 30.0  # seconds to wait for a database another program (an import) is writing


def workspace_folder() -> Path | None:
    """The coach's workspace folder, or None in the single-file mode."""
    folder = os.environ.get(workspace.ENV_VAR)
    return Path(folder).expanduser() if folder else None


def current_client() -> workspace.Client | None:
    """The client chosen in this session (default: the first); None without a workspace or
    while the workspace holds no client."""
    folder = workspace_folder()
    if folder is None:
        return None
    clients = workspace.list_clients(folder)
    chosen = st.session_state.get(CLIENT_KEY)
    return next((c for c in clients if c.key == chosen), clients[0] if clients else None)


def db_path() -> Path:
    """The database of this session: the chosen client's file in a workspace, else
    $SILVERLINING_DB or the default file."""
    if workspace_folder() is None:
        return Path(os.environ.get("SILVERLINING_DB") or default_db_path())
    if get_script_run_ctx(suppress_warning=True) is None:
        # No session here (a download's deferred callable runs in another thread): Streamlit
        # would answer with an empty stand-in session state, that is the first client.
        raise RuntimeError("Which client? Outside a script run there is no session: take "
                           "state.db_path() during the run and pass it to state.cursor().")
    client = current_client()
    if client is None:  # choose_client stops the app before any page asks
        raise RuntimeError(f"The workspace {workspace_folder()} holds no client yet.")
    return client.path


class _Databases:
    """The app's connections: one per database file, shared by the sessions (each works
    through its own cursor) and closed once no session has used it for ``IDLE`` seconds.

    DuckDB lets one process at a time hold a file open for writing, and an open file blocks
    every other process, so a connection kept for the server's life would lock out
    ``silverlining ingest`` and ``report`` for as long as the dashboard runs. Closed when
    idle, the file is free between page runs; while another program holds it, opening waits
    up to ``OPEN_WAIT`` seconds (``pipelines.store.db.connect``)."""

    IDLE = 2.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, list] = {}  # path -> [connection, users, last released]
        self._openers: dict[str, threading.Lock] = {}
        self._reaper: threading.Thread | None = None

    @contextlib.contextmanager
    def lease(self, path: str) -> Iterator[duckdb.DuckDBPyConnection]:
        """The connection to ``path``, open (and not closed by the reaper) until the block
        ends. Raises DatabaseBusy when another program holds the file too long."""
        with self._lock:
            opener = self._openers.setdefault(path, threading.Lock())
        with opener:  # one thread at a time opens a file (and maybe waits); the rest find it
            with self._lock:
                entry = self._open.get(path)
                if entry is not None:
                    entry[1] += 1
            if entry is None:
                with _OPENING:
                    con = connect(path, wait=OPEN_WAIT)
                with self._lock:
                    entry = self._open[path] = [con, 1, 0.0]
                    self._start_reaper()
        try:
            yield entry[0]
        finally:
            with self._lock:
                entry[1] -= 1
                entry[2] = time.monotonic()

    def _start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = threading.Thread(target=self._reap, name="silverlining-idle",
                                            daemon=True)
            self._reaper.start()

    def _reap(self) -> None:
        while True:
            time.sleep(self.IDLE / 4)
            self.close_idle(self.IDLE)

    def close_idle(self, idle: float = 0.0) -> None:
        """Close the connections no one has used for ``idle`` seconds."""
        now = time.monotonic()
        with self._lock:
            for path, (con, users, released) in list(self._open.items()):
                if users == 0 and now - released >= idle:
                    del self._open[path]
                    with _OPENING:
                        con.close()


DATABASES = _Databases()


@contextlib.contextmanager
def cursor(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor (this thread's own) of the app's connection to ``path``, by default this
    session's database, kept open until the block ends: ``with state.cursor() as cur:``.
    Code that runs outside the script run, such as a download button's callable, passes the
    ``db_path()`` taken during the run."""
    with DATABASES.lease(str(path or db_path())) as con, con.cursor() as cur:
        yield cur


@contextlib.contextmanager
def session_database() -> Iterator[None]:
    """Hold this session's database open for a whole script run (so the run's queries do not
    open it one by one). When another program keeps it busy beyond the wait, the page says
    so and stops instead of failing."""
    try:
        with DATABASES.lease(str(db_path())):
            yield
    except DatabaseBusy as busy:
        st.error(f"The data is busy: {busy}.", icon="⏳")
        st.stop()


def data_stamp(path: Path | str) -> tuple:
    """What the database file looks like now: any write to it, by this app or by another
    program (``silverlining ingest``), changes it; reading it does not."""
    return _file_stamp(Path(path)), _file_stamp(Path(f"{path}.wal"))


def _file_stamp(path: Path) -> tuple | None:
    """A file's modification time and size, or None when it is not there (or gone)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(path: str, stamp: tuple, name: str, filters: Filters | None, kwargs: tuple) -> Any:
    function = getattr(queries, name)
    with cursor(Path(path)) as cur:
        return function(cur, filters, **dict(kwargs)) if filters is not None else function(cur)


def query(name: str, filters: Filters | None = None, **kwargs) -> Any:
    """The result of ``queries.<name>``, cached until the data changes (a write by this app
    or an import by another program)."""
    path = db_path()
    return _cached(str(path), data_stamp(path), name, filters, tuple(sorted(kwargs.items())))


UPLOADS = ".silverlining-uploads"  # beside the databases: one folder per database
UPLOAD_HOURS = 1  # uploads older than this are removed (a page still using one writes it again)


@st.cache_resource(show_spinner=False, max_entries=256)
def _chart(path: str, name: str, args: tuple) -> Any:
    return getattr(charts, name)(*args)


def chart(name: str, *args) -> Any:
    """``charts.<name>(*args)``, built once per database and arguments (the arguments are
    hashed, so new data makes a new figure; nothing to clear after a write). The figure is
    shared, not copied: pages draw it and never change it."""
    return _chart(str(db_path()), name, args)


def upload_path(upload) -> Path:
    """The uploaded bytes in a private file named as uploaded, beside this session's
    database (``<folder>/.silverlining-uploads/<database file>/<content hash>/``): never in a
    folder another client's session reads, never outside the data folder. Written once, not
    on every re-run of the page (and again if it was removed meanwhile)."""
    data = upload.getvalue()
    root = _uploads(db_path())
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = root / hashlib.sha256(data).hexdigest()[:16] / Path(upload.name).name
    if not path.exists():
        remove_old_uploads()
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.write_bytes(data)
        path.chmod(0o600)
    return path


def tidy_uploads() -> None:
    """``remove_old_uploads`` once per session and database."""
    key = f"_uploads_tidied_{db_path()}"
    if not st.session_state.get(key):
        st.session_state[key] = True
        remove_old_uploads()


def _uploads(database: Path) -> Path:
    return database.parent / UPLOADS / database.name


def remove_old_uploads() -> None:
    """Remove this session's database's uploads written more than ``UPLOAD_HOURS`` ago: on
    every new upload and when a session starts, so a file does not outlive its use by long
    (the database keeps its own compressed copy of every imported file)."""
    root = _uploads(db_path())
    if not root.is_dir():
        return
    limit = time.time() - UPLOAD_HOURS * 3600
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # gone meanwhile
            continue


@st.cache_data(show_spinner=False, max_entries=32)
def _preview(db: str, path: str, name: str, overrides: tuple, layout: str | None,
             sheet: str | None):
    with cursor(Path(db)) as cur:
        return ingest_file(cur, Path(path), overrides=dict(overrides), layout=layout,
                           sheet=sheet, display_name=name, dry_run=True)


def preview(path: Path, name: str, overrides: dict[str, str], layout: str | None,
            sheet: str | None = None):
    """What importing ``path`` would do (a dry run), cached until the next write. Raises
    IngestError as ingest_file does."""
    return _preview(str(db_path()), str(path), name, tuple(sorted(overrides.items())), layout,
                    sheet)


def written() -> None:
    """Call after every write: cached results are stale."""
    st.cache_data.clear()


_WRITING: dict[str, threading.Lock] = {}
_WRITING_LOCK = threading.Lock()


def write(action: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """Run a write with a fresh cursor, one at a time per database (two sessions importing
    at once both land, the second after the first), then clear the cache (also when the
    write fails part-way: the cache must not show what is no longer stored)."""
    path = db_path()
    with _WRITING_LOCK:
        lock = _WRITING.setdefault(str(path), threading.Lock())
    try:
        with lock, cursor(path) as cur:  # one write at a time: two imports both land
            return action(cur)
    finally:
        written()


def ensure_first_run_demo() -> None:
    """Once per session and database: on the very first start with an empty database, load
    the demo tracker (never in a workspace: a client's file holds only that client's
    applications), and redo derived data a migration marked stale."""
    key = f"_started_{db_path()}"
    if st.session_state.get(key):
        return
    st.session_state[key] = True
    with cursor() as cur:
        started = scalar(cur, "SELECT count(*) FROM app_state WHERE key = 'started'")
        todo = stale(cur)
    if not started and workspace_folder() is None:
        write(first_run_demo)
    if todo:
        write(refresh_stale)


def demo_banner(on_import_page: bool = False) -> None:
    """A notice on every page while the demo data is loaded, with one click to clear it."""
    with cursor() as cur:
        demo = demo_import_id(cur)
    if demo is None:
        return
    left, right = st.columns([4, 1])
    where = "below" if on_import_page else "on the Import page"
    left.info("You are looking at **demo data**: a made-up job seeker, Dana. Clear it and "
              f"import your own tracker {where}.", icon="🧪")
    if right.button("Clear demo data", key="clear_demo", width="stretch"):
        write(lambda cur: remove_import(cur, demo))
        st.rerun()


def _init_widgets(options: dict) -> None:
    """Seed the filter widgets once per session from the URL's query parameters."""
    if st.session_state.get("_filters_seeded"):
        return
    params = st.query_params.to_dict()
    client = current_client()
    if client is not None and params.get("client") != _url_name(client):
        params = {}  # filters in the URL belong to the client the URL names
    start = Filters.from_params(params)
    lo, hi = options.get("min_date"), options.get("max_date")
    dates = tuple(d for d in (start.date_from or lo, start.date_to or hi) if d)
    st.session_state.update({
        "f_dates": dates, "f_outcomes": list(start.outcomes), "f_stages": list(start.stages),
        "f_sources": [s for s in start.sources if s in options.get("sources", [])],
        "f_search": start.search, "_filters_seeded": True})


FILTER_KEYS = ("f_dates", "f_outcomes", "f_stages", "f_sources", "f_search")


def keep_filters() -> None:
    """Keep the sidebar's choices across pages: Streamlit forgets the state of widgets a run
    does not draw, so every run re-claims it before the page draws them."""
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _fit_to_data(options: dict) -> None:
    """Keep the widgets' values valid when the data changed under them (demo cleared, a
    tracker imported or removed): a date range that covered all the old data covers all the
    new data, another range is clipped to the new dates, sources no longer there are
    dropped. Streamlit refuses a value outside a widget's bounds."""
    lo, hi = options.get("min_date"), options.get("max_date")
    old = st.session_state.get("_dates_span")
    dates = st.session_state.get("f_dates") or ()
    dates = (dates,) if isinstance(dates, dt.date) else tuple(dates)
    if lo and hi and (lo, hi) != old:
        if not dates or dates == old:
            fitted = (lo, hi)
        else:
            fitted = tuple(min(max(d, lo), hi) for d in dates)
            if len(fitted) == 2 and fitted[0] == fitted[1] and dates[0] != dates[1]:
                fitted = (lo, hi)  # the chosen range holds none of the new data
        st.session_state["f_dates"] = fitted
    st.session_state["_dates_span"] = (lo, hi)
    sources = options.get("sources", [])
    chosen = st.session_state.get("f_sources") or []
    if any(s not in sources for s in chosen):
        st.session_state["f_sources"] = [s for s in chosen if s in sources]


def sidebar_filters() -> Filters:
    """Draw the filters in the sidebar; return them and mirror them to the URL."""
    options = query("filter_options")
    _init_widgets(options)
    _fit_to_data(options)
    with st.sidebar:
        st.header("Filters")
        lo, hi = options.get("min_date"), options.get("max_date")
        if lo and hi:
            st.date_input("Applied between", key="f_dates", min_value=lo, max_value=hi,
                          format="YYYY-MM-DD")
        st.multiselect("Outcome", OUTCOMES, key="f_outcomes",
                       format_func=charts.OUTCOME_LABELS.get)
        st.multiselect("Furthest stage", STAGES, key="f_stages",
                       format_func=charts.STAGE_LABELS.get)
        if options.get("sources"):
            st.multiselect("Source", options["sources"], key="f_sources")
        st.text_input("Company or title contains", key="f_search")
    filters = current_filters(options)
    client = current_client()
    st.query_params.from_dict({**filters.to_params(),
                               **({"client": _url_name(client)} if client else {})})
    return filters


def current_filters(options: dict) -> Filters:
    """The Filters the widgets hold (a range equal to the data's span counts as no range)."""
    dates = st.session_state.get("f_dates") or ()
    dates = (dates,) if isinstance(dates, dt.date) else tuple(dates)
    lo, hi = options.get("min_date"), options.get("max_date")
    date_from = dates[0] if dates and dates[0] != lo else None
    date_to = dates[1] if len(dates) > 1 and dates[1] != hi else None
    return Filters(date_from=date_from, date_to=date_to,
                   outcomes=tuple(st.session_state.get("f_outcomes") or ()),
                   stages=tuple(st.session_state.get("f_stages") or ()),
                   sources=tuple(st.session_state.get("f_sources") or ()),
                   search=(st.session_state.get("f_search") or "").strip())


def figure(title: str, fig, caption_text: str, key: str) -> None:
    """One chart as every page draws it: a subheader, the figure full width, a caption."""
    st.subheader(title)
    st.plotly_chart(fig, width="stretch", key=key)
    st.caption(caption_text)


def nothing_matches() -> None:
    """The empty state of a page whose filters select nothing; stops the page."""
    st.info("No applications match. Import a tracker on the **Import** page, or widen the "
            "filters in the sidebar.", icon="🔎")
    st.stop()


# ── a coach's workspace: one database per client ────────────────────────────────────────

def _url_name(client: workspace.Client) -> str:
    return client.key.removesuffix(workspace.SUFFIX)


def _forget_client_state() -> None:
    """Forget everything this session held for the client before (filters, their seeding
    and date span, the profile form's stamp, table editors, typed text, import reports)
    and the filters in the URL; only the choice of client stays."""
    for key in list(st.session_state):
        if key != CLIENT_KEY:
            del st.session_state[key]
    st.query_params.clear()


def _switched() -> None:
    _forget_client_state()
    client = current_client()
    if client is not None:
        st.query_params["client"] = _url_name(client)


def _create_client() -> None:
    try:
        client = workspace.create_client(workspace_folder(), st.session_state.get(
            "new_client_name", ""))
    except (ValueError, OSError) as exc:
        st.session_state["_client_error"] = str(exc)
        return
    st.session_state[CLIENT_KEY] = client.key
    _switched()
    st.session_state["_client_created"] = client.name


def choose_client() -> None:
    """With a workspace: the sidebar's "Client" selector and "New client" form; while the
    workspace holds no client, a prompt to create one, and the app stops there. Switching
    client forgets the session's state (``_forget_client_state``). Without a workspace:
    nothing."""
    folder = workspace_folder()
    if folder is None:
        return
    clients = workspace.list_clients(folder)
    keys = [c.key for c in clients]
    chosen = st.session_state.get(CLIENT_KEY)
    if chosen is None:  # a new session: the client the URL names, else the first
        chosen = st.query_params.get("client", "") + workspace.SUFFIX
    elif chosen not in keys:  # its file went away: start afresh on another client
        _forget_client_state()
    if keys:
        st.session_state[CLIENT_KEY] = chosen if chosen in keys else keys[0]
    shown = Counter(c.name for c in clients)  # two files showing one name: say which file
    names = {c.key: c.name if shown[c.name] == 1 else f"{c.name} ({c.key})" for c in clients}
    with st.sidebar:
        if clients:
            st.selectbox("Client", keys, key=CLIENT_KEY, format_func=names.get,
                         on_change=_switched, help=f"One database per client in {folder}")
        with st.expander("New client", expanded=not clients):
            with st.form("new_client", border=False):
                st.text_input("Name", key="new_client_name", placeholder="e.g. Dana Smith")
                st.form_submit_button("Create", on_click=_create_client)
        if error := st.session_state.pop("_client_error", None):
            st.error(error, icon="⚠️")
        if created := st.session_state.pop("_client_created", None):
            st.success(f"{created} created: import their tracker on the Import page.")
    if not clients:
        st.title("Silver Lining")
        st.info(f"The workspace {folder} holds no client yet. Create one with **New client** "
                "in the sidebar.", icon="👋")
        st.stop()


def _folder_stamp(folder: Path) -> tuple:
    """What the workspace's files look like now: a write to any client changes it."""
    return tuple(sorted((path.name, stamp) for path in folder.glob(f"*{workspace.SUFFIX}*")
                        if (stamp := _file_stamp(path)) is not None))


@st.cache_data(show_spinner=False, max_entries=16)
def _cohort(folder: str, current: str, stamp: tuple) -> workspace.Cohort | None:
    with _OPENING:
        return workspace.cohort(folder, current)


def cohort() -> workspace.Cohort | None:
    """The chosen client's cohort (``workspace.cohort``): medians over the workspace's other
    clients, cached per workspace, client and state of the files; None without a workspace
    or below five clients."""
    folder = workspace_folder()
    if folder is None or current_client() is None:
        return None
    return _cohort(str(folder), str(db_path()), _folder_stamp(folder))


# Everything the app imports is loaded by now (Streamlit, pandas, plotly, DuckDB): hundreds of
# thousands of objects that live as long as the server. Moving them out of the garbage
# collector's view keeps its full collections, which a chart's many small objects trigger,
# from scanning them all again: 40-60 ms pauses, at random, in a page's run.
gc.freeze()

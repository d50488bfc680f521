"""Streamlit glue: the one cached database, cached query results, and the sidebar filters
kept in session state and mirrored to the URL. Pages call these; nothing else here knows
about charts or SQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from dashboard import charts, queries
from dashboard.filters import Filters
from pipelines.db import connect, default_db_path
from pipelines.edits import demo_import_id, load_demo, remove_import
from pipelines.ingest import ingest_file
from pipelines.normalize.statuses import OUTCOMES, STAGES


def db_path() -> Path:
    return Path(os.environ.get("SILVERLINING_DB") or default_db_path())


@st.cache_resource(show_spinner=False)
def _database(path: str) -> duckdb.DuckDBPyConnection:
    return connect(path)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the app's one connection: each session (thread) gets its own."""
    return _database(str(db_path())).cursor()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(path: str, name: str, filters: Filters | None, kwargs: tuple) -> Any:
    function = getattr(queries, name)
    with _database(path).cursor() as cur:
        return function(cur, filters, **dict(kwargs)) if filters is not None else function(cur)


def query(name: str, filters: Filters | None = None, **kwargs) -> Any:
    """The result of ``queries.<name>``, cached until the next write."""
    return _cached(str(db_path()), name, filters, tuple(sorted(kwargs.items())))


def upload_path(upload) -> Path:
    """The uploaded bytes in a private temporary file named as uploaded, one folder per
    content: written once, not on every re-run of the page."""
    data = upload.getvalue()
    root = Path(tempfile.gettempdir()) / f"silverlining-uploads-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    path = root / hashlib.sha256(data).hexdigest()[:16] / Path(upload.name).name
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    return path


@st.cache_data(show_spinner=False, max_entries=32)
def _preview(db: str, path: str, name: str, overrides: tuple, layout: str | None):
    with _database(db).cursor() as cur:
        return ingest_file(cur, Path(path), overrides=dict(overrides), layout=layout,
                           display_name=name, dry_run=True)


def preview(path: Path, name: str, overrides: dict[str, str], layout: str | None):
    """What importing ``path`` would do (a dry run), cached until the next write. Raises
    IngestError as ingest_file does."""
    return _preview(str(db_path()), str(path), name, tuple(sorted(overrides.items())), layout)


def written() -> None:
    """Call after every write: cached results are stale."""
    st.cache_data.clear()


def write(action: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """Run a write with a fresh cursor, then clear the cache (also when the write fails
    part-way: the cache must not show what is no longer stored)."""
    try:
        with cursor() as cur:
            return action(cur)
    finally:
        written()


def ensure_first_run_demo() -> None:
    """On the very first start with an empty database, load the demo tracker (checked once
    per session, not on every re-run)."""
    if st.session_state.get("_first_run_checked"):
        return
    st.session_state["_first_run_checked"] = True
    with cursor() as cur:
        empty = not cur.execute("SELECT count(*) FROM applications").fetchall()[0][0]
        seen = cur.execute("SELECT count(*) FROM app_state WHERE key = 'started'"
                           ).fetchall()[0][0]
        if not seen:
            cur.execute("INSERT INTO app_state VALUES ('started', ?)",
                        [dt.datetime.now().isoformat()])
    if empty and not seen:
        write(load_demo)


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
    start = Filters.from_params(st.query_params.to_dict())
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
    st.query_params.from_dict(filters.to_params())
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

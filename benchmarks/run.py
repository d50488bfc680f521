"""Every speed target of issue 7 in one command: `python benchmarks/run.py`.

Generates deterministic trackers (benchmarks/trackers.py: 1,000, 100,000 and 1,000,000
applications as CSV, 100,000 as XLSX) and measures, each figure the median of ``--repeat``
runs, the two sides of a ratio alternated and measured in the same run:

  a  ingestion of each CSV (`silverlining ingest`, fresh process, fresh database) against
     DuckDB's bare `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` (fresh process); for the
     largest CSV also both inside one warm Python process;
  b  ingestion of the 100,000-row XLSX against a bare `pd.read_excel(engine="calamine")`;
  c  peak memory (max RSS) of the largest CSV's ingestion;
  d  every dashboard page's data work (its query and figure functions) on the largest
     database: cold (a freshly opened connection, nothing cached) and through the app's
     caches (state.query for queries, state.chart for figures, answering from them);
  e  feedback theme tagging (refresh_themes) and title reading (read_titles over every
     distinct title; refresh_scope with the titles' levels cleared) on the largest database;
  f  the HTML report (build_report) on the largest database;
  g  starting the app (`silverlining run`, fresh database: the demo sample loads) until the
     first plotly chart is drawn in headless Chromium, against a bare Streamlit app with one
     plotly chart.

Prints one markdown table (measurement, baseline, value, ratio, target, met?) and where the
time goes per page, and writes both to ``--out``. Not a test.

  python benchmarks/run.py                  # everything, 3 runs each (15–30 minutes)
  python benchmarks/run.py --quick          # 1k and 100k only
  python benchmarks/run.py --only d,e --keep /tmp/bench   # a subset; files kept for re-runs
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import logging
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import trackers  # noqa: E402

from tests.app_server import _wait as wait_for_app  # noqa: E402

SIZES = {"1k": 1_000, "100k": 100_000, "1m": 1_000_000}
XLSX_ROWS = 100_000
PARTS = "abcdefg"
CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FIRST_CHART = ".js-plotly-plot svg.main-svg"
RESULT = "@@result@@"  # a worker's JSON answer follows this on its stdout
CHILD_TIMEOUT = 1800  # seconds; a child taking longer is reported as failed
TARGETS = {"ingest_csv": 2.0, "ingest_xlsx": 1.5, "memory_mb": 1536, "page_cold_ms": 250,
           "page_cached_ms": 50, "themes_s": 5, "titles_s": 5, "report_s": 10, "app_s": 5}

BARE_CSV = ("import duckdb, sys; con = duckdb.connect(sys.argv[2]); "
            "con.execute('CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[1]]); "
            "print(con.execute('SELECT count(*) FROM t').fetchone()[0])")
BARE_XLSX = ("import sys; import pandas as pd; "
             "print(len(pd.read_excel(sys.argv[1], engine='calamine')))")
BARE_APP = """import plotly.graph_objects as go
import streamlit as st

st.title("Baseline")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))
"""


# ── running children ────────────────────────────────────────────────────────────────────

class ChildFailed(RuntimeError):
    """A child process exited with an error; the message holds its command and output."""


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, **extra}
    env.pop("SILVERLINING_WORKSPACE", None)
    return env


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``cmd`` in a fresh process; (wall seconds, its peak RSS in MB, its stdout).
    Raises ChildFailed with the output's tail when it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=ROOT, env=env or _env(), stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + CHILD_TIMEOUT
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if child.returncode != 0:
        tail = "\n".join((stdout + "\n" + stderr).strip().splitlines()[-30:])
        raise ChildFailed(f"`{' '.join(cmd)}` exited with {child.returncode}:\n{tail}")
    return seconds, usage.ru_maxrss / 1024, stdout


def run_worker(*args: str, env: dict[str, str] | None = None) -> dict:
    """Run this script as ``--worker ARGS`` in a fresh process; its JSON answer."""
    _, _, stdout = run_child([sys.executable, __file__, "--worker", *args], env=env)
    return json.loads(stdout.rpartition(RESULT)[2])


# ── results ─────────────────────────────────────────────────────────────────────────────

@dataclass
class Row:
    measurement: str
    baseline: str
    value: str
    ratio: str
    target: str
    met: str


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # markdown after the table
    failures: list[str] = field(default_factory=list)

    def add(self, measurement: str, value: str, target: str = "", met: bool | None = None,
            baseline: str = "—", ratio: str = "—") -> None:
        verdict = "—" if met is None else ("yes" if met else "**no**")
        self.rows.append(Row(measurement, baseline, value, ratio, target or "—", verdict))
        print(f"  {measurement}: {value}" + (f" (baseline {baseline}, {ratio})"
                                              if baseline != "—" else ""), flush=True)

    def failed(self, part: str, what: str, error: BaseException) -> None:
        text = str(error) if isinstance(error, ChildFailed) else "".join(
            traceback.format_exception(error)).strip()
        self.rows.append(Row(what, "—", "**crashed**", "—", "—", "**no**"))
        self.failures.append(f"### {part}: {what}\n\n```\n{text}\n```")
        print(f"  {what}: CRASHED\n{text}", flush=True)

    def table(self) -> str:
        lines = ["| measurement | baseline | value | ratio | target | met? |",
                 "|---|---|---|---|---|---|"]
        lines += [f"| {r.measurement} | {r.baseline} | {r.value} | {r.ratio} | {r.target} | "
                  f"{r.met} |" for r in self.rows]
        return "\n".join(lines)


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _runs(values: list[float], unit: Callable[[float], str] = _s) -> str:
    return ", ".join(unit(v) for v in values)


def _ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}×" if baseline else "—"


# ── the work folder: trackers and databases ─────────────────────────────────────────────

@dataclass
class Work:
    folder: Path
    repeat: int
    sizes: list[str]
    dbs: dict[str, Path] = field(default_factory=dict)

    @property
    def largest(self) -> str:
        return max(self.sizes, key=SIZES.get)

    def csv(self, size: str) -> Path:
        path = self.folder / f"tracker-v{trackers.VERSION}-{size}.csv"
        if not path.exists():
            start = time.perf_counter()
            trackers.make_csv(path, SIZES[size])
            print(f"  generated {path.name}: {SIZES[size]:,} rows, "
                  f"{path.stat().st_size / 1e6:,.0f} MB in {_s(time.perf_counter() - start)}",
                  flush=True)
        return path

    def xlsx(self) -> Path:
        path = self.folder / f"tracker-v{trackers.VERSION}-{XLSX_ROWS // 1000}k.xlsx"
        if not path.exists():
            start = time.perf_counter()
            trackers.make_xlsx(path, XLSX_ROWS)
            print(f"  generated {path.name}: {XLSX_ROWS:,} rows, "
                  f"{path.stat().st_size / 1e6:,.0f} MB in {_s(time.perf_counter() - start)}",
                  flush=True)
        return path

    def db(self, size: str) -> Path:
        """A database holding the ``size`` CSV, ingested once (by part a when it ran)."""
        if size not in self.dbs:
            path = self.folder / f"tracker-v{trackers.VERSION}-{size}.duckdb"
            if not path.exists():
                run_child([sys.executable, "-m", "dashboard.cli", "ingest", "--db", str(path),
                           str(self.csv(size))])
            self.dbs[size] = path
        return self.dbs[size]

    def fresh(self, name: str) -> Path:
        path = self.folder / name
        for old in (path, path.with_name(path.name + ".wal")):
            old.unlink(missing_ok=True)
        return path


# ── a, b, c: ingestion and memory ───────────────────────────────────────────────────────

def _alternate(repeat: int, first: Callable[[int], object], second: Callable[[int], object]):
    """Run both ``repeat`` times, first-then-second on even runs, second-then-first on odd."""
    for k in range(repeat):
        for side in ((first, second) if k % 2 == 0 else (second, first)):
            side(k)


def _csv_runs(work: Work, size: str, csv: Path) -> tuple[list, list]:
    """(seconds, peak MB) of each bare read and each ingest of ``csv``, fresh processes."""
    bare: list[tuple[float, float]] = []
    ingest: list[tuple[float, float]] = []

    def run_bare(k: int) -> None:
        bare.append(run_child([sys.executable, "-c", BARE_CSV, str(csv),
                               str(work.fresh(f"bare-{size}-{k}.duckdb"))])[:2])

    def run_ingest(k: int) -> None:
        ingest.append(run_child([sys.executable, "-m", "dashboard.cli", "ingest", "--db",
                                 str(work.fresh(f"ingest-{size}-{k}.duckdb")), str(csv)])[:2])

    _alternate(work.repeat, run_bare, run_ingest)
    return bare, ingest


def part_a_c(work: Work, results: Results) -> None:
    for size in sorted(work.sizes, key=SIZES.get):
        csv = work.csv(size)
        what = f"a. ingest {SIZES[size]:,}-row CSV, fresh process"
        try:
            bare, ingest = _csv_runs(work, size, csv)
        except Exception as error:  # noqa: BLE001 (reported, the run goes on)
            results.failed("a", what, error)
            continue
        for k in range(work.repeat):  # keep one ingested database for d, e, f
            work.fresh(f"bare-{size}-{k}.duckdb")
            if k:
                work.fresh(f"ingest-{size}-{k}.duckdb")
        work.dbs[size] = work.folder / f"ingest-{size}-0.duckdb"
        b_med = statistics.median(t for t, _ in bare)
        i_med = statistics.median(t for t, _ in ingest)
        largest = size == work.largest  # the target is for 1M rows; --quick checks 100k
        results.add(what + ("" if largest else " (no target: mostly fixed costs)"),
                    _s(i_med), f"≤ {TARGETS['ingest_csv']}×" if largest else "",
                    i_med / b_med <= TARGETS["ingest_csv"] if largest else None,
                    baseline=f"{_s(b_med)} (bare read_csv)", ratio=_ratio(i_med, b_med))
        results.sections.append(f"* {what}: ingest runs {_runs([t for t, _ in ingest])}; "
                                f"bare runs {_runs([t for t, _ in bare])}")
        if largest:
            _in_process(work, results, "csv", csv, f"a. ingest {SIZES[size]:,}-row CSV, "
                        "in one warm process", TARGETS["ingest_csv"], "bare read_csv")
            peak, bare_peak = max(m for _, m in ingest), max(m for _, m in bare)
            results.add(f"c. peak memory (max RSS), ingest {SIZES[size]:,}-row CSV",
                        f"{peak:,.0f} MB", f"≤ {TARGETS['memory_mb']:,} MB",
                        peak <= TARGETS["memory_mb"],
                        baseline=f"{bare_peak:,.0f} MB (bare read_csv)",
                        ratio=_ratio(peak, bare_peak))
            results.sections.append("* c. max RSS per ingest run: "
                                    + ", ".join(f"{m:,.0f} MB" for _, m in ingest)
                                    + "; bare: " + ", ".join(f"{m:,.0f} MB" for _, m in bare))


def _in_process(work: Work, results: Results, kind: str, path: Path, what: str,
                target: float, baseline_name: str) -> None:
    try:
        answer = run_worker("ingest", kind, str(path), str(work.folder), str(work.repeat),
                            str(work.csv("1k")))
    except Exception as error:  # noqa: BLE001
        results.failed(what[:1], what, error)
        return
    b_med, i_med = statistics.median(answer["bare"]), statistics.median(answer["ingest"])
    results.add(what, _s(i_med), f"≤ {target}×", i_med / b_med <= target,
                baseline=f"{_s(b_med)} ({baseline_name})", ratio=_ratio(i_med, b_med))
    results.sections.append(f"* {what}: ingest runs {_runs(answer['ingest'])}; bare runs "
                            f"{_runs(answer['bare'])}")


def part_b(work: Work, results: Results) -> None:
    xlsx = work.xlsx()
    what = f"b. ingest {XLSX_ROWS:,}-row XLSX, fresh process"
    bare: list[float] = []
    ingest: list[float] = []
    try:
        _alternate(
            work.repeat,
            lambda k: bare.append(run_child([sys.executable, "-c", BARE_XLSX, str(xlsx)])[0]),
            lambda k: ingest.append(run_child(
                [sys.executable, "-m", "dashboard.cli", "ingest", "--db",
                 str(work.fresh(f"ingest-xlsx-{k}.duckdb")), str(xlsx)])[0]))
    except Exception as error:  # noqa: BLE001
        results.failed("b", what, error)
    else:
        b_med, i_med = statistics.median(bare), statistics.median(ingest)
        results.add(what, _s(i_med), f"≤ {TARGETS['ingest_xlsx']}×",
                    i_med / b_med <= TARGETS["ingest_xlsx"],
                    baseline=f"{_s(b_med)} (bare calamine read_excel)",
                    ratio=_ratio(i_med, b_med))
        results.sections.append(f"* {what}: ingest runs {_runs(ingest)}; bare runs "
                                f"{_runs(bare)}")
    for k in range(work.repeat):
        work.fresh(f"ingest-xlsx-{k}.duckdb")
    _in_process(work, results, "xlsx", xlsx, f"b. ingest {XLSX_ROWS:,}-row XLSX, in one warm "
                "process", TARGETS["ingest_xlsx"], "bare calamine read_excel")


def worker_ingest(kind: str, path: str, folder: str, repeat: str, warmup_csv: str) -> dict:
    """In one process, modules imported and one small import done first: alternate the bare
    read and ``ingest_file``, each into a fresh database file."""
    import duckdb
    import pandas as pd

    from pipelines.ingest.importer import ingest_file
    from pipelines.store.db import connect

    work = Work(Path(folder), int(repeat), [])
    with connect(work.fresh("warmup.duckdb")) as con:
        ingest_file(con, warmup_csv)
    times: dict[str, list[float]] = {"bare": [], "ingest": []}

    def bare(k: int) -> None:
        start = time.perf_counter()
        if kind == "csv":
            with duckdb.connect(str(work.fresh(f"inproc-bare-{k}.duckdb"))) as con:
                con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [path])
        else:
            pd.read_excel(path, engine="calamine")
        times["bare"].append(time.perf_counter() - start)
        work.fresh(f"inproc-bare-{k}.duckdb")

    def ingest(k: int) -> None:
        start = time.perf_counter()
        with connect(work.fresh(f"inproc-ingest-{k}.duckdb")) as con:
            ingest_file(con, path)
        times["ingest"].append(time.perf_counter() - start)
        work.fresh(f"inproc-ingest-{k}.duckdb")

    _alternate(int(repeat), bare, ingest)
    work.fresh("warmup.duckdb")
    return times


# ── d: the pages' data work ─────────────────────────────────────────────────────────────
# Each page as its view script calls the queries (state.query names) and the figure
# functions (charts.*), with the arguments a first visit uses. ``q`` runs a query, ``fig``
# a figure function, ``raw`` a call the page makes outside the cache (demo_banner).

def _sidebar(q, raw) -> None:
    raw("demo_import_id")
    q("filter_options")


def page_overview(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    q("kpis", F)
    fig("weekly_applications", q("weekly_applications", F))
    fig("outcomes_over_time", q("outcomes_over_time", F))


def page_stages(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    fig("sankey", q("stage_flow", F))
    fig("funnel", q("funnel", F))
    fig("rejections_by_stage", q("rejections_by_stage", F))
    fig("days_to_outcome", q("days_to_outcome", F, ghost_after_days=30))
    q("ghosted_count", F, ghost_after_days=30)
    fig("segment_conversion", q("segment_conversion", F, segment="Source"))


def page_themes(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    q("feedback_summary", F)
    counts = q("theme_counts", F)
    if not counts.empty:
        fig("theme_counts", counts)
        fig("themes_by_stage", q("themes_by_stage", F))
        fig("themes_over_time", q("themes_over_time", F))
        q("theme_quotes", F, theme=counts["theme"].iloc[0])
    q("codebook")
    q("theme_suggestions")


def page_scope(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    profile = q("candidate_scope")
    points = q("scope_points", F)
    q("application_count", F)
    stretch = q("segment_conversion", F, segment="Stretch")
    own = profile and profile["effective_level"]
    fig("scope_scatter", points, own)
    if own is not None and profile:
        fig("rates_by_band", stretch[stretch["segment"] != "Unknown"], "Stretch")
    sizes = q("segment_conversion", F, segment="Organisation size")
    if not set(sizes["segment"]) <= {"Unknown"}:
        fig("rates_by_band", sizes, "Employees")
    fig("scope_grid", q("scope_grid", F))
    q("scope_table", F, limit=1000)


def page_preparation(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    q("application_count", F)
    fig("preparation_effect", q("preparation_effect", F))
    goal = q("weekly_goal")
    fig("weekly_activity", q("weekly_activity", F), goal)
    q("preparation_table", F, limit=1000)


def page_plan(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    q("theme_coverage", F)
    q("codebook")
    q("plan")


def page_review(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    q("codebook")
    sessions = q("sessions")
    review = q("review", F)
    if not sessions.empty and review["start"] is not None and review["end"] is not None:
        fig("review_stages", review["stages"])
        fig("theme_changes", review["themes"])


def page_applications(q, fig, raw, F) -> None:
    _sidebar(q, raw)
    q("application_count", F)
    q("applications_table", F, limit=1000)


def page_import(q, fig, raw, F) -> None:
    raw("demo_import_id")  # no sidebar filters on this page
    q("unknown_statuses")
    q("import_history")


PAGES = {"Overview": page_overview, "Rejection stages": page_stages,
         "Feedback themes": page_themes, "Scope fit": page_scope,
         "Preparation": page_preparation, "Development plan": page_plan,
         "Coach review": page_review, "Applications": page_applications,
         "Import": page_import}


def _label(name: str, kwargs: dict) -> str:
    shown = {k: v for k, v in kwargs.items() if k in ("segment",)}
    return name + (f"({', '.join(f'{k}={v}' for k, v in shown.items())})" if shown else "")


class _Recorder:
    """Calls for one page run, each timed; the same query twice is answered by the first
    call, as the app's cache would (within a run of the page)."""

    def __init__(self, query: Callable, raw: Callable, figure: Callable | None = None):
        self._query, self._raw, self._figure = query, raw, figure
        self.times: dict[str, float] = {}
        self._seen: dict[tuple, object] = {}

    def q(self, name: str, filters=None, **kwargs):
        key = (name, filters, tuple(sorted(kwargs.items())))
        if key in self._seen:
            return self._seen[key]
        start = time.perf_counter()
        value = self._query(name, filters, **kwargs)
        self.times[_label(name, kwargs)] = time.perf_counter() - start
        self._seen[key] = value
        return value

    def fig(self, name: str, *args):
        """A figure function: built afresh (cold), or through the app's figure cache
        (``state.chart``, when given as ``figure``)."""
        from dashboard import charts

        label = f"charts.{name}"
        while label in self.times:
            label += "'"
        start = time.perf_counter()
        value = self._figure(name, *args) if self._figure else getattr(charts, name)(*args)
        self.times[label] = time.perf_counter() - start
        return value

    def raw(self, name: str):
        start = time.perf_counter()
        value = self._raw(name)
        self.times[f"{name} (not cached)"] = time.perf_counter() - start
        return value


def _direct(queries, con, name: str, filters, **kwargs):
    """``queries.<name>`` on ``con``, as state._cached calls it, without the cache."""
    function = getattr(queries, name)
    return function(con, filters, **kwargs) if filters is not None else function(con)


def _direct_raw(raws: dict, con, name: str):
    return raws[name](con)


def worker_pages(db: str, warmup_db: str, hits: str) -> dict:
    """Cold: each page on a freshly opened connection, every query run. Cached: each page
    through state.query once to fill the cache, then ``hits`` times more from the cache
    (the median per function kept)."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    import streamlit  # noqa: F401  (its logger is set up on import; quiet it after)

    for name in ("streamlit", "streamlit.runtime.caching.cache_data_api",
                 "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from dashboard import queries, state
    from dashboard.filters import Filters
    from pipelines.edits.demo import demo_import_id
    from pipelines.store.db import connect

    raws = {"demo_import_id": demo_import_id}
    F = Filters()

    def cold_pass(path: str) -> tuple[dict, dict]:
        out, opened = {}, {}
        for title, page in PAGES.items():
            start = time.perf_counter()
            con = connect(path)
            opened[title] = time.perf_counter() - start
            try:
                rec = _Recorder(functools.partial(_direct, queries, con),
                                functools.partial(_direct_raw, raws, con))
                page(rec.q, rec.fig, rec.raw, F)
                out[title] = rec.times
            finally:
                con.close()
        return out, opened

    cold_pass(warmup_db)  # Python warm (plotly's templates, pandas), not the database
    cold, opened = cold_pass(db)
    os.environ["SILVERLINING_DB"] = db
    cached: dict[str, dict[str, float]] = {}
    for title, page in PAGES.items():
        runs = []
        for k in range(1 + int(hits)):
            rec = _Recorder(state.query, lambda name: raws[name](state.cursor()), state.chart)
            page(rec.q, rec.fig, rec.raw, F)
            if k:
                runs.append(rec.times)
        cached[title] = {fn: statistics.median(r[fn] for r in runs) for fn in runs[0]}
    return {"cold": cold, "cached": cached, "open": opened}


def part_d(work: Work, results: Results) -> None:
    size = work.largest
    what = f"d. pages on {SIZES[size]:,} applications"
    try:
        db, warmup = work.db(size), work.db("1k") if size != "1k" else work.db(size)
        answers = [run_worker("pages", str(db), str(warmup), "3") for _ in range(work.repeat)]
    except Exception as error:  # noqa: BLE001
        results.failed("d", what, error)
        return
    profile = ["", f"### d. Where each page's time goes ({SIZES[size]:,} applications; medians "
               f"of {work.repeat} cold runs, each in a fresh process, and of the cache hits)",
               "", "| page | cold | slowest cold call | cached | slowest cached call |",
               "|---|---|---|---|---|"]
    detail = ["", "<details><summary>every call, cold and cached (median ms)</summary>", "",
              "| page | call | cold ms | cached ms |", "|---|---|---|---|"]
    opened = statistics.median(s for a in answers for s in a["open"].values())
    for title in PAGES:
        calls = list(answers[0]["cold"][title])
        cold = {c: statistics.median(a["cold"][title][c] for a in answers) for c in calls}
        cached = {c: statistics.median(a["cached"][title][c] for a in answers)
                  for c in answers[0]["cached"][title]}
        cold_total = statistics.median(sum(a["cold"][title].values()) for a in answers)
        cached_total = statistics.median(sum(a["cached"][title].values()) for a in answers)
        results.add(f"d. page “{title}”, cold", _ms(cold_total),
                    f"≤ {TARGETS['page_cold_ms']} ms",
                    cold_total * 1000 <= TARGETS["page_cold_ms"])
        results.add(f"d. page “{title}”, cached", _ms(cached_total),
                    f"≤ {TARGETS['page_cached_ms']} ms",
                    cached_total * 1000 <= TARGETS["page_cached_ms"])
        slow_cold = max(cold, key=cold.get)
        slow_cached = max(cached, key=cached.get)
        profile.append(f"| {title} | {_ms(cold_total)} | `{slow_cold}` {_ms(cold[slow_cold])} "
                       f"| {_ms(cached_total)} | `{slow_cached}` {_ms(cached[slow_cached])} |")
        detail += [f"| {title} | `{c}` | {cold[c] * 1000:,.1f} | "
                   f"{cached.get(c, float('nan')) * 1000:,.1f} |" for c in calls]
    profile.append(f"\nOpening the database (connect and schema), not counted above: "
                   f"{_ms(opened)} (median).")
    results.sections += profile + detail + ["", "</details>"]


# ── e, f: themes, titles, the report ────────────────────────────────────────────────────

def worker_derive(db: str, parts: str) -> dict:
    """On ``db`` (a copy: it is written), modules imported first: refresh_themes;
    read_titles over every distinct title; refresh_scope with the titles' levels cleared;
    build_report on a read-only connection."""
    import pandas as pd

    from dashboard.report import build_report
    from pipelines.derive.scope import refresh_scope
    from pipelines.derive.themes import refresh_themes
    from pipelines.derive.titles import read_titles
    from pipelines.store.db import connect

    out: dict[str, float] = {}
    if "e" in parts:
        with connect(db) as con:
            start = time.perf_counter()
            out["tags"] = refresh_themes(con)
            out["themes"] = time.perf_counter() - start
            out["texts"] = con.execute(
                "SELECT count(DISTINCT t) FROM (SELECT feedback AS t FROM applications_view "
                "UNION ALL SELECT notes FROM applications_view)").fetchall()[0][0]
            titles = pd.Series([r[0] for r in con.execute(
                "SELECT DISTINCT job_title FROM applications WHERE job_title IS NOT NULL"
            ).fetchall()], dtype=object)
            start = time.perf_counter()
            read_titles(titles)
            out["read_titles"] = time.perf_counter() - start
            out["titles"] = len(titles)
            con.execute("UPDATE applications SET title_level = NULL, title_function = NULL, "
                        "manages_people = NULL, effective_level = NULL, stretch = NULL")
            start = time.perf_counter()
            refresh_scope(con)
            out["scope"] = time.perf_counter() - start
    if "f" in parts:
        with connect(db, read_only=True) as con:
            start = time.perf_counter()
            page = build_report(con)
            out["report"] = time.perf_counter() - start
            out["report_mb"] = len(page.encode()) / 1e6
    return out


def part_e_f(work: Work, results: Results, parts: str) -> None:
    size = work.largest
    n = f"{SIZES[size]:,}"
    try:
        copy = work.fresh(f"derive-{size}.duckdb")
        shutil.copyfile(work.db(size), copy)
        answers = [run_worker("derive", str(copy), parts) for _ in range(work.repeat)]
    except Exception as error:  # noqa: BLE001
        results.failed(parts, f"{' and '.join(parts)}. themes, titles, report on {n}", error)
        return
    finally:
        work.fresh(f"derive-{size}.duckdb")

    def med(key: str) -> float:
        return statistics.median(a[key] for a in answers)

    if "e" in parts:
        first = answers[0]
        for key, label, target in (
                ("themes", f"e. theme tagging (refresh_themes), {n} applications, "
                           f"{first['texts']:,} distinct texts", TARGETS["themes_s"]),
                ("read_titles", f"e. title reading (read_titles), {first['titles']:,} distinct "
                                "titles", TARGETS["titles_s"]),
                ("scope", f"e. refresh_scope, {n} applications, levels cleared first",
                 TARGETS["titles_s"])):
            results.add(label, _s(med(key)), f"≤ {target} s", med(key) <= target)
            results.sections.append(f"* {label}: runs {_runs([a[key] for a in answers])}")
    if "f" in parts:
        label = f"f. HTML report (build_report), {n} applications, {med('report_mb'):.1f} MB"
        results.add(label, _s(med("report")), f"≤ {TARGETS['report_s']} s",
                    med("report") <= TARGETS["report_s"])
        results.sections.append(f"* {label}: runs {_runs([a['report'] for a in answers])}")


# ── g: app start to the first chart ─────────────────────────────────────────────────────

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(server: subprocess.Popen) -> None:
    """Stop a server started in its own session, and its children (SIGTERM, then SIGKILL)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _first_chart(browser, command: Callable[[int, Path], list[str]], folder: Path) -> dict:
    """Start the server ``command(port, folder)`` with a fresh HOME and database in
    ``folder``; seconds until it answers its health check and until the first plotly chart
    is drawn in a new browser context."""
    home = folder / "home"
    home.mkdir(parents=True)
    port = _free_port()
    env = _env(HOME=str(home), SILVERLINING_DB=str(folder / "app.duckdb"))
    url = f"http://127.0.0.1:{port}"
    log_path = folder / "app.log"
    with log_path.open("w") as log:
        start = time.perf_counter()
        server = subprocess.Popen(command(port, folder), cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            wait_for_app(url, server, 120, log_path, interval=0.05)
            health = time.perf_counter() - start
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            try:
                page = context.new_page()
                page.goto(url)
                page.wait_for_selector(FIRST_CHART, timeout=120_000)
                drawn = time.perf_counter() - start
                errors = page.locator('[data-testid="stException"]').count()
            finally:
                context.close()
        finally:
            _stop(server)
    if errors:
        raise RuntimeError(f"the app shows an error:\n{log_path.read_text()[-3000:]}")
    return {"health": health, "chart": drawn}


def worker_app(folder: str, repeat: str) -> dict:
    """Alternate: the app (fresh database and HOME each time) and a bare Streamlit app with
    one plotly chart, each from starting the server to the first chart drawn."""
    from playwright.sync_api import sync_playwright

    from dashboard.cli import streamlit_command

    base = Path(folder)
    bare_app = base / "bare_app.py"
    bare_app.write_text(BARE_APP)

    def bare_cmd(port: int, folder: Path) -> list[str]:
        cmd = streamlit_command(port)  # the app's own flags, another script
        cmd[cmd.index("run") + 1] = str(bare_app)
        return cmd

    def app_cmd(port: int, folder: Path) -> list[str]:
        return [sys.executable, "-m", "dashboard.cli", "run", "--db",
                str(folder / "app.duckdb"), "--port", str(port), "--headless"]

    out: dict[str, list[dict]] = {"app": [], "bare": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            def app(k: int) -> None:
                out["app"].append(_first_chart(browser, app_cmd, base / f"app-{k}"))

            def bare(k: int) -> None:
                out["bare"].append(_first_chart(browser, bare_cmd, base / f"bare-{k}"))

            _alternate(int(repeat), bare, app)
        finally:
            browser.close()
    return out


def part_g(work: Work, results: Results) -> None:
    what = "g. app start → first chart drawn (sample data, fresh database)"
    folder = work.folder / "app-start"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        answer = run_worker("app", str(folder), str(work.repeat))
    except Exception as error:  # noqa: BLE001
        results.failed("g", what, error)
        return
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    app = statistics.median(r["chart"] for r in answer["app"])
    bare = statistics.median(r["chart"] for r in answer["bare"])
    health = statistics.median(r["health"] for r in answer["app"])
    results.add(what, _s(app), f"≤ {TARGETS['app_s']} s", app <= TARGETS["app_s"],
                baseline=f"{_s(bare)} (bare Streamlit app, one chart)", ratio=_ratio(app, bare))
    results.sections.append(
        f"* {what}: runs {_runs([r['chart'] for r in answer['app']])} (server answering after "
        f"{_runs([r['health'] for r in answer['app']])}, median {_s(health)}); bare app runs "
        f"{_runs([r['chart'] for r in answer['bare']])}")


# ── the command ─────────────────────────────────────────────────────────────────────────

def _versions() -> str:
    import duckdb
    import pandas
    import plotly
    import streamlit

    return (f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, pandas "
            f"{pandas.__version__}, Streamlit {streamlit.__version__}, plotly "
            f"{plotly.__version__}")


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {memory:.0f} GB, load average at start {load}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (3)")
    parser.add_argument("--sizes", default="1k,100k,1m",
                        help="CSV sizes, of 1k,100k,1m (default all); d, e, f and the memory "
                             "use the largest")
    parser.add_argument("--quick", action="store_true", help="same as --sizes 1k,100k")
    parser.add_argument("--only", default=PARTS,
                        help="the parts to run, e.g. a,d (default all: a,b,c,d,e,f,g; c comes "
                             "with a)")
    parser.add_argument("--keep", metavar="DIR",
                        help="write trackers and databases here and keep them (generated "
                             "trackers found here are reused)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out" / "results.md"),
                        metavar="FILE.md", help="where to write the results (default "
                                                "benchmarks/out/results.md)")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "1k,100k"
    args.sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    if unknown := [s for s in args.sizes if s not in SIZES]:
        parser.error(f"unknown size(s) {unknown}; choose from {', '.join(SIZES)}")
    args.only = "".join(p for p in args.only.lower() if p in PARTS)
    if "c" in args.only and "a" not in args.only:
        args.only += "a"  # the memory is measured on part a's runs
    if not args.only or not args.sizes:
        parser.error("nothing to run")
    return args


WORKERS = {"ingest": worker_ingest, "pages": worker_pages, "derive": worker_derive,
           "app": worker_app}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        name, *rest = args.worker
        print("\n" + RESULT + json.dumps(WORKERS[name](*rest)))
        return
    started = dt.datetime.now()
    header = (f"Run {started:%Y-%m-%d %H:%M}; {_machine()}; {_versions()}; "
              f"{args.repeat} runs each; sizes {', '.join(args.sizes)}; parts "
              f"{', '.join(sorted(args.only))}.")
    print(header, flush=True)
    results = Results()
    with tempfile.TemporaryDirectory(prefix="silverlining-bench-") as temp:
        folder = Path(args.keep).expanduser() if args.keep else Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        work = Work(folder, args.repeat, args.sizes)
        steps = [("a", lambda: part_a_c(work, results)), ("b", lambda: part_b(work, results)),
                 ("d", lambda: part_d(work, results)),
                 ("ef", lambda: part_e_f(work, results,
                                         "".join(p for p in "ef" if p in args.only))),
                 ("g", lambda: part_g(work, results))]
        for parts, step in steps:
            if not any(p in args.only for p in parts):
                continue
            start = time.perf_counter()
            print(f"[{'/'.join(p for p in parts if p in args.only)}] "
                  f"{dt.datetime.now():%H:%M:%S}", flush=True)
            try:
                step()
            except Exception as error:  # noqa: BLE001 (a broken step must not lose the rest)
                results.failed(parts, f"part {parts}", error)
            print(f"    ({_s(time.perf_counter() - start)})", flush=True)
        if not args.keep:
            for path in folder.glob("*.duckdb*"):
                path.unlink()
    took = (dt.datetime.now() - started).total_seconds() / 60
    text = "\n".join([f"# Silver Lining benchmarks\n\n{header} Took {took:.0f} min.\n",
                      results.table(), "", "## Runs and profile", "", *results.sections,
                      *(["", "## Failures", "", *results.failures] if results.failures else []),
                      ""])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"written to {out}")


if __name__ == "__main__":
    main()

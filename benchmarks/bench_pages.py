"""Benchmark: how long a page takes to re-run after a filter change.

Runs each dashboard page headless (Streamlit's AppTest, the same script run a browser
triggers), changes the sidebar's outcome filter back and forth, and reports the median
re-run time: on the sample tracker (150 applications) and on a generated database of
N applications (default 100,000). Not a test: `python benchmarks/bench_pages.py`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import make_tracker  # noqa: E402
from streamlit import config  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from pipelines.edits.demo import load_demo  # noqa: E402
from pipelines.ingest.importer import ingest_file  # noqa: E402
from pipelines.store.db import connect  # noqa: E402

config.set_option("server.address", "127.0.0.1")  # as served by `silverlining run`: no password
PAGES = ["views/overview.py", "views/stages.py", "views/applications.py"]
CHOICES = [["rejected"], [], ["active", "offer"], []]


def _page_reruns(page: str, repeat: int) -> list[float]:
    """Seconds of each re-run after a filter change on one page (the first load excluded)."""
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(page)
    at.run()
    times = []
    for k in range(repeat):
        at.multiselect(key="f_outcomes").set_value(CHOICES[k % len(CHOICES)])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            sys.exit(f"{page}: {at.exception}")
    return times


def _database(folder: Path, rows: int | None) -> Path:
    path = folder / f"bench_{rows or 'sample'}.duckdb"
    con = connect(path)
    con.execute("INSERT INTO app_state VALUES ('started', 'bench')")
    if rows is None:
        load_demo(con)
    else:
        tracker = folder / "tracker.csv"
        make_tracker(tracker, rows)
        ingest_file(con, tracker)
    con.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for label, rows in (("sample (150)", None), (f"{args.rows:,} applications", args.rows)):
            os.environ["SILVERLINING_DB"] = str(_database(Path(folder), rows))
            for page in PAGES:
                times = _page_reruns(page, args.repeat)
                first, rest = times[0], times[1:]
                print(f"{label:>22} {page:<24} first change {first * 1000:6.0f} ms, "
                      f"median after {statistics.median(rest) * 1000:6.0f} ms "
                      f"(n={len(rest)})")


if __name__ == "__main__":
    main()

"""How far one machine goes: ingestion time, peak memory, database size and the heaviest
page's cold data work for growing trackers (docs/scaling.md). One run per size: this shows
how the costs grow, the ratios with their baselines are in run.py. Not a test.

  python benchmarks/bench_ceiling.py --sizes 1000000,2000000,4000000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from trackers import make_csv  # noqa: E402

# The Feedback themes page's and the Rejection stages page's queries, cold, in a new process.
PAGE = """
import sys, time
from dashboard import queries as q
from dashboard.filters import Filters
from pipelines.store.db import connect
con = connect(sys.argv[1]); F = Filters(); start = time.perf_counter()
for name in ("kpis", "stage_flow", "funnel", "rejections_by_stage", "segment_conversion",
             "feedback_summary", "theme_counts", "themes_by_stage", "themes_over_time"):
    fn = getattr(q, name)
    fn(con, F, "Source") if name == "segment_conversion" else fn(con, F)
print(time.perf_counter() - start)
"""


def _child(cmd: list[str]) -> tuple[float, float, str]:
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    out = child.stdout.read().decode()
    if status:
        sys.exit(f"failed: {' '.join(cmd)}\n{child.stderr.read().decode()}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,2000000,4000000")
    args = parser.parse_args()
    print("| applications | CSV | ingest | peak memory | database | 9 queries, cold |")
    print("|---|---|---|---|---|---|")
    for rows in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            csv, db = Path(folder) / "tracker.csv", Path(folder) / "db.duckdb"
            make_csv(csv, rows)
            seconds, peak, _ = _child([sys.executable, "-m", "dashboard.cli", "ingest",
                                       str(csv), "--db", str(db)])
            _, _, page = _child([sys.executable, "-c", PAGE, str(db)])
            print(f"| {rows:,} | {csv.stat().st_size / 2**20:,.0f} MB | {seconds:.1f} s | "
                  f"{peak:,.0f} MB | {db.stat().st_size / 2**20:,.0f} MB | "
                  f"{float(page) * 1000:,.0f} ms |", flush=True)


if __name__ == "__main__":
    main()

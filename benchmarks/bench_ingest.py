"""Benchmark: `silverlining ingest` against a bare read of the same file.

Generates a tracker of N rows (default 1,000,000) shaped like a real one (free-text
statuses, US dates, salaries as text, feedback notes), then runs, each in a fresh
process and a fresh database file:

  bare    CREATE TABLE t AS SELECT * FROM read_csv('tracker.csv')
  ingest  silverlining ingest tracker.csv

and reports wall time and peak memory (max RSS) of each, and the ratio, measured in
the same run. With --xlsx the tracker (default 100,000 rows) is a workbook, its dates and
sizes typed cells, and the bare read is pandas.read_excel(path, engine="calamine").
Not a test: run it with `make bench` or
`python benchmarks/bench_ingest.py [--rows N] [--repeat K] [--xlsx]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

STATUSES = ["Applied", "Rejected", "rejected", "Rejected after phone screen",
            "Rejected after 2nd interview", "Rejected - final round", "No response",
            "Ghosted 👻", "Withdrew", "Phone screen scheduled", "Interview", "Final round",
            "Offer!! 🎉", "Not selected", "reeejected", "In progress", "Awaiting recruiter action",
            "Technical interview", "Onsite", "abgesagt", "Offer - declined", "Coding challenge"]
FEEDBACK = ["", "", "", "Thank you for your interest. We have decided to move forward with "
            "other candidates whose experience more closely matches our needs.",
            "Looking for someone with more experience leading large teams.",
            "Strong candidate, but we went with an internal hire.",
            "Role put on hold due to a hiring freeze.",
            "Answers were too high level; wanted more metrics.\nWould consider for future roles."]
SALARIES = ["", "$120k-$140k", "95,000", "DOE", "$60/hr", "€55.000", "£45k - £55k"]
SOURCES = ["LinkedIn", "Company site", "Referral", "Indeed", "Recruiter"]
TITLES = ["Director of Communications", "Senior Data Analyst", "Software Engineer",
          "Product Manager", "Communications Manager", "Head of Marketing", "Data Scientist",
          "Senior Software Engineer, Platform", "VP Communications", "UX Designer"]


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def make_tracker(path: Path, rows: int) -> None:
    """Write a deterministic CSV tracker of ``rows`` applications to ``path``."""
    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)")
    pick = "{lst}[1 + (hash(i * {salt}) % len({lst}))::INT]"
    con.execute(f"""COPY (
        SELECT 'Company ' || (hash(i * 7) % 20000)::VARCHAR ||
                   CASE WHEN i % 5 = 0 THEN ' Inc.' ELSE '' END AS "Company",
               {pick.format(lst=_sql_list(TITLES), salt=3)} AS "Job Title",
               strftime(DATE '2023-01-01' + (hash(i * 11) % 900)::INT, '%-m/%-d/%Y')
                   AS "Date Applied",
               {pick.format(lst=_sql_list(STATUSES), salt=5)} AS "Status",
               strftime(DATE '2023-02-01' + (hash(i * 13) % 900)::INT, '%Y-%m-%d')
                   AS "Last Update",
               {pick.format(lst=_sql_list(FEEDBACK), salt=17)} AS "Feedback",
               'City ' || (hash(i * 19) % 300)::VARCHAR AS "Location",
               {pick.format(lst=_sql_list(SALARIES), salt=23)} AS "Salary",
               {pick.format(lst=_sql_list(SOURCES), salt=29)} AS "Source",
               ((hash(i * 31) % 50000) + 5)::VARCHAR AS "Org Size",
               'https://jobs.example.com/' || i::VARCHAR AS "Job URL"
        FROM range({rows}) t(i)) TO '{path}' (HEADER, DELIMITER ',')""")
    con.close()


def make_workbook(csv: Path, path: Path) -> None:
    """Write the tracker in ``csv`` as a workbook: dates as date cells, sizes as numbers."""
    import csv as csv_module
    import datetime as dt

    import xlsxwriter  # the test extra

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Applications")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    with open(csv, newline="", encoding="utf-8") as handle:
        for r, row in enumerate(csv_module.reader(handle)):
            for c, value in enumerate(row):
                if r and c in (2, 4) and value:  # Date Applied (m/d/Y), Last Update (ISO)
                    m, d, y = value.split("/") if "/" in value else (value[5:7], value[8:],
                                                                      value[:4])
                    sheet.write_datetime(r, c, dt.datetime(int(y), int(m), int(d)), day)
                elif r and c == 9 and value:  # Org Size
                    sheet.write_number(r, c, int(value))
                elif value:
                    sheet.write_string(r, c, value)
    book.close()


BARE = ("import duckdb, sys; con = duckdb.connect(sys.argv[2]); "
        "con.execute(\"CREATE TABLE t AS SELECT * FROM read_csv(?)\", [sys.argv[1]]); "
        "print(con.execute('SELECT count(*) FROM t').fetchone()[0])")
BARE_XLSX = ("import pandas as pd, sys; "
             "print(len(pd.read_excel(sys.argv[1], engine='calamine')))")


def _run(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd`` in a child process; return (seconds, that child's peak RSS in MB)."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{child.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def measure(tracker: Path, work: Path, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """Alternate bare and ingest runs ``repeat`` times, each into a new database file."""
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "ingest": []}
    bare = BARE_XLSX if tracker.suffix == ".xlsx" else BARE
    for k in range(repeat):
        bare_db, ingest_db = work / f"bare{k}.duckdb", work / f"ingest{k}.duckdb"
        results["bare"].append(_run([sys.executable, "-c", bare, str(tracker), str(bare_db)]))
        results["ingest"].append(_run([sys.executable, "-m", "dashboard.cli", "ingest",
                                       str(tracker), "--db", str(ingest_db)]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help="default 1,000,000 (100,000 with --xlsx)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--xlsx", action="store_true",
                        help="a workbook against pandas.read_excel (needs xlsxwriter)")
    args = parser.parse_args()
    rows = args.rows or (100_000 if args.xlsx else 1_000_000)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        tracker = work / "tracker.csv"
        make_tracker(tracker, rows)
        if args.xlsx:
            make_workbook(tracker, work / "tracker.xlsx")
            tracker = work / "tracker.xlsx"
        size = tracker.stat().st_size / (1 << 20)
        print(f"tracker: {rows:,} rows, {size:,.0f} MB ({tracker.suffix[1:]})")
        results = measure(tracker, work, args.repeat)
    bare = statistics.median(t for t, _ in results["bare"])
    ingest = statistics.median(t for t, _ in results["ingest"])
    print(f"bare {'read_excel' if args.xlsx else 'read_csv CTAS'}: median {bare:6.2f} s  runs "
          + ", ".join(f"{t:.2f}" for t, _ in results["bare"]))
    print(f"silverlining ingest: median {ingest:6.2f} s  runs "
          + ", ".join(f"{t:.2f}" for t, _ in results["ingest"]))
    print(f"ratio ingest / bare: {ingest / bare:.2f}x (target ≤ {1.5 if args.xlsx else 2.0}x)")
    print(f"peak memory, bare  : {max(m for _, m in results['bare']):,.0f} MB")
    print(f"peak memory, ingest: {max(m for _, m in results['ingest']):,.0f} MB "
          "(target < 1,536 MB)")


if __name__ == "__main__":
    main()

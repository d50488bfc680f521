"""Benchmark: tagging feedback with themes at scale.

Builds feedback texts the way real trackers repeat them (a few hundred phrasings filled in
with companies, roles and numbers) and measures, in one run:
  * tagging 1,000,000 feedback rows holding about 20,000 distinct texts: learn the distinct
    texts in DuckDB, classify them once, join the tags back to every row;
  * classifying 100,000 distinct texts.
Not a test: `python benchmarks/bench_themes.py`.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.derive.themes import classify_texts, default_codebook  # noqa: E402

PHRASES = [
    "We went with a candidate with more {n} years of experience in {area}.",
    "Salary expectations of {k}k were above the budget for this role.",
    "Good culture fit, but leadership of a {n}-person team was missing.",
    "Thank you for your interest in {co}. After careful consideration we decided not to "
    "move forward.",
    "The {role} position at {co} has been put on hold due to a hiring freeze.",
    "Filled internally at {co}.", "Answers were too high level; wanted more metrics.",
    "Needs {tool} and I have not used it.", "follow up with {co} on Friday",
    "They need someone on site in {city} and I can't relocate.",
    "No concerns about your technical skills; business acumen and P&L ownership were light.",
    "Overqualified for the {role} role at {co}.", "didn't research {co}'s product, no questions",
]
FILL = {"n": range(2, 30), "k": range(60, 250, 5), "area": ["fintech", "healthcare", "retail",
        "public sector", "B2B SaaS"], "co": [f"Company {i}" for i in range(400)],
        "role": ["analyst", "director", "engineer", "manager"], "tool": ["SQL", "Tableau",
        "Salesforce", "Python"], "city": ["Berlin", "Austin", "Leeds", "Pune"]}


def texts(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct feedback texts."""
    seen: set[str] = set()
    while len(seen) < count:
        phrase = rng.choice(PHRASES)
        values = {k: rng.choice(list(v)) for k, v in FILL.items()}
        seen.add(phrase.format(**values) + ("" if rng.random() < 0.7 else
                                             f" (call {rng.randrange(10**6)})"))
    return sorted(seen)


def main() -> None:
    rng = random.Random(7)
    codebook = default_codebook()
    distinct = texts(20_000, rng)
    con = duckdb.connect()
    con.execute("CREATE TABLE feedback AS SELECT i AS application_id, "
                "(?)[1 + (hash(i) % ?)::INT] AS text FROM range(1000000) t(i)",
                [distinct, len(distinct)])
    start = time.perf_counter()
    values = pd.Series([r[0] for r in con.execute("SELECT DISTINCT text FROM feedback")
                        .fetchall()], dtype=object)
    tags = classify_texts(values, codebook)
    con.register("tags", tags)
    rows = con.execute("SELECT count(*) FROM feedback JOIN tags USING (text)").fetchall()[0][0]
    seconds = time.perf_counter() - start
    print(f"1,000,000 rows, {len(values):,} distinct texts: {seconds:.2f} s "
          f"({rows:,} (row, theme) tags)")
    many = pd.Series(texts(100_000, random.Random(11)), dtype=object)
    start = time.perf_counter()
    tags = classify_texts(many, codebook)
    print(f"100,000 distinct texts: {time.perf_counter() - start:.2f} s "
          f"({len(tags):,} (text, theme) tags)")


if __name__ == "__main__":
    main()

"""A screenshot of the report for a coach on the demo data, for the README.

Run from anywhere: ``python docs/take_report_screenshot.py``. Loads the demo data (Dana's
tracker, coach sessions and plan) into a fresh temporary database, builds the report, opens
it from file:// at 1200 px wide in headless Chromium (Debian's /usr/bin/chromium, or
$CHROMIUM) and writes a full-page PNG to docs/screenshots/report.png. Needs playwright
(pip install -e '.[test]').
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard.report import build_report  # noqa: E402
from pipelines.edits.demo import load_demo  # noqa: E402
from pipelines.store.db import connect  # noqa: E402

OUT = REPO / "docs" / "screenshots" / "report.png"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def demo_report(folder: Path) -> Path:
    """The demo data as a report file."""
    con = connect(folder / "demo.duckdb")
    load_demo(con)
    path = folder / "report.html"
    path.write_text(build_report(con, title="Job search report: Dana"), encoding="utf-8")
    con.close()
    return path


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="silverlining-report-") as tmp:
        report = demo_report(Path(tmp))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_context(offline=True, viewport={"width": 1200,
                                                               "height": 1000}).new_page()
            page.goto(report.as_uri())
            charts = page.locator("div.plotly-graph-div")
            charts.first.wait_for(timeout=15_000)
            for i in range(charts.count()):
                charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=15_000)
            page.wait_for_timeout(1000)  # plotly's transitions
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()

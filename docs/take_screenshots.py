"""Screenshots of the four dashboard pages on the demo data, for the README.

Run from anywhere: ``python docs/take_screenshots.py``. Starts the app on a fresh temporary
database (so it loads the demo tracker), opens each page at 1400x1000 in headless Chromium
(Debian's /usr/bin/chromium, or $CHROMIUM) and writes full-page PNGs to docs/screenshots/.

``python docs/take_screenshots.py --workspace FOLDER --client NAME`` instead serves a coach's
workspace, chooses that client and writes only ``cohort.png``: the "Beside the other
clients" part of the Coach review page (it needs five clients with applications).
Needs playwright (pip install -e '.[test]') and, for the icons, an emoji font
(apt-get install fonts-noto-color-emoji).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.app_server import serving  # noqa: E402

OUT = REPO / "docs" / "screenshots"
PAGES = [("overview.png", "Overview"), ("stages.png", "Rejection stages"),
         ("themes.png", "Feedback themes"), ("scope.png", "Scope fit"),
         ("preparation.png", "Preparation"), ("plan.png", "Development plan"),
         ("review.png", "Coach review"),
         ("applications.png", "Applications"), ("import.png", "Import")]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# A small tracker for the Import page's screenshot: US dates, free-text statuses, one status
# no rule knows, so the report and the 'statuses not understood' table show.
UPLOAD = """My job search,,,,
,,,,
Company,Role,Date Applied,Status,Notes
Northwind,Data Analyst,3/3/2025,Rejected after phone screen,Asked about SQL depth
Contoso,BI Developer,3/5/2025,Ghosted,
Fabrikam,Analytics Engineer,3/9/2025,Interview scheduled,Panel of 3
Tailspin,Data Analyst II,3/14/2025,Offer!! 🎉,
Wingtip,Reporting Analyst,3/17/2025,On the shortlist (HR said),
Litware,Data Scientist,3/21/2025,Rejected,Form letter
Adatum,Analyst,3/24/2025,Pool B,
Total,7,,,
"""


def settle(page) -> None:
    """Wait for the script run to finish and the charts to be drawn."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=30_000)
    charts = page.locator(".js-plotly-plot")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=15_000)
    page.wait_for_timeout(1000)  # plotly's transitions


def upload(page, folder: Path) -> None:
    """Upload the small tracker, look at the preview, import it."""
    path = folder / "my_tracker.csv"
    path.write_text(UPLOAD, encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(path))
    settle(page)
    page.get_by_role("button", name="Import my_tracker.csv").click()
    settle(page)


def _chromium() -> str:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def cohort(folder: Path, client: str) -> None:
    """cohort.png: the cohort part of Coach review for ``client`` of the workspace."""
    with tempfile.TemporaryDirectory(prefix="silverlining-shots-") as tmp:
        with serving(Path(tmp), workspace=folder) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_chromium(),
                                                 args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            settle(page)
            page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name=client, exact=True).click()
            settle(page)
            page.locator('[data-testid="stSidebarNav"] a').filter(
                has_text="Coach review").first.click()
            settle(page)
            height = page.locator('[data-testid="stMain"]').evaluate(
                "main => main.scrollHeight")
            page.set_viewport_size({"width": 1400, "height": max(1000, height)})
            settle(page)
            top = page.get_by_role("heading", name="Beside the other clients").bounding_box()
            main = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()
            end = page.locator('[data-testid="stCaptionContainer"]').last.bounding_box()
            page.screenshot(path=str(OUT / "cohort.png"), full_page=True,
                            clip={"x": main["x"], "y": top["y"] - 16, "width": main["width"],
                                  "height": end["y"] + end["height"] - top["y"] + 40})
            browser.close()
    print(f"wrote {(OUT / 'cohort.png').relative_to(REPO)}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = _chromium()
    with tempfile.TemporaryDirectory(prefix="silverlining-shots-") as tmp:
        with serving(Path(tmp)) as url:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium,
                                                     args=CHROMIUM_ARGS)
                for filename, title in PAGES:  # one session each, from the home page
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.goto(url)
                    settle(page)
                    if title != PAGES[0][1]:
                        page.locator('[data-testid="stSidebarNav"] a').filter(
                            has_text=title).first.click()
                        settle(page)
                    page.get_by_role("heading", name=title).first.wait_for(timeout=15_000)
                    settle(page)
                    if title == "Import":
                        upload(page, Path(tmp))
                    # The main area scrolls inside the window: grow the window to fit it.
                    height = page.locator('[data-testid="stMain"]').evaluate(
                        "main => main.scrollHeight")
                    page.set_viewport_size({"width": 1400, "height": max(1000, height)})
                    settle(page)
                    page.screenshot(path=str(OUT / filename), full_page=True)
                    page.close()
                    print(f"wrote {(OUT / filename).relative_to(REPO)}")
                browser.close()


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--workspace", type=Path, help="a coach's workspace folder")
    arguments.add_argument("--client", help="the client to show, as named in the app")
    given = arguments.parse_args()
    if given.workspace:
        cohort(given.workspace, given.client or "")
    else:
        main()

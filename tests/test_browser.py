"""End to end in headless Chromium: start the dashboard on a fresh database, upload a tracker on
the Import page, read the Sankey on 'Rejection stages', narrow it with a sidebar filter, see
the feedback themes with marked quotes and the Scope fit charts, and check that the browser
never talked to any host but the app's own 127.0.0.1:port."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import served_or_fail

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# About 30 applications as people really write them: free-text dates, chatty statuses.
STATUSES = ["Rejected after phone screen", "Ghosted", "Offer!", "Interview", "rejected",
            "No response", "Rejected - final round", "Applied", "withdrew", "Phone screen",
            "Rejected after 2nd interview", "ghosted :("]
DATES = ["March 3, 2025", "3/14/2025", "2025-03-20", "21 Mar 2025", "April 2 2025",
         "4/11/2025", "2025-04-18", "May 5, 2025", "12 May 2025", "2025-05-27"]


def _tracker(folder: Path) -> Path:
    rows = ["Company,Role,Date applied,Status,Notes"]
    for i in range(30):
        rows.append(f"Company {chr(65 + i % 26)}{i},Analyst {i % 4},\"{DATES[i % len(DATES)]}\","
                    f"{STATUSES[i % len(STATUSES)]},note {i}")
    path = folder / "my_tracker.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The dashboard on a free port with a fresh database and HOME; stopped afterwards."""
    yield from served_or_fail(tmp_path_factory.mktemp("browser"))


def _record_host(hosts: list[str], url: str) -> None:
    """Note the host and port a network request went to (data: and blob: URLs stay in the
    browser)."""
    parts = urlparse(url)
    if parts.scheme not in ("data", "blob", "about"):
        hosts.append(parts.netloc or url)


def _record_traffic(context, hosts: list[str]) -> None:
    """Note in ``hosts`` where every request and WebSocket of the context's pages goes
    (register before opening a page)."""
    context.on("request", lambda request: _record_host(hosts, request.url))
    context.on("page", lambda page: page.on(
        "websocket", lambda socket: _record_host(hosts, socket.url)))


def _watched_page(browser, hosts: list[str], errors: list[str]):
    """A new context and page whose traffic is noted in ``hosts`` (``_record_traffic``) and
    whose JavaScript errors in ``errors``; close the context when done."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    _record_traffic(context, hosts)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page


def _foreign(hosts: list[str], app_url: str) -> list[str]:
    """The hosts (host:port) recorded that are not the app's own."""
    return sorted({host for host in hosts if host != urlparse(app_url).netloc})


def _settle(page) -> None:
    """Wait for the script run an action started to finish, and for its charts."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=30_000)
    if page.locator(".js-plotly-plot").count():
        page.wait_for_selector(".js-plotly-plot svg.main-svg", timeout=15_000)
        page.wait_for_timeout(300)


def _no_exception(page, where: str) -> None:
    shown = page.locator('[data-testid="stException"]')
    assert not shown.count(), f"{where}: the app shows an error:\n{shown.first.inner_text()}"


def _goto_page(page, title: str) -> None:
    """Navigate inside the app (one session, as a user clicks), not by URL."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    _settle(page)
    page.get_by_role("heading", name=title).first.wait_for(timeout=15_000)
    _no_exception(page, title)


def _sankey_labels(page) -> list[str]:
    page.wait_for_selector("g.sankey .node-label", timeout=15_000)
    return page.locator("g.sankey .node-label").all_text_contents()


def _changed_labels(page, before: list[str]) -> list[str]:
    deadline = time.monotonic() + 20
    while True:
        labels = _sankey_labels(page)
        if labels != before or time.monotonic() > deadline:
            return labels
        page.wait_for_timeout(250)


def test_import_then_stages_and_filter(browser, app_url, tmp_path):
    """Import, Rejection stages, a filter, Feedback themes and Scope fit work in Chromium
    and the browser talks to no host but this computer."""
    from playwright.sync_api import expect

    tracker = _tracker(tmp_path)
    hosts: list[str] = []
    errors: list[str] = []
    context, page = _watched_page(browser, hosts, errors)
    try:
        # A bookmarked page as the server's first visitor: the app's own navigation, and
        # the demo data loaded (150 applications).
        page.goto(f"{app_url}/stages")
        _settle(page)
        nav = page.locator('[data-testid="stSidebarNav"]')
        opened_alone = ("a page opened by URL on a fresh server ran without app.py: Streamlit "
                        "found dashboard/pages/ by itself")
        expect(nav, opened_alone).to_contain_text("Rejection stages")
        expect(nav, opened_alone).to_contain_text("Import")
        _no_exception(page, "Rejection stages (opened by URL)")
        demo = _sankey_labels(page)

        # Import: upload, preview, import, report.
        _goto_page(page, "Import")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            str(tracker))
        _settle(page)
        button = page.get_by_role("button", name=f"Import {tracker.name}")
        expect(button).to_be_visible(timeout=30_000)
        button.click()
        _settle(page)
        success = page.locator('[data-testid="stAlert"]').filter(has_text=tracker.name)
        expect(success).to_contain_text(re.compile(r"30 applications"), timeout=30_000)
        expect(page.get_by_text("Import report")).to_be_visible()
        _no_exception(page, "Import")

        # Rejection stages: the Sankey is drawn with numbers on its nodes, imports included.
        _goto_page(page, "Rejection stages")
        before = _changed_labels(page, demo)
        assert before != demo, "the Sankey did not change after the import"
        assert len(before) >= 3, before
        assert all(re.search(r"\d", label) for label in before), before

        # Narrow to one outcome in the sidebar: the Sankey changes.
        outcome = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]'
                               ).filter(has_text="Outcome").first
        outcome.locator("input").click()
        page.get_by_role("option").filter(has_text=re.compile("reject", re.I)).first.click()
        page.keyboard.press("Escape")
        _settle(page)
        after = _changed_labels(page, before)
        assert after != before, "the Sankey did not change with the Outcome filter"
        _no_exception(page, "Rejection stages (filtered)")

        # Feedback themes: the reasons chart is drawn and a quote has its words marked.
        _goto_page(page, "Feedback themes")
        page.locator(".js-plotly-plot").first.locator("svg.main-svg").first.wait_for(
            timeout=15_000)
        expect(page.locator("mark").first).to_be_visible(timeout=15_000)
        _no_exception(page, "Feedback themes")

        # Scope fit: Dana's role, and its four charts drawn with their marks.
        _goto_page(page, "Scope fit")
        expect(page.get_by_text("Your current role: VP of Communications")).to_be_visible()
        plots = page.locator(".js-plotly-plot")
        expect(plots).to_have_count(4, timeout=15_000)
        for i in range(4):
            plots.nth(i).locator("svg.main-svg").first.wait_for(timeout=15_000)
        scatter, by_stretch, by_size, grid = (plots.nth(i) for i in range(4))
        assert scatter.locator(".scatterlayer .trace .point").count() > 10
        for bars in (by_stretch, by_size):
            assert bars.locator(".barlayer .point").count() >= 2
        assert grid.locator(".heatmaplayer .hm image").count() == 1
        cells = grid.locator(".heatmap-label text").all_text_contents()
        assert len(cells) >= 2 and all(re.fullmatch(r"\d+/\d+", c) for c in cells), cells
        expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
        _no_exception(page, "Scope fit")
        assert not errors, errors
    finally:
        context.close()

    foreign = _foreign(hosts, app_url)
    assert hosts and not foreign, f"the browser contacted other hosts: {foreign}"

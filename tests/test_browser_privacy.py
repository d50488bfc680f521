"""Privacy in headless Chromium: every page of the app talks to the app's own 127.0.0.1:port
and nothing else, and a dashboard listening on every address shows the password form and no
data until the right password is entered. Helpers come from tests/test_browser.py."""

from __future__ import annotations

import base64
import os
import socket
from urllib.parse import urlparse

import pytest

from dashboard import access
from tests.conftest import served_or_fail
from tests.test_browser import _foreign, _goto_page, _no_exception, _settle, _watched_page

pytestmark = pytest.mark.browser

PAGES = ["Overview", "Rejection stages", "Feedback themes", "Scope fit", "Preparation",
         "Development plan", "Coach review", "Applications", "Import"]
SECRET = "correct horse battery"
PASSWORD = 'input[type="password"]'


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The dashboard on 127.0.0.1, a free port and a fresh database (the demo data)."""
    yield from served_or_fail(tmp_path_factory.mktemp("every-page"))


@pytest.fixture(scope="module")
def shared_url(tmp_path_factory):
    """The dashboard listening on 0.0.0.0 with the password SECRET set (reached, like every
    test here, through 127.0.0.1 only)."""
    folder = tmp_path_factory.mktemp("shared")
    password = access.save_password(SECRET, folder / "password.json")
    yield from served_or_fail(folder, address="0.0.0.0", env={access.FILE_ENV: str(password)})


def test_every_page_talks_only_to_the_app(browser, app_url):
    """Visiting all nine pages of the sidebar, every request and WebSocket the browser makes
    goes to the app's own 127.0.0.1:port: no fonts, scripts, maps or telemetry elsewhere."""
    hosts: list[str] = []
    errors: list[str] = []
    context, page = _watched_page(browser, hosts, errors)
    try:
        page.goto(app_url)
        _settle(page)
        nav = page.locator('[data-testid="stSidebarNav"] a').all_text_contents()
        assert len(nav) == len(PAGES) and all(
            name.strip().endswith(title) for name, title in zip(nav, PAGES, strict=True)), nav
        for title in PAGES:
            _goto_page(page, title)
        assert not errors, errors
    finally:
        context.close()
    print(f"{len(hosts)} requests and WebSockets, to {sorted(set(hosts))}")
    assert len(hosts) > 20, hosts  # the page, its assets, the WebSocket: recorded
    foreign = _foreign(hosts, app_url)
    assert not foreign, f"the browser contacted other hosts: {foreign}"


def _upgrade(app_url: str, host: str) -> str:
    """The status line the app answers to a WebSocket upgrade sent with this Host header."""
    port = urlparse(app_url).port
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall((
            f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Origin: http://{host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: streamlit\r\n\r\n").encode())
        return connection.recv(200).split(b"\r\n")[0].decode()


def test_a_site_that_rebinds_its_name_to_this_computer_gets_no_data(app_url):
    """On 127.0.0.1 the app's WebSocket (where all data goes) answers only this computer's
    names: a web page whose own name now points at 127.0.0.1 (DNS rebinding) is refused."""
    assert _upgrade(app_url, "127.0.0.1").endswith("101 Switching Protocols")
    assert _upgrade(app_url, "localhost").endswith("101 Switching Protocols")
    assert _upgrade(app_url, "attacker.example").endswith("403 Forbidden")


def _locked(page) -> None:
    """The page shows the password form and nothing of the data or the navigation."""
    page.locator(PASSWORD).wait_for(timeout=30_000)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator(".js-plotly-plot").count() == 0
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "demo data" not in text and "Dana" not in text


def _enter(page, password: str) -> None:
    page.locator(PASSWORD).fill(password)
    page.get_by_role("button", name="Unlock").click()
    _settle(page)


def test_a_shared_dashboard_asks_every_browser_for_the_password(browser, shared_url):
    """Listening on 0.0.0.0: a browser sees only the password form (and data routes answer
    403); a wrong password is refused and shows nothing; the right one shows the dashboard,
    also after a reload; another browser is asked again."""
    from playwright.sync_api import expect

    hosts: list[str] = []
    errors: list[str] = []
    context, page = _watched_page(browser, hosts, errors)
    try:
        page.goto(f"{shared_url}/stages")
        _settle(page)
        _locked(page)
        assert page.request.get(f"{shared_url}/_stcore/metrics").status == 403

        _enter(page, "not the password")
        expect(page.get_by_text("Wrong password")).to_be_visible()
        _locked(page)

        page.wait_for_timeout(1_200)  # a wrong password costs its address a second's wait
        _enter(page, SECRET)
        expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text("Import")
        page.locator(".js-plotly-plot svg.main-svg").first.wait_for(timeout=30_000)
        assert page.locator(PASSWORD).count() == 0
        _no_exception(page, "after the password")
        assert page.request.get(f"{shared_url}/_stcore/metrics").status == 200

        page.reload()  # the same browser: its cookie is unlocked
        _settle(page)
        expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text("Import")
        assert page.locator(PASSWORD).count() == 0
        assert not errors, errors
    finally:
        context.close()
    assert not _foreign(hosts, shared_url)

    other = browser.new_context()
    try:
        page = other.new_page()
        page.goto(shared_url)
        _settle(page)
        _locked(page)
    finally:
        other.close()

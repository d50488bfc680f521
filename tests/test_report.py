"""The report for a coach: one HTML file with every section and the numbers of a small tracker
checked by hand, user text escaped, the CSV export guarded against formula injection, the
``report`` command, and the file opened offline in headless Chromium."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html.parser import HTMLParser
from urllib.parse import urlparse

import pandas as pd
import pytest

from dashboard import queries as q
from dashboard.cli import main
from dashboard.exports import safe_csv
from dashboard.filters import Filters
from dashboard.report import build_report
from pipelines.edits.coaching import add_action, add_session
from pipelines.edits.codebook import update_theme
from pipelines.edits.corrections import save_profile
from pipelines.ingest.importer import ingest_file
from tests.conftest import write_text

D = dt.date
SCRIPT = "<script>alert(1)</script>"
EVIL = '=HYPERLINK("http://evil","x")'
EVIL_LABEL = "<b onmouseover=alert(3)>Leadership</b>"
EVIL_CSV = '"' + EVIL.replace('"', '""') + '"'   # the company as a CSV cell
# Six applications, checked by hand:
#   Acme     10 Jan  ghosted (no response)                   researched
#   Beta     20 Jan  screen, rejected 1 Feb  (12 days)         not researched
#   Gamma     1 Feb  interview, rejected 20 Feb (19 days)      researched; leadership
#   Delta     5 Mar  final round, rejected 25 Mar (20 days)    researched; internal candidate
#   Eps      10 Mar  offer 28 Mar (18 days)                    researched
#   =HYPERLINK 20 Mar  rejected 30 Mar (10 days)               unknown; <script>, leadership
# Applications 6; responded 5 (83%); interview or further 3 (50%); offer 1 (17%); median
# days to an answer: 10 12 18 19 20 → 18. Sankey: Applied 6, Screen 4 (67%), Interview 3
# (50%), Final round 2 (33%), Offer 1 (17%), Rejected 4 (67%), No response 1 (17%).
# Rejections 4, 3 with feedback, 3 naming a reason, 1 (Delta) only outside their control.
TRACKER = (
    "Company,Job Title,Date Applied,Status,Last Update,Feedback,Researched\n"
    "Acme,Analyst,2025-01-10,Ghosted,,,Yes\n"
    "Beta,Analyst,2025-01-20,Rejected after phone screen,2025-02-01,,No\n"
    "Gamma,Analyst,2025-02-01,Rejected after interview,2025-02-20,Needs leadership,Yes\n"
    "Delta,Analyst,2025-03-05,Rejected after final round,2025-03-25,"
    "We went with an internal candidate,Yes\n"
    "Eps,Analyst,2025-03-10,Offer,2025-03-28,,Yes\n"
    f"{EVIL_CSV},Analyst,2025-03-20,Rejected,2025-03-30,"
    f"\"{SCRIPT} Leadership gap\",\n")


@pytest.fixture
def tracked(con, tmp_path):
    """The small tracker with a coach session on 1 March (its action long overdue), an action
    due in 2099, and user text that looks like HTML in every place a user can type."""
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    add_session(con, D(2025, 3, 1), f"{SCRIPT}\nTalk about leadership",
                [("leadership", f"{SCRIPT} Write three STAR stories", D(2025, 3, 15))])
    add_action(con, "compensation", "Research the salary bands", target_on=D(2099, 1, 1),
               notes=SCRIPT)
    return con


class _Page(HTMLParser):
    """The tags and the visible text of an HTML document."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if not self._in_script and data.strip():
            self.text.append(data.strip())


def test_report_holds_every_section_and_the_numbers(tracked):
    """Every section is there, with the numbers worked out by hand at the top."""
    page = build_report(tracked)
    text = " | ".join(_Page(page).text)
    for section in ("headline", "stages", "themes", "scope", "preparation", "plan",
                    "sessions"):
        assert f'<section id="{section}">' in page
    assert "10 Jan 2025 – 20 Mar 2025" in text
    assert f"Generated | {dt.date.today().day} {dt.date.today():%b %Y}" in text
    for card in ("Applications | 6", "Response rate | 83% | 5 of 6", "Interview rate | 50% | "
                 "3 of 6", "Offer rate | 17% | 1 of 6", "Days to an answer | 18"):
        assert card in text
    for node in ("Applied", "Screen\\u003cbr\\u003e4 (67%)", "Interview\\u003cbr\\u003e3 (50%)",
                 "Final round\\u003cbr\\u003e2 (33%)", "Offer\\u003cbr\\u003e1 (17%)",
                 "Rejected\\u003cbr\\u003e4 (67%)", "No response\\u003cbr\\u003e1 (17%)"):
        assert node in page
    assert "Of 4 rejections, 3 came with feedback or notes and 3 name a reason. | 33% of " \
           "those were not about you | (1 of 3)" in text
    # since the session on 1 March: now Delta, Eps, =HYPERLINK; before (31 Jan – 28 Feb) Gamma
    assert "Applications | 1 | 3 | +2" in text
    assert "Interview rate | 100% | 67% | -33 pts" in text
    assert "Offer rate | 0% | 33% | +33 pts" in text
    # researched: Acme, Gamma, Delta, Eps (3 reached an interview); not: Beta (0 of 1)
    assert "Researched the company | reached an interview | 75% (3 of 4; few) | 0% (0 of " \
           "1; few)" in text
    assert "2 actions, | 1 overdue" in text
    assert '<tr class="overdue"><td>Overdue</td><td>Leadership</td>' in page
    assert "1 Mar 2025 | 1 action agreed" in text
    assert "Current role | not set" in text


def test_since_keeps_applications_sent_from_that_day(tracked):
    """--since 1 March keeps Delta, Eps and =HYPERLINK: 3 applications, 2 interviews."""
    text = " | ".join(_Page(build_report(tracked, since=D(2025, 3, 1))).text)
    assert "5 Mar 2025 – 20 Mar 2025 (sent from 1 Mar 2025 on)" in text
    assert "Applications | 3" in text and "Interview rate | 67% | 2 of 3" in text


def test_a_report_of_an_empty_database_says_so(con):
    """No applications, plan or sessions: every section is there with a plain message."""
    text = " | ".join(_Page(build_report(con, title="Empty")).text)
    assert "Empty" in text and "Applications | 0" in text
    assert "No actions in the plan yet." in text and "No coach sessions recorded yet." in text


def test_user_text_is_harmless_in_the_report(tracked):
    """<script> in notes, plan, session, profile and a theme label shows as text, never a tag."""
    update_theme(tracked, "leadership", label=EVIL_LABEL)
    save_profile(tracked, current_title=f"{SCRIPT} VP")
    page = build_report(tracked, title=SCRIPT)
    parsed = _Page(page)
    assert {tag for tag, _ in parsed.tags} <= {
        "html", "head", "meta", "title", "style", "script", "body", "main", "header", "p",
        "h1", "h2", "h3", "dl", "dt", "dd", "section", "div", "table", "thead", "tbody", "tr",
        "th", "td", "strong", "figure", "figcaption", "article"}
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert not any("src" in attrs for attrs in scripts)
    assert len(scripts) == 2 + 6 + 1  # config and plotly.js, one per chart, printing
    assert "<link" not in page and "alert(3)>" not in page
    assert page.count(SCRIPT) == 0
    shown = "\n".join(parsed.text)
    assert f"{SCRIPT}\nTalk about leadership" in shown          # session notes, as typed
    assert f"{SCRIPT} Write three STAR stories" in shown         # the plan's action
    assert EVIL_LABEL in shown                                   # the theme, in the table
    assert f"{SCRIPT} VP" in shown                               # the profile


def test_csv_export_guards_formulas(tracked):
    """Text starting with = + - @ tab or CR gets an apostrophe; numbers stay; UTF-8 with BOM."""
    table = q.applications_table(tracked, Filters())
    data = safe_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    companies = {r["company"] for r in rows}
    assert "'" + EVIL in companies and EVIL not in companies
    assert {r["feedback"] for r in rows} >= {f"{SCRIPT} Leadership gap"}
    frame = pd.DataFrame({"text": ["+44 20 7946 0000", "-1+2", "@SUM(A1)", "\tx", "\rx",
                                   "plain", None],
                          "number": [-5, 3, 0, 1, 2, 3, 4],
                          "=cmd|' /C calc'!A0": [1.5, -2.25, 0, 0, 0, 0, 0]})
    back = list(csv.reader(io.StringIO(safe_csv(frame).decode("utf-8-sig"), newline="")))
    assert back[0] == ["text", "number", "'=cmd|' /C calc'!A0"]
    assert [r[0] for r in back[1:]] == ["'+44 20 7946 0000", "'-1+2", "'@SUM(A1)", "'\tx",
                                        "'\rx", "plain", ""]
    assert [r[1] for r in back[1:3]] == ["-5", "3"] and back[2][2] == "-2.25"


# ── the command ─────────────────────────────────────────────────────────────────────────

def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_cli_writes_the_report(tracked, db_path, tmp_path, capsys):
    """`report --db --out --since --title` writes the file from a read-only connection."""
    tracked.close()
    out = tmp_path / "for my coach.html"
    code, stdout, err = _run(capsys, "report", "--db", db_path, "--out", out, "--since",
                             "2025-03-01", "--title", "Dana, March")
    assert (code, err) == (0, "")
    assert stdout.startswith(f"Report written to {out}")
    text = " | ".join(_Page(out.read_text(encoding="utf-8")).text)
    assert "Dana, March" in text and "Applications | 3" in text


@pytest.mark.parametrize("since", ["2025-13-01", "yesterday", "1/3/2025"])
def test_cli_refuses_a_bad_date(db_path, con, tmp_path, capsys, since):
    """A date that is not YYYY-MM-DD: one line, exit 2, no file."""
    code, _, err = _run(capsys, "report", "--db", db_path, "--out", tmp_path / "r.html",
                        "--since", since)
    assert code == 2 and "YYYY-MM-DD" in _one_line(err)
    assert not (tmp_path / "r.html").exists()


def test_cli_refuses_a_path_it_cannot_write(db_path, con, tmp_path, capsys):
    """A missing folder or a folder given as the file: one line, exit 2."""
    con.close()
    for out in (tmp_path / "nowhere" / "r.html", tmp_path):
        code, _, err = _run(capsys, "report", "--db", db_path, "--out", out)
        assert code == 2 and _one_line(err).startswith(f"silverlining: cannot write the "
                                                       f"report to {out}")


def test_cli_without_a_database(db_path, con, tmp_path, capsys):
    """No database: one line saying to import a tracker first, exit 3. (A database another
    program keeps busy: tests/test_concurrency.py.)"""
    code, _, err = _run(capsys, "report", "--db", tmp_path / "none.duckdb", "--out",
                        tmp_path / "r.html")
    assert code == 3 and "import a tracker first" in _one_line(err)


# ── offline, in the browser ─────────────────────────────────────────────────────────────

@pytest.mark.browser
def test_report_opens_offline_and_draws_every_chart(tracked, tmp_path, browser):
    """Offline from file://: all six charts drawn, labels as typed, no request leaves file://."""
    update_theme(tracked, "leadership", label=EVIL_LABEL)
    save_profile(tracked, current_title="Senior Analyst")  # so the stretch chart is drawn
    path = tmp_path / "report.html"
    path.write_text(build_report(tracked), encoding="utf-8")
    requests, errors, dialogs = [], [], []
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("window.Plotly !== undefined", timeout=15_000)
        charts = page.locator("div.plotly-graph-div")
        assert charts.count() == 6
        for i in range(charts.count()):
            charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=15_000)
        nodes = page.locator("#chart-sankey g.sankey .node-label").all_text_contents()
        ticks = page.locator("#chart-themes .ytick text").all_text_contents()
        page.wait_for_timeout(500)
    finally:
        context.close()
    outside = [u for u in requests if urlparse(u).scheme not in ("file", "data", "blob",
                                                                 "about")]
    assert outside == [] and errors == [] and dialogs == []
    assert "Screen4 (67%)" in nodes and "Rejected4 (67%)" in nodes
    assert EVIL_LABEL in ticks

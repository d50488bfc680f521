"""One self-contained HTML report to take to a coach: headline figures, the Sankey and the
funnel, feedback themes, scope fit, preparation, the development plan and session notes.

No streamlit here: ``silverlining report`` and the app's download button both call
``build_report``. plotly.js is inlined once, in the page head, and every chart draws with
it, so the file opens offline and fetches nothing. User text (companies, titles, notes,
actions, theme labels, the profile) is escaped: in the page with ``html.escape`` (``_e``
and ``_table`` do it, so a caller cannot forget), in the charts' data by plotly itself
(it writes ``<``, ``>`` and ``/`` as ``\\u`` escapes inside the script) and in chart labels
once more with ``html.escape`` (plotly reads a little HTML in labels, and decodes
entities, so an escaped label shows as typed).
"""

from __future__ import annotations

import datetime as dt
import html

import duckdb
import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from dashboard import charts
from dashboard import queries as q
from dashboard.filters import Filters, where
from dashboard.labels import PLAN_STATUS_LABELS as STATUS_LABELS
from pipelines.store.db import first_row

DEFAULT_TITLE = "Job search report"
FEW = 10   # a rate over fewer applications than this is a hint, and is marked so
_CONFIG = {"displaylogo": False, "responsive": True}
_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
_STRETCH_TITLE = "Role's level compared with yours"

_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1f2933;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
             sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 56px; }
header { border-bottom: 3px solid #3a82c4; padding-bottom: 12px; }
h1 { font-size: 28px; margin: 0 0 2px; }
.brand { color: #3a82c4; font-weight: 600; letter-spacing: .02em; margin: 0; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #d9dee4; }
h3 { font-size: 16px; margin: 22px 0 6px; }
p { margin: 6px 0 10px; }
.muted, figcaption { color: #52606d; font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 12px 0 0; }
dl.facts dt { color: #52606d; }
dl.facts dd { margin: 0; font-weight: 500; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px;
         margin: 10px 0 14px; }
.card { border: 1px solid #d9dee4; border-radius: 8px; padding: 10px 14px; }
.card .value { font-size: 26px; font-weight: 650; line-height: 1.2; }
.card .label { font-weight: 600; }
.card .detail { color: #52606d; font-size: 13px; }
.grid2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px;
         border-bottom: 1px solid #e4e7eb; }
th { background: #f3f5f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num, td.date { white-space: nowrap; }
table.compact { width: auto; min-width: 60%; }
table.compact td:first-child { white-space: nowrap; }
tr.overdue td { background: #fdf0ec; }
tr.overdue td:first-child { color: #b4432a; font-weight: 600; }
.session { border-left: 3px solid #3a82c4; padding: 2px 0 2px 14px; margin: 14px 0; }
.session h3 { margin: 0; }
.notes { white-space: pre-wrap; overflow-wrap: anywhere; }
figure.chart { margin: 10px 0 18px; }
@media (max-width: 820px) { .grid2 { grid-template-columns: minmax(0, 1fr); } }
@media print {
  @page { margin: 14mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  figure.chart, table, .card, .session { break-inside: avoid; }
  .grid2 { grid-template-columns: minmax(0, 1fr); }
  .cards { grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; }
  .card { padding: 8px 10px; }
  .card .value { font-size: 20px; }
  table { font-size: 10pt; }
  .modebar-container { display: none !important; }
}
"""
# Charts are drawn at the screen's width: redraw them at the page's width to print, and
# back after.
_PRINT_JS = """
(function () {
  function charts() { return document.querySelectorAll('.js-plotly-plot'); }
  window.addEventListener('beforeprint', function () {
    charts().forEach(function (gd) { Plotly.relayout(gd, {width: 680}); });
  });
  window.addEventListener('afterprint', function () {
    charts().forEach(function (gd) { Plotly.relayout(gd, {width: null, autosize: true}); });
  });
})();
"""


# ── small helpers ───────────────────────────────────────────────────────────────────────

def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _e(value) -> str:
    """Any value as escaped HTML text ('' for None or NaN)."""
    return "" if _missing(value) else html.escape(str(value))


def _day(value) -> str:
    """'7 Jan 2025' ('–' without a date)."""
    if _missing(value):
        return "–"
    value = pd.Timestamp(value)
    return f"{value.day} {value:%b %Y}"


def _pct(value) -> str:
    return "–" if _missing(value) else f"{value:.0%}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _table(headers: list[str], rows: list[list], *, numeric: tuple[int, ...] = (),
           dates: tuple[int, ...] = (), row_classes: list[str] | None = None,
           compact: bool = False) -> str:
    """A table of plain values; every header and cell is escaped here. ``numeric`` and
    ``dates`` columns stay on one line (numbers to the right); a ``compact`` table is only
    as wide as it needs."""
    def cell(tag: str, j: int, value) -> str:
        css = ' class="num"' if j in numeric else ' class="date"' if j in dates else ""
        return f"<{tag}{css}>{_e(value)}</{tag}>"

    head = "".join(cell("th", j, h) for j, h in enumerate(headers))
    body = []
    for i, row in enumerate(rows):
        css = row_classes[i] if row_classes and row_classes[i] else ""
        cells = "".join(cell("td", j, v) for j, v in enumerate(row))
        body.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    table = '<table class="compact">' if compact else "<table>"
    return f"{table}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _chart(fig: go.Figure, name: str, caption: str) -> str:
    """A figure as a div drawn by the page's one copy of plotly.js, with a caption."""
    fig.update_layout(template="plotly_white", font={"family": _FONT, "size": 13},
                      paper_bgcolor="#fff", plot_bgcolor="#fff")
    div = fig.to_html(full_html=False, include_plotlyjs=False, config=_CONFIG,
                      div_id=f"chart-{name}")
    return f'<figure class="chart">{div}<figcaption>{_e(caption)}</figcaption></figure>'


def _section(key: str, heading: str, body: str) -> str:
    return f'<section id="{key}"><h2>{_e(heading)}</h2>{body}</section>'


def _applied_range(con, filters: Filters) -> tuple:
    condition, params = where(filters)
    return first_row(con, "SELECT min(applied_on), max(applied_on) FROM applications_view "
                          f"WHERE {condition}", params) or (None, None)


# ── sections ────────────────────────────────────────────────────────────────────────────

def _header(con, filters: Filters, title: str, since: dt.date | None) -> str:
    profile = q.candidate_scope(con)
    role = "not set"
    if profile and profile["current_title"]:
        level = profile["effective_level"]
        role = profile["current_title"] + (f" (effective level {level:.1f})"
                                           if level is not None else "")
    low, high = _applied_range(con, filters)
    dates = "none dated" if low is None else f"{_day(low)} – {_day(high)}"
    if since:
        dates += f" (sent from {_day(since)} on)"
    facts = (("Current role", role), ("Applications sent", dates),
             ("Generated", f"{_day(dt.date.today())} by Silver Lining, from the local "
                           "database"))
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    return (f'<header><p class="brand">Silver Lining</p><h1>{_e(title)}</h1>'
            f'<dl class="facts">{rows}</dl></header>')


def _card(label: str, value: str, detail: str = "") -> str:
    return (f'<div class="card"><div class="label">{_e(label)}</div>'
            f'<div class="value">{_e(value)}</div><div class="detail">{_e(detail)}</div></div>')


def _headline(con, filters: Filters, since: dt.date | None) -> str:
    f = q.kpis(con, filters)["selection"]
    n = f["applications"]

    def of(rate) -> str:
        return "" if _missing(rate) else f"{round(rate * n):,} of {n:,}"

    median = f["median_days_to_response"]
    body = '<div class="cards">' + "".join((
        _card("Applications", f"{n:,}"),
        _card("Response rate", _pct(f["response_rate"]), of(f["response_rate"])),
        _card("Interview rate", _pct(f["interview_rate"]), of(f["interview_rate"])),
        _card("Offer rate", _pct(f["offer_rate"]), of(f["offer_rate"])),
        _card("Days to an answer", "–" if median is None else f"{median:.0f}",
              "median, over rejections and offers"))) + "</div>"
    body += ('<p class="muted">A response: the employer answered (a screen or further, a '
             "rejection or an offer). Interview rate: reached an interview or further.</p>")
    if not q.sessions(con).empty:
        body += _since_session(con, filters, since)
    return _section("headline", "Headline figures", body)


def _since_session(con, filters: Filters, since: dt.date | None) -> str:
    review = q.review(con, filters)
    if review["start"] is None or not review["figures"]:
        return ""
    now, before = review["figures"]["now"], review["figures"]["before"]
    rows = [["Applications", f"{before['applications']:,}", f"{now['applications']:,}",
             f"{now['applications'] - before['applications']:+,}"]]
    for key, label in (("response_rate", "Response rate"), ("interview_rate", "Interview rate"),
                       ("offer_rate", "Offer rate")):
        change = ("–" if _missing(now[key]) or _missing(before[key])
                  else f"{(now[key] - before[key]) * 100:+.0f} pts")
        rows.append([label, _pct(before[key]), _pct(now[key]), change])
    rows.append(["Rejections", f"{before['rejections']:,}", f"{now['rejections']:,}",
                 f"{now['rejections'] - before['rejections']:+,}"])
    headers = ["", f"Before ({_day(review['prev_start'])} – {_day(review['prev_end'])})",
               f"Since ({_day(review['start'])} – {_day(review['end'])})", "Change"]
    notes = []
    if min(now["applications"], before["applications"]) < FEW:
        notes.append(f"Fewer than {FEW} applications in a period: read the changes as hints, "
                     "not as trends.")
    if since and review["prev_start"] < since:
        notes.append(f"The period before counts only applications sent from {_day(since)} "
                     "on, where this report starts.")
    return ("<h3>Since the last coach session, against the period of the same length "
            "before</h3>" + _table(headers, rows, numeric=(1, 2, 3), compact=True)
            + "".join(f'<p class="muted">{_e(n)}</p>' for n in notes))


def _stages(con, filters: Filters) -> str:
    body = _chart(charts.sankey(q.stage_flow(con, filters)), "sankey",
                  "Where applications went: from applied through each stage reached to the "
                  "outcome. Each node gives the applications and their share of all.")
    body += '<div class="grid2">' + _chart(
        charts.funnel(q.funnel(con, filters)), "funnel",
        "Applications reaching each stage, and the share of those at the stage before that "
        "went on.") + _chart(
        charts.rejections_by_stage(q.rejections_by_stage(con, filters)), "rejections",
        "The furthest stage reached before each rejection.") + "</div>"
    return _section("stages", "Where applications stop", body)


def _themes(con, filters: Filters) -> str:
    s = q.feedback_summary(con, filters)
    share = s["not_about_you_share"]
    body = (f"<p>Of {_plural(s['rejections'], 'rejection')}, {s['with_text']:,} came with "
            f"feedback or notes and {s['with_reason']:,} name a reason. "
            f"<strong>{_e(_pct(share))} of those were not about you</strong> "
            f"({s['not_about_you']:,} of {s['with_reason']:,}): every reason they name is "
            "outside your control, such as a stronger or internal candidate, a cancelled role, "
            "location or visa.</p>")
    counts = q.theme_counts(con, filters)
    escaped = counts.assign(label=counts["label"].map(_e)) if not counts.empty else counts
    body += _chart(charts.theme_counts(escaped), "themes",
                   "Applications whose feedback or notes name each reason. Blue: something "
                   "you can act on; grey: not about you.")
    coverage = q.theme_coverage(con, filters)
    if not coverage.empty:
        rows = [[r.label, r.applications,
                 "none yet" if r.open_actions + r.done_actions == 0
                 else f"{r.open_actions} open, {r.done_actions} done", r.action]
                for r in coverage.itertuples()]
        body += ("<h3>Reasons you can act on, and the plan</h3>"
                 + _table(["Reason", "Applications", "Actions in the plan",
                           "Suggested by the codebook"], rows, numeric=(1,)))
    return _section("themes", "Feedback themes", body)


def _scope(con, filters: Filters) -> str:
    profile = q.candidate_scope(con)
    own = profile["effective_level"] if profile else None
    body = _chart(charts.scope_scatter(q.scope_points(con, filters), own), "scope",
                  "Each dot is an application at its title level and its effective level (the "
                  "title adjusted for the organisation's size and reach). Above the dotted "
                  "line a role holds more than its title says; colour: how far it got.")
    if own is None:
        body += ('<p class="muted">No current role is set (Scope fit page in the app), so '
                 "the stretch of each role is not measured.</p>")
    else:
        stretch = q.segment_conversion(con, filters, "Stretch")
        body += _chart(charts.rates_by_band(stretch[stretch["segment"] != "Unknown"],
                                            _STRETCH_TITLE), "stretch",
                       "How often roles at each distance from the current role reached an "
                       f"interview and an offer, with 95% intervals. ⚠: fewer than {FEW} "
                       "applications.")
    return _section("scope", "Scope fit", body)


def _preparation(con, filters: Filters) -> str:
    frame = q.preparation_effect(con, filters)
    if frame.empty:
        return _section("preparation", "Preparation",
                        "<p>No preparation recorded yet (research, contacts inside, referral, "
                        "hours, prepared questions).</p>")

    def result(part: pd.DataFrame) -> str:
        if part.empty:
            return "–"
        r = part.iloc[0]
        n = int(r["applications"])
        return (f"{r['rate']:.0%} ({int(r['successes'])} of {n}"
                + ("; few" if n < FEW else "") + ")")

    rows = []
    for kind in dict.fromkeys(frame["kind"]):
        part = frame[frame["kind"] == kind]
        rows.append([part["label"].iloc[0], part["outcome"].iloc[0],
                     result(part[part["with_it"]]), result(part[~part["with_it"]])])
    body = (_table(["Preparation", "Counted as success", "With it", "Without it"], rows,
                   numeric=(2, 3))
            + f'<p class="muted">Applications where it is not known are left out. "few": '
              f"fewer than {FEW} applications, read as a hint.</p>")
    return _section("preparation", "Preparation: with it and without it", body)


def _plan(con) -> str:
    actions = q.plan(con)
    if actions.empty:
        return _section("plan", "Development plan", "<p>No actions in the plan yet.</p>")
    overdue = actions["overdue"].fillna(False).astype(bool).tolist()
    notes = actions["notes"].notna().any()  # a column of notes only when there are some
    rows = [["Overdue" if late else "", r.label, r.action, _day(r.target_on),
             STATUS_LABELS.get(r.status, r.status), _day(r.agreed_on), _day(r.done_on),
             *([r.notes] if notes else [])]
            for late, r in zip(overdue, actions.itertuples(), strict=True)]
    late = sum(overdue)
    body = (f"<p>{_plural(len(actions), 'action')}"
            + (f", <strong>{late:,} overdue</strong> (past the target date, neither done nor "
               "dropped)" if late else "") + ".</p>"
            + _table(["", "Reason", "Action", "Target", "Status", "Agreed in session",
                      "Done on", *(["Notes"] if notes else [])], rows, dates=(3, 5, 6),
                     row_classes=["overdue" if x else "" for x in overdue]))
    return _section("plan", "Development plan", body)


def _sessions(con) -> str:
    sessions = q.sessions(con)
    if sessions.empty:
        return _section("sessions", "Session notes", "<p>No coach sessions recorded yet.</p>")
    items = []
    for r in sessions.itertuples():
        agreed = f"{_plural(int(r.actions), 'action')} agreed" if r.actions else ""
        items.append(f'<article class="session"><h3>{_e(_day(r.held_on))}</h3>'
                     f'<p class="muted">{_e(agreed)}</p>'
                     f'<p class="notes">{_e(r.notes) or "(no notes)"}</p></article>')
    return _section("sessions", "Session notes", "".join(items))


# ── the document ────────────────────────────────────────────────────────────────────────

def build_report(con: duckdb.DuckDBPyConnection, since: dt.date | None = None,
                 title: str | None = None) -> str:
    """The report as one HTML document (a str). ``since`` keeps applications sent on or
    after that day; the plan and the session notes are shown whole. Nothing in the page
    refers to another file or host."""
    filters = Filters(date_from=since)
    title = title or DEFAULT_TITLE
    parts = (_header(con, filters, title, since), _headline(con, filters, since),
             _stages(con, filters), _themes(con, filters), _scope(con, filters),
             _preparation(con, filters), _plan(con), _sessions(con))
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{_CSS}</style>"
            "<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
            f"<script>{get_plotlyjs()}</script></head>\n<body><main>{''.join(parts)}</main>"
            f"<script>{_PRINT_JS}</script></body></html>\n")

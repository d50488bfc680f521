"""Coach review: record a session, and compare the period since the last session with the
period before it: headline figures, stage conversion, reasons that grew or faded, actions
done and overdue; session notes; the report to take away."""

from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from dashboard import state
from dashboard.cohort_view import draw_cohort
from dashboard.report import build_report
from pipelines.edits.coaching import add_session, delete_session

st.title("Coach review")
state.demo_banner()
filters = state.sidebar_filters()
book = state.query("codebook")
labels = dict(zip(book["theme"], book["label"], strict=True))
actionable = [t for t, c in zip(book["theme"], book["controllable"], strict=True) if c]


def _record_session() -> None:
    with st.expander("Record a session", icon="🗓️",
                     expanded=state.query("sessions").empty):
        with st.form("session_form", clear_on_submit=True):
            held = st.date_input("Held on", value=dt.date.today(), key="session_date")
            notes = st.text_area("Notes", key="session_notes",
                                 placeholder="What you discussed, what changed, what to try")
            st.markdown("Actions agreed (optional)")
            rows = []
            for i in range(3):
                left, middle, right = st.columns([2, 4, 2])
                theme = left.selectbox("Theme", [None, *actionable], key=f"agreed_theme_{i}",
                                       format_func=lambda t: "—" if t is None else labels[t],
                                       label_visibility="collapsed" if i else "visible")
                text = middle.text_input("Action", key=f"agreed_text_{i}",
                                         label_visibility="collapsed" if i else "visible")
                target = right.date_input("Target", value=None, key=f"agreed_target_{i}",
                                          label_visibility="collapsed" if i else "visible")
                if theme or text.strip():
                    rows.append((theme, text, target))
            if st.form_submit_button("Save session", type="primary"):
                try:
                    if any(theme is None for theme, _, _ in rows):
                        raise ValueError("each agreed action needs a theme")
                    state.write(lambda cur: add_session(cur, held, notes, rows))
                    st.rerun()
                except ValueError as error:
                    st.error(f"Not saved: {error}.", icon="⚠️")


def _delta(now, before, percent: bool = False) -> str | None:
    if now is None or before is None:
        return None
    change = (now - before) * (100 if percent else 1)
    return f"{change:+.0f}{' pts' if percent else ''}"


REPORT_PATH = state.db_path()  # taken now: the button's function runs outside the session


def _report_bytes() -> bytes:
    """The report, built when the button is pressed (on its own cursor: another thread)."""
    with state.cursor(REPORT_PATH) as cur:
        return build_report(cur, since=filters.date_from).encode("utf-8")


left, right = st.columns([5, 2])
left.caption("Everything below, with the Sankey, themes, scope fit and the plan, in one file "
             "to read after the session: it opens in any browser, offline.")
right.download_button("Download the report (HTML)", _report_bytes,
                      file_name=f"silverlining-report-{dt.date.today():%Y-%m-%d}.html",
                      mime="text/html", on_click="ignore", key="report_download",
                      width="stretch")
_record_session()
sessions = state.query("sessions")
review = state.query("review", filters)
if sessions.empty:
    st.info("Record your first coach session above: from then on this page compares the "
            "period since the last session with the one before it.", icon="🧭")
elif review["start"] is None or review["end"] is None:
    state.nothing_matches()
else:
    start, end = review["start"], review["end"]
    st.subheader(f"Since the last session ({start:%d %b %Y}) against the "
                 f"{(end - start).days + 1} days before")
    st.caption(f"Since: {start:%d %b %Y} – {end:%d %b %Y}. Before: "
               f"{review['prev_start']:%d %b %Y} – {review['prev_end']:%d %b %Y}. "
               "Applications count in the period they were sent.")
    now, before = review["figures"]["now"], review["figures"]["before"]
    cols = st.columns(4)
    cols[0].metric("Applications", now["applications"],
                   _delta(now["applications"], before["applications"]))
    for col, key, name in ((cols[1], "response_rate", "Response rate"),
                           (cols[2], "interview_rate", "Interview rate"),
                           (cols[3], "offer_rate", "Offer rate")):
        value = now[key]
        col.metric(name, "–" if value is None else f"{value:.0%}",
                   _delta(value, before[key], percent=True))
    if min(now["applications"], before["applications"]) < 10:
        st.warning("Fewer than 10 applications in a period: read the changes as hints, not "
                   "as trends.", icon="⚠️")
    left, right = st.columns(2)
    with left:
        state.figure("Stage conversion", state.chart("review_stages", review["stages"]),
                     "Share of each period's applications that reached each stage.",
                     key="review_stages")
    with right:
        state.figure("Reasons that grew or faded", state.chart("theme_changes", review["themes"]),
                     "Applications whose feedback named each reason, before → since. Blue: "
                     "something you can work on.", key="review_themes")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Actions done since the session** ({len(review['done'])})")
        for row in review["done"].itertuples():
            st.markdown(f"✅ {html.escape(row.label)}: {html.escape(row.action)}")
    with right:
        st.markdown(f"**Overdue actions** ({len(review['overdue'])})")
        for row in review["overdue"].itertuples():
            st.markdown(f"⏰ {html.escape(row.label)}: {html.escape(row.action)} "
                        f"(target {row.target_on:%d %b})")

draw_cohort()  # a coach's workspace only: this client beside the median of the others

if not sessions.empty:
    st.subheader("Session notes")
    for row in sessions.itertuples():
        with st.container(border=True):
            left, right = st.columns([5, 1])
            agreed = f" · {row.actions} action{'s' if row.actions != 1 else ''} agreed"
            left.markdown(f"**{row.held_on:%d %b %Y}**{agreed if row.actions else ''}")
            if row.notes:
                left.text(row.notes)
            if right.button("Delete", key=f"delete_session_{row.session_id}"):
                state.write(lambda cur, s=row.session_id: delete_session(cur, s))
                st.rerun()

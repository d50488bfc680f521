"""Overview: headline figures against the previous period, applications per week, outcomes
over time."""

from __future__ import annotations

import streamlit as st

from dashboard import state


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _delta(now: float | None, before: float | None, percent: bool) -> str | None:
    if now is None or before is None:
        return None
    change = now - before
    if round(change * (100 if percent else 1)) == 0:
        return None  # no arrow for no change
    return f"{change * 100:+.0f} pts" if percent else f"{change:+.0f}"


st.title("Overview")
state.demo_banner()
filters = state.sidebar_filters()
kpis = state.query("kpis", filters)

if not kpis["selection"]["applications"]:
    state.nothing_matches()



def _metrics(figures: dict, before: dict | None) -> None:
    """Five headline figures in a row; with ``before``, each shows its change."""
    before = before or {}
    cols = st.columns(5)
    cols[0].metric("Applications", f"{figures['applications']:,}",
                   _delta(figures["applications"], before.get("applications"), False)
                   if before else None)
    for col, key, label in ((cols[1], "response_rate", "Response rate"),
                            (cols[2], "interview_rate", "Interview rate"),
                            (cols[3], "offer_rate", "Offer rate")):
        col.metric(label, _pct(figures[key]),
                   _delta(figures[key], before.get(key), True) if before else None)
    days = figures.get("median_days_to_response")
    cols[4].metric("Median days to a response", "–" if days is None else f"{days:.0f}",
                   _delta(days, before.get("median_days_to_response"), False)
                   if before else None, delta_color="inverse")


st.subheader("All applications shown")
_metrics(kpis["selection"], None)
st.caption("Response: the employer answered (a screen, an interview, an offer or a "
           "rejection). Interview rate: reached an interview or further.")
if kpis.get("period_label"):
    st.subheader("Recent period against the one before")
    _metrics(kpis, kpis.get("previous"))
    st.caption(f"{kpis['period_label']}. Recent applications may not have had time for an "
               "answer yet, so their rates read low. Choose dates in the sidebar to compare "
               "other periods.")

left, right = st.columns(2)
with left:
    state.figure("Applications per week",
                 state.chart("weekly_applications", state.query("weekly_applications", filters)),
                 "How many applications went out each week, coloured by how they ended.",
                 key="weekly")
with right:
    state.figure("Outcomes over time",
                 state.chart("outcomes_over_time", state.query("outcomes_over_time", filters)),
                 "For the applications sent each month, the share that is still open, was "
                 "rejected, got no response, was withdrawn or became an offer.", key="outcomes")

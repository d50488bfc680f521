"""Rejection stages: where applications stop, how long it takes, and which segments get
further."""

from __future__ import annotations

import streamlit as st

from dashboard import queries, state

st.title("Rejection stages")
state.demo_banner()
filters = state.sidebar_filters()
flow = state.query("stage_flow", filters)

if flow.empty:
    state.nothing_matches()

state.figure("Where applications go", state.chart("sankey", flow),
             "Every application starts at Applied and flows as far as it got (a rejection "
             "after the final round passes through screen, interview and final round), then to "
             "how it ended. Numbers are applications and their share of all applications.",
             key="sankey")

left, right = st.columns(2)
with left:
    state.figure("Funnel", state.chart("funnel", state.query("funnel", filters)),
                 "How many applications reached each stage, and what share of those at the "
                 "stage before went on to it.", key="funnel")
with right:
    state.figure("Where rejections happen",
                 state.chart("rejections_by_stage", state.query("rejections_by_stage", filters)),
                 "Rejections by the furthest stage reached. At Applied it is a résumé "
                 "rejection; at the final round, a near miss.", key="rejections")

st.subheader("How long until a rejection, or silence")
ghost = st.columns([2, 3])[0].slider(
    "Treat an application as ghosted after this many days without an answer", 7, 120, 30,
    step=1, key="ghost_days")
days = state.query("days_to_outcome", filters, ghost_after_days=ghost)
ghosted = state.query("ghosted_count", filters, ghost_after_days=ghost)
st.plotly_chart(state.chart("days_to_outcome", days), width="stretch", key="days")
st.caption(f"Days from applying to a rejection, or to the last day with no answer. With "
           f"{ghost} days as the limit, {ghosted} open applications count as ghosted.")

st.subheader("Which segments get to interviews")
segment = st.columns([1, 3])[0].selectbox("Compare by", list(queries.SEGMENTS),
                                          key="segment")
table = state.query("segment_conversion", filters, segment=segment)
st.plotly_chart(state.chart("segment_conversion", table), width="stretch", key="segments")
small = table[table["too_small"]] if not table.empty else table
st.caption("Share of applications in each group that reached an interview or further, with "
           "a 95% interval: the wider the bar, the less the figure can be trusted.")
if not small.empty:
    groups = "One group has" if len(small) == 1 else f"{len(small)} groups have"
    st.warning(f"{groups} fewer than 10 applications "
               f"({', '.join(map(str, small['segment'].head(5)))}): too few to read a "
               "difference from.", icon="⚠️")

"""Preparation and keeping going: how far applications got with and without each kind of
preparation, the weekly activity the candidate controls against their goal, and the table
to record preparation per application."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries, state
from dashboard.labels import PREPARATION_LABELS as PREP_LABELS
from pipelines.domain import PREPARATION_ANSWERS as PREP_FIELDS
from pipelines.edits.coaching import save_preparations, set_weekly_goal

SHOWN = 1000


def _readings(effect: pd.DataFrame) -> None:
    """Plain sentences for the kinds of preparation whose difference the numbers carry."""
    said = []
    for _kind, part in effect.groupby("kind", sort=False):
        rows = part.set_index("with_it")
        if True not in rows.index or False not in rows.index:
            continue
        label, outcome = rows.iloc[0]["label"], rows.iloc[0]["outcome"]
        reading = queries.compare_rates(
            f"With “{label.lower()}”, applications", int(rows.loc[True, "successes"]),
            int(rows.loc[True, "applications"]), "without it",
            int(rows.loc[False, "successes"]), int(rows.loc[False, "applications"]),
            outcome=outcome)
        if reading.carried:
            said.append(reading.text)
    if said:
        st.info("  \n".join(said), icon="🔎")
    elif not effect.empty:
        st.caption("No kind of preparation makes a difference the numbers can carry yet: "
                   "keep recording it and the comparison sharpens.")


st.title("Preparation")
state.demo_banner()
filters = state.sidebar_filters()
if state.query("application_count", filters) == 0:
    state.nothing_matches()
st.caption("How much did you prepare, and did it change how far you got? Preparation comes "
           "from your tracker (columns such as Researched, Contacted insiders, Questions "
           "prepared, Prep hours, Asked for feedback) or from the table at the bottom.")

effect = state.query("preparation_effect", filters)
_readings(effect)
state.figure("With and without preparation", state.chart("preparation_effect", effect),
             "For each kind of preparation, the share of applications that got further with "
             "it and without it, with 95% intervals; applications where it is not recorded "
             "are left out. A difference here is a pattern, not proof: roles you prepared "
             "more for may also have suited you better.", key="prep_effect")

st.subheader("Keep going")
goal = state.query("weekly_goal")
activity = state.query("weekly_activity", filters)
left, right = st.columns([3, 1])
with right:
    with st.form("goal_form"):
        new_goal = st.number_input("Weekly goal (applications)", min_value=0, max_value=200,
                                   step=1, value=goal or 0, key="goal_value",
                                   help="0 means no goal.")
        if st.form_submit_button("Save goal"):
            state.write(lambda cur: set_weekly_goal(cur, int(new_goal) or None))
            st.rerun()
    recent = activity.tail(4)
    if goal and not recent.empty:
        met = int((recent["applications"] >= goal).sum())
        st.metric("Weeks at goal, last 4", f"{met} of {len(recent)}")
with left:
    st.plotly_chart(state.chart("weekly_activity", activity, goal), width="stretch",
                    key="weekly_activity")
st.caption("Rejection is normal; what you control is the work. Bars: applications sent each "
           "week (faded below your goal). Lines, as 4-week averages: how many of them had "
           "preparation recorded, feedback asked for, and reached an interview.")

st.subheader("Record your preparation")
table = state.query("preparation_table", filters, limit=SHOWN)
st.caption("Tick what you did for each application; your answers are kept apart from the "
           "imported data and survive re-imports."
           + (f" The {SHOWN:,} most recent matches are shown." if len(table) == SHOWN else ""))
edited = st.data_editor(
    table, key="prep_editor", hide_index=True, width="stretch", height=420,
    disabled=["application_id", "company", "job_title", "applied_on", "stage_reached"],
    column_order=["company", "job_title", "applied_on", "stage_reached", *PREP_FIELDS],
    column_config={
        "company": "Company", "job_title": "Job title",
        "applied_on": st.column_config.DateColumn("Applied"),
        "stage_reached": "Furthest stage",
        "prep_hours": st.column_config.NumberColumn("Hours", min_value=0, max_value=999,
                                                    step=0.5, format="%.1f"),
        **{f: st.column_config.CheckboxColumn(PREP_LABELS[f]) for f in PREP_FIELDS[1:]}})


def _value(field: str, value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return float(value) if field == "prep_hours" else bool(value)


changes = []
for (_, old), (_, new) in zip(table.iterrows(), edited.iterrows(), strict=True):
    diff = {f: _value(f, new[f]) for f in PREP_FIELDS
            if _value(f, old[f]) != _value(f, new[f])}
    if diff:
        changes.append((old["application_id"], diff))
if changes and st.button(f"Save {len(changes)} change(s)", type="primary", key="save_prep"):
    try:
        state.write(lambda cur: save_preparations(cur, changes))
    except ValueError as error:
        st.error(f"Not saved: {error}.", icon="⚠️")
    else:
        st.session_state.pop("prep_editor", None)
        st.toast(f"Saved {len(changes)} change(s).", icon="✅")
        st.rerun()

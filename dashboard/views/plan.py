"""Development plan: an action per recurring weakness the candidate can act on, with a
target date and a status, reviewed with the coach; which themes recur without one."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.labels import PLAN_STATUS_LABELS as STATUS_LABELS
from pipelines.domain import PLAN_STATUSES as STATUSES
from pipelines.edits.coaching import add_action, delete_action, update_action

st.title("Development plan")
state.demo_banner()
filters = state.sidebar_filters()
st.caption("The weaknesses that recur in your feedback, and what you are doing about each. "
           "Suggested actions come from the codebook (Feedback themes page), where you can "
           "change them.")

coverage = state.query("theme_coverage", filters)
book = state.query("codebook")
labels = dict(zip(book["theme"], book["label"], strict=True))
actionable = [t for t, c in zip(book["theme"], book["controllable"], strict=True) if c]

st.subheader("Recurring weaknesses")
if coverage.empty:
    st.info("No feedback names something you can act on yet. Add the feedback you receive to "
            "your tracker or on the Applications page.", icon="💬")
else:
    uncovered = coverage[(coverage["open_actions"] == 0) & (coverage["done_actions"] == 0)]
    if not uncovered.empty:
        verb = "weaknesses have" if len(uncovered) > 1 else "weakness has"
        st.warning(f"{len(uncovered)} recurring {verb} no action yet.", icon="📌")
    for row in coverage.itertuples():
        with st.container(border=True):
            left, right = st.columns([4, 1])
            status = ("no action yet" if row.open_actions + row.done_actions == 0 else
                      f"{row.open_actions} open, {row.done_actions} done")
            left.markdown(f"**{row.label}** · named in {row.applications} application"
                          f"{'s' if row.applications != 1 else ''} · {status}")
            if row.action:
                left.caption(f"Suggested: {row.action}")
            if row.open_actions + row.done_actions == 0 and row.action and right.button(
                    "Add to plan", key=f"adopt_{row.theme}"):
                state.write(lambda cur, r=row: add_action(
                    cur, r.theme, r.action, target_on=dt.date.today() + dt.timedelta(days=28)))
                st.rerun()

st.subheader("Actions")
actions = state.query("plan")
if actions.empty:
    st.caption("No actions yet: add one below, or take a suggestion above.")
else:
    shown = actions.assign(overdue=actions["overdue"].map({True: "⏰", False: ""}),
                           delete=False)
    edited = st.data_editor(
        shown, key="plan_editor", hide_index=True, width="stretch",
        disabled=["action_id", "label", "agreed_on", "done_on", "overdue", "theme"],
        column_order=["overdue", "label", "action", "target_on", "status", "notes",
                      "agreed_on", "done_on", "delete"],
        column_config={
            "overdue": st.column_config.TextColumn("⏰", width=36, help="Past its target date"),
            "label": "Theme", "action": st.column_config.TextColumn("Action", width="large"),
            "target_on": st.column_config.DateColumn("Target"),
            "status": st.column_config.SelectboxColumn("Status", options=list(STATUSES),
                                                       required=True),
            "notes": st.column_config.TextColumn("Notes", width="medium"),
            "agreed_on": st.column_config.DateColumn("Agreed in session"),
            "done_on": st.column_config.DateColumn("Done on"),
            "delete": st.column_config.CheckboxColumn("Delete")})
    fields = ("action", "target_on", "status", "notes")

    def _same(a, b) -> bool:
        return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b

    changes = [(int(old["action_id"]), {f: (None if pd.isna(new[f]) else new[f])
                                        for f in fields if not _same(old[f], new[f])})
               for (_, old), (_, new) in zip(shown.iterrows(), edited.iterrows(), strict=True)]
    changes = [(i, d) for i, d in changes if d]
    deleted = [int(r["action_id"]) for _, r in edited.iterrows() if r["delete"]]
    if (changes or deleted) and st.button(
            f"Save {len(changes) + len(deleted)} change(s)", type="primary", key="save_plan"):
        try:
            def _save(cur):
                for action_id, diff in changes:
                    update_action(cur, action_id, **diff)
                for action_id in deleted:
                    delete_action(cur, action_id)
            state.write(_save)
        except ValueError as error:
            st.error(f"Not saved: {error}.", icon="⚠️")
        else:
            st.session_state.pop("plan_editor", None)
            st.rerun()
    st.caption("Statuses: " + ", ".join(f"{s} = {STATUS_LABELS[s].lower()}" for s in STATUSES)
               + ". Marking an action done records the day.")

with st.form("add_action", clear_on_submit=True):
    st.markdown("**Add an action**")
    left, middle, right = st.columns([2, 4, 2])
    theme = left.selectbox("Theme", actionable, format_func=labels.get, key="new_action_theme")
    text = middle.text_input("What you will do", key="new_action_text")
    target = right.date_input("Target date", value=None, key="new_action_target")
    if st.form_submit_button("Add action"):
        try:
            state.write(lambda cur: add_action(cur, theme, text, target_on=target))
            st.rerun()
        except ValueError as error:
            st.error(f"Not added: {error}.", icon="⚠️")

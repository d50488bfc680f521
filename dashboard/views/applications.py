"""Applications: the table, filterable and searchable, where a stage or outcome can be
corrected and feedback and notes added. Edits are annotations that survive re-imports."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, state
from dashboard.exports import safe_csv
from pipelines.domain import OUTCOMES, STAGES
from pipelines.edits.corrections import save_annotation

EDITABLE = ("stage_reached", "outcome", "feedback", "notes")

st.title("Applications")
state.demo_banner()
filters = state.sidebar_filters()
SHOWN = 1000
total = state.query("application_count", filters)
table = state.query("applications_table", filters, limit=SHOWN)

if table.empty:
    state.nothing_matches()

more = (f" The {SHOWN:,} most recent of {total:,} are shown; search or filter to find "
        "others." if total > len(table) else "")
st.download_button("Download as CSV", lambda: safe_csv(table.drop(columns=["application_id"])),
                   file_name="applications.csv", mime="text/csv", on_click="ignore",
                   key="applications_csv",
                   help="The applications shown, for a spreadsheet. Cells that a spreadsheet "
                        "would run as a formula are made harmless.")
st.caption(f"{total:,} applications.{more} Change a stage or outcome, or add feedback and "
           "notes, then save: your edits are kept apart from the imported data, so "
           "importing an updated tracker never undoes them. ✏️ marks edited rows.")
shown = table.assign(edited=table["edited"].map({True: "✏️", False: ""}))
edited = st.data_editor(
    shown, key="applications_editor", hide_index=True, width="stretch", height=520,
    disabled=[c for c in shown.columns if c not in EDITABLE],
    column_order=["edited", "company", "job_title", "applied_on", "stage_reached", "outcome",
                  "feedback", "notes", "status_raw", "outcome_on", "source_channel",
                  "location", "org_size", "source_file"],
    column_config={
        "edited": st.column_config.TextColumn("✏️", width=36, help="Edited by you"),
        "company": "Company", "job_title": "Job title",
        "applied_on": st.column_config.DateColumn("Applied"),
        "stage_reached": st.column_config.SelectboxColumn(
            "Furthest stage", options=list(STAGES), required=True,
            format_func=charts.STAGE_LABELS.get),
        "outcome": st.column_config.SelectboxColumn(
            "Outcome", options=list(OUTCOMES), required=True,
            format_func=charts.OUTCOME_LABELS.get),
        "outcome_on": st.column_config.DateColumn("Outcome on"),
        "status_raw": "Status as written",
        "feedback": st.column_config.TextColumn("Feedback", width="large"),
        "notes": st.column_config.TextColumn("Notes", width="medium"),
        "source_channel": "Source", "location": "Location",
        "org_size": st.column_config.NumberColumn("Employees", format="%d"),
        "source_file": "File",
    })


def _changes(before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[str, dict]]:
    """(application_id, {field: new value}) for every row the user changed."""
    out = []
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows(), strict=True):
        diff = {f: (None if pd.isna(new[f]) or new[f] == "" else new[f]) for f in EDITABLE
                if not (pd.isna(old[f]) and pd.isna(new[f])) and old[f] != new[f]}
        if diff:
            out.append((old["application_id"], diff))
    return out


changes = _changes(shown, edited)
if changes:
    st.write(f"{len(changes)} application(s) changed.")
    if st.button("Save changes", type="primary", key="save_edits"):
        def _save(cur):
            for application_id, diff in changes:
                save_annotation(cur, application_id, **{
                    ("stage" if k == "stage_reached" else k): v for k, v in diff.items()})
        state.write(_save)
        st.session_state.pop("applications_editor", None)  # edits are kept by row number
        st.toast(f"Saved {len(changes)} change(s).", icon="✅")
        st.rerun()


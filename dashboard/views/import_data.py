"""Import: upload trackers, check the detected layout and column mapping on a preview,
import, read the report, place statuses the rules did not understand, and manage the
import history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from pipelines.domain import OUTCOMES, STAGES
from pipelines.edits.corrections import place_status
from pipelines.edits.imports import remove_import
from pipelines.errors import Choice, IngestError
from pipelines.ingest.detect.layouts import LAYOUTS
from pipelines.ingest.headers import IGNORE, MAP_TARGETS
from pipelines.ingest.importer import ImportReport, ingest_file
from pipelines.ingest.read.files import MAX_FILE_MB
from pipelines.ingest.report import format_report

TYPES = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"]
CHOICES = ["", *MAP_TARGETS]


def say_choice(choice: Choice) -> str:
    """What to choose on this page to make a choice the library asks for."""
    if choice.what == "field":
        names = " or ".join(f"“{f}”" for f in (choice.field, *choice.others))
        return (f"In the mapping table below, choose {names} under *Maps to* for the column "
                "that holds it.")
    if choice.what == "sheet":
        return "Choose the sheet that lists your applications below."
    return "Choose one of the file's columns in the mapping table below."


def _mapping_editor(columns: list[str], mapping: dict[str, str], sample: list[list],
                    key: str) -> dict[str, str]:
    """The mapping as an editable table (column, what it maps to, its first value); returns
    the columns whose choice the user changed."""
    frame = pd.DataFrame({"Column": columns,
                          "Maps to": [mapping.get(c, "") for c in columns],
                          "First value": [next((r[i] for r in sample if i < len(r) and r[i]),
                                               "") for i in range(len(columns))]})
    frame["Maps to"] = frame["Maps to"].where(frame["Maps to"].isin(CHOICES), "")
    edited = st.data_editor(frame, key=f"map_{key}", hide_index=True, width="stretch",
                            disabled=["Column", "First value"],
                            column_config={"Maps to": st.column_config.SelectboxColumn(
                                "Maps to", options=CHOICES,
                                help="The field this column feeds; empty = not used")})
    return {row["Column"]: (row["Maps to"] or IGNORE) for _, row in edited.iterrows()
            if row["Maps to"] != mapping.get(row["Column"], "")}


def _remap(key: str, overrides: dict[str, str], changed: dict[str, str]) -> None:
    """A new choice in a mapping editor: preview again with it."""
    if changed:
        st.session_state[f"overrides_{key}"] = {**overrides, **changed}
        st.rerun()


def _sheet_picker(sheets: list[str], key: str, chosen: str | None) -> None:
    """A choice of sheet, when a workbook has several."""
    if len(sheets) > 1:
        st.selectbox("Sheet", [None, *sheets], key=f"sheet_{key}",
                     format_func=lambda v: v or f"detected ({chosen or 'none found'})")


def _unexpected(name: str, error: Exception) -> None:
    """An error the pipeline did not foresee: one message, the details folded away."""
    st.error(f"Something went wrong reading {name}; nothing was imported and your data is as "
             "it was. Please report this with the details below.", icon="🚫")
    with st.expander("Details"):
        st.code(f"{type(error).__name__}: {error}", language=None)


def _refused(error: IngestError, key: str, overrides: dict[str, str]) -> None:
    """A file that cannot be imported as it is: what is wrong, and where the choice that
    fixes it can be made, here on the page."""
    choice = error.choice
    st.error(f"This file cannot be imported: {error}"
             + (f" {say_choice(choice)}" if choice else ""), icon="🚫")
    if choice and choice.what == "sheet":
        _sheet_picker(list(choice.options), key, None)
    elif choice and choice.options:
        _remap(key, overrides, _mapping_editor(list(choice.options), overrides, [], key))


def _show_report(report: ImportReport) -> None:
    if report.already_imported:
        st.info(f"**{report.source_file}** was already imported with these columns; nothing "
                "changed.", icon="ℹ️")
        return
    st.success(f"**{report.source_file}**: {report.applications_loaded:,} applications "
               f"({report.applications_new:,} new, {report.applications_updated:,} updated).",
               icon="✅")
    with st.expander("Import report", expanded=bool(report.unknown_statuses or report.skipped)):
        st.code(format_report(report, say_choice), language=None)


def _one_file(upload, index: int) -> None:
    path = state.upload_path(upload)
    key = f"{index}_{upload.name}_{upload.size}"
    st.markdown(f"#### {upload.name}")
    overrides = st.session_state.get(f"overrides_{key}", {})
    layout = st.session_state.get(f"layout_{key}") or None
    sheet = st.session_state.get(f"sheet_{key}") or None
    try:
        preview = state.preview(path, upload.name, overrides, layout, sheet)
    except IngestError as error:
        _refused(error, key, overrides)
        return
    except Exception as error:  # a bug, not bad input: say so, keep the data as it was
        _unexpected(upload.name, error)
        return
    st.caption(f"Layout: {preview.layout} · header on row {preview.header_row}"
               + (f" · sheet {preview.sheet!r}" if preview.sheet else "")
               + f" · {preview.applications_loaded:,} applications found in "
                 f"{preview.rows_read:,} rows" + (f" · dates read {preview.date_order}"
                                                   if preview.date_order else ""))
    for warning in preview.warnings:
        st.warning(warning, icon="⚠️")
    for choice in preview.asks:
        st.info(say_choice(choice), icon="👉")
    left, right = st.columns(2)
    with left:
        st.selectbox("Layout", ["", *LAYOUTS], key=f"layout_{key}",
                     format_func=lambda v: v or f"detected ({preview.layout})")
    with right:
        _sheet_picker(preview.sheets, key, preview.sheet)
    _remap(key, overrides, _mapping_editor(preview.columns, preview.mapping, preview.sample,
                                           key))
    st.dataframe(pd.DataFrame(preview.preview), hide_index=True, width="stretch")
    st.caption("The first applications as they will be stored.")
    if st.button(f"Import {upload.name}", type="primary", key=f"import_{key}"):
        try:
            report = state.write(lambda cur: ingest_file(
                cur, path, overrides=overrides, layout=layout, sheet=sheet,
                display_name=upload.name))
        except IngestError as error:
            _refused(error, key, overrides)
            return
        except Exception as error:
            _unexpected(upload.name, error)
            return
        st.session_state[f"report_{key}"] = report
    if f"report_{key}" in st.session_state:
        _show_report(st.session_state[f"report_{key}"])


def _unknown_statuses() -> None:
    unknown = state.query("unknown_statuses")
    if unknown.empty:
        return
    st.subheader("Statuses not understood")
    st.caption("These status texts matched no rule, so their applications count as still "
               "active. Say what each means; every application with that text follows.")
    frame = unknown.assign(stage="", outcome="")
    edited = st.data_editor(frame, key="unknown_editor", hide_index=True, width="stretch",
                            disabled=["status_raw", "applications"], column_config={
                                "status_raw": "Status as written",
                                "applications": "Applications",
                                "stage": st.column_config.SelectboxColumn(
                                    "Furthest stage", options=list(STAGES)),
                                "outcome": st.column_config.SelectboxColumn(
                                    "Outcome", options=list(OUTCOMES))})
    placed = edited[(edited["stage"] != "") & (edited["outcome"] != "")
                    & edited["stage"].notna() & edited["outcome"].notna()]
    if not placed.empty and st.button("Save statuses", key="save_statuses"):
        state.write(lambda cur: [place_status(cur, r.status_raw, r.stage, r.outcome)
                                 for r in placed.itertuples()])
        st.rerun()


def _history() -> None:
    history = state.query("import_history")
    st.subheader("Import history")
    if history.empty:
        st.caption("Nothing imported yet.")
        return
    st.dataframe(history, hide_index=True, width="stretch", column_config={
        "import_id": st.column_config.NumberColumn("#", width="small"),
        "source_file": "File", "imported_at": st.column_config.DatetimeColumn(
            "Imported", format="YYYY-MM-DD HH:mm"),
        "layout": "Layout", "sheet": "Sheet", "rows_read": "Rows read",
        "applications_loaded": "Applications", "applications_new": "New",
        "applications_updated": "Updated", "rows_skipped": "Rows skipped"})
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    choice = left.selectbox("Remove an import", [None, *history["import_id"].tolist()],
                          key="remove_choice", format_func=lambda i: "—" if i is None else
                          f"#{i} · {history.set_index('import_id').at[i, 'source_file']}")
    if choice is not None and right.button("Remove this import", key="remove_import"):
        removed = state.write(lambda cur: remove_import(cur, int(choice)))
        st.toast(f"Removed import #{choice} ({removed} applications only it described).")
        st.rerun()
    st.caption("Removing an import deletes the applications only it described; your edits "
               "to them are kept and come back if you import the file again.")


st.title("Import")
state.demo_banner(on_import_page=True)
st.write("Drop the tracker you already keep: Excel, Google Sheets or Numbers exports, "
         "LibreOffice, Notion or Airtable CSV, LinkedIn's *Job Applications.csv*. Nothing "
         "leaves this computer.")
uploads = st.file_uploader("Tracker files", type=TYPES, accept_multiple_files=True,
                           key="uploads", max_upload_size=MAX_FILE_MB)
for number, upload in enumerate(uploads or []):
    _one_file(upload, number)
_unknown_statuses()
_history()

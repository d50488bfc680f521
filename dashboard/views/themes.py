"""Feedback themes: which reasons recur, which the candidate can act on, which were never
about them, at which stage, over time, and the quotes behind each."""

from __future__ import annotations

import html
import re

import streamlit as st

from dashboard import charts, state
from pipelines.edits import codebook as codebook_edits

MIN_FEEDBACK = 10
GROUPINGS = {"terms": "grouped by shared words",
             "embeddings": "grouped by meaning (optional embeddings extra)"}


def _highlight(text: str, evidence: str) -> str:
    """The text, HTML-escaped, with each evidence phrase marked."""
    safe = html.escape(text or "")
    for phrase in sorted({p for p in (evidence or "").split(" · ") if p}, key=len,
                         reverse=True):
        safe = re.sub(re.escape(html.escape(phrase)), lambda m: f"<mark>{m.group(0)}</mark>",
                      safe, flags=re.IGNORECASE)
    return safe.replace("\n", "<br>")


def _text(value) -> str | None:
    """A cell of the editor as text ('' for an emptied cell)."""
    return "" if value is None or value != value else str(value)


def _codebook() -> None:
    """Edit the codebook and accept suggested themes; every change re-tags."""
    st.subheader("The codebook")
    st.caption("The reasons the app looks for. Change a label, say whether it is something you "
               "can act on, teach a theme another way of saying it, or merge two themes: every "
               "application is tagged again at once.")
    book = state.query("codebook")
    edited = st.data_editor(
        book, key="codebook_editor", hide_index=True, width="stretch",
        disabled=["theme", "phrases", "applications"],
        column_config={"theme": "Theme", "label": "Label",
                       "controllable": st.column_config.CheckboxColumn("You can act on it"),
                       "description": st.column_config.TextColumn("Description", width="large"),
                       "action": st.column_config.TextColumn("Suggested action", width="large"),
                       "phrases": "Phrases", "applications": "Applications"})
    changed = [(old, new) for (_, old), (_, new) in zip(book.iterrows(), edited.iterrows(),
                                                        strict=True)
               if any(old[c] != new[c] for c in ("label", "controllable", "description",
                                                 "action"))]
    if changed and st.button(f"Save {len(changed)} change(s)", key="save_codebook"):
        try:
            state.write(lambda cur: [codebook_edits.update_theme(
                cur, new["theme"], label=_text(new["label"]),
                controllable=bool(new["controllable"]), description=_text(new["description"]),
                action=_text(new["action"])) for _, new in changed])
        except ValueError as error:
            st.error(f"Not saved: {error}.", icon="⚠️")
        else:
            st.session_state.pop("codebook_editor", None)  # edits are by row; rows re-sort
            st.rerun()

    names = dict(zip(book["theme"], book["label"], strict=True))
    phrase_col, merge_col = st.columns(2)
    with phrase_col.form("add_phrase", clear_on_submit=True):
        st.markdown("**Teach a theme a phrase**")
        target = st.selectbox("Theme", list(names), format_func=names.get, key="phrase_theme")
        phrase = st.text_input("Phrase, e.g. 'no portfolio'", key="phrase_text")
        if st.form_submit_button("Add phrase"):
            try:
                state.write(lambda cur: codebook_edits.add_phrase(cur, target, phrase))
                st.rerun()
            except ValueError as error:
                st.error(str(error))
    with merge_col.form("merge_themes"):
        st.markdown("**Merge two themes**")
        source = st.selectbox("Fold this theme…", list(names), format_func=names.get,
                              key="merge_source")
        into = st.selectbox("…into this one", list(names), format_func=names.get,
                            key="merge_target")
        if st.form_submit_button("Merge"):
            try:
                state.write(lambda cur: codebook_edits.merge_themes(cur, source, into))
                st.rerun()
            except ValueError as error:
                st.error(str(error))

    with st.form("add_theme", clear_on_submit=True):
        st.markdown("**Add a theme of your own**")
        left, middle, right = st.columns([2, 2, 1])
        name = left.text_input("Name (lower case, e.g. portfolio_gap)", key="new_theme_name")
        label = middle.text_input("Label, e.g. 'Portfolio gap'", key="new_theme_label")
        actionable = right.checkbox("You can act on it", value=True,
                                    key="new_theme_controllable")
        phrases = st.text_area("Phrases that signal it, one per line", key="new_theme_phrases")
        if st.form_submit_button("Add theme"):
            lines = tuple(line for line in phrases.splitlines() if line.strip())
            try:
                if not lines:
                    raise ValueError("give at least one phrase that signals the theme")
                state.write(lambda cur: codebook_edits.add_theme(
                    cur, name.strip(), label, actionable, phrases=lines))
                st.rerun()
            except ValueError as error:
                st.error(f"Not added: {error}.", icon="⚠️")

    with st.spinner("Grouping the feedback no theme names…"):  # the optional model loads
        suggestions = state.query("theme_suggestions")
    if not suggestions.empty:
        st.subheader("Reasons no theme names yet")
        grouping = GROUPINGS.get(suggestions["method"].iloc[0], GROUPINGS["terms"])
        st.caption(f"Feedback that matched no theme, {grouping}. Accept one to make it a theme "
                   "of its own.")
        for row in suggestions.itertuples():
            with st.container(border=True):
                left, right = st.columns([4, 1])
                left.markdown(f"**{html.escape(row.term)}** · {row.applications} applications")
                for example in row.examples:
                    left.caption(html.escape(example))
                if right.button("Accept as a theme", key=f"accept_{row.term}"):
                    name = codebook_edits.theme_name(row.term)
                    try:
                        state.write(lambda cur, name=name, term=row.term: codebook_edits.add_theme(
                            cur, name, term.capitalize(), True, phrases=(term,)))
                        st.rerun()
                    except ValueError as error:
                        right.error(str(error))


st.title("Feedback themes")
state.demo_banner()
filters = state.sidebar_filters()
summary = state.query("feedback_summary", filters)
counts = state.query("theme_counts", filters)

if counts.empty:
    st.info("No feedback with a recognised reason yet. Add the feedback you received in a "
            "Feedback or Notes column of your tracker, or on the **Applications** page.",
            icon="💬")
    _codebook()
    st.stop()

cols = st.columns(3)
cols[0].metric("Rejections", f"{summary['rejections']:,}")
cols[1].metric("…with a reason given", f"{summary['with_reason']:,}",
               help="Feedback or notes that name at least one reason (a form letter does "
                    "not count).")
share = summary["not_about_you_share"]
cols[2].metric("…not about you", "–" if share is None else f"{share:.0%}",
               help="Of the rejections with a reason, those whose reasons were all outside "
                    "your control: a stronger or internal candidate, a cancelled role, "
                    "location or visa.")
if summary["with_reason"] < MIN_FEEDBACK:
    st.warning(f"Only {summary['with_reason']} rejections name a reason: too few to read a "
               "pattern from. Ask for feedback after each rejection.", icon="⚠️")

state.figure("Which reasons recur", state.chart("theme_counts", counts),
             "Applications whose feedback names each reason. Blue: something you can work on. "
             "Grey: reasons that were not about you.", key="theme_counts")

left, right = st.columns(2)
with left:
    state.figure("At which stage",
                 state.chart("themes_by_stage", state.query("themes_by_stage", filters)),
                 "Rejections naming each reason, by how far the application had got.",
                 key="themes_stage")
with right:
    state.figure("Over time",
                 state.chart("themes_over_time", state.query("themes_over_time", filters)),
                 "The reasons you can act on, month by month: is one fading since you worked "
                 "on it?", key="themes_time")

st.subheader("Read the feedback")
labels = dict(zip(counts["theme"], counts["label"], strict=True))
theme = st.columns([1, 2])[0].selectbox("Theme", list(labels), format_func=labels.get,
                                        key="quote_theme")
quotes = state.query("theme_quotes", filters, theme=theme)
SHOWN = 6
noun = "application" if len(quotes) == 1 else "applications"
st.caption(f"{len(quotes)} {noun}, newest first; the words that named the reason are marked.")


def _quote(row) -> None:
    with st.container(border=True):
        st.markdown(f"**{html.escape(str(row.company or ''))}** · "
                    f"{html.escape(str(row.job_title or ''))} · "
                    f"{charts.STAGE_LABELS.get(row.stage_reached, '')} · "
                    f"{charts.OUTCOME_LABELS.get(row.outcome, '')}")
        st.markdown(_highlight(row.text, row.evidence), unsafe_allow_html=True)


rows = list(quotes.itertuples())
for row in rows[:SHOWN]:
    _quote(row)
if len(rows) > SHOWN:
    with st.expander(f"{len(rows) - SHOWN} more"):
        for row in rows[SHOWN:]:
            _quote(row)

_codebook()

"""Scope fit: roles compared by what they hold, not by their titles. Title level against
effective level, interview and offer rates by stretch and by organisation size, where the
user converts, a plain reading of it, the candidate's own role, and scope set by hand."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import queries, state
from dashboard.labels import REACH_LABELS, TYPE_LABELS
from pipelines.domain import ORG_TYPES, REACHES
from pipelines.edits.corrections import save_profile, save_scopes

SHOWN = 1000
EDITABLE = ("title_level", "org_size", "org_type", "org_reach", "people_managed", "budget")


def _number(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


PROFILE_KEYS = ("p_title", "p_size", "p_type", "p_reach", "p_people", "p_level")


def _profile(profile: dict | None) -> None:
    """The candidate's own current role: what stretch is measured from."""
    stamp = repr(profile)
    if st.session_state.get("_profile_stamp") != stamp:  # the stored role changed (saved,
        for key in PROFILE_KEYS:                         # or cleared with the demo): the
            st.session_state.pop(key, None)              # form shows it, not old input
        st.session_state["_profile_stamp"] = stamp
    with st.expander("Your current role" + (f": {profile['current_title']}"
                                            if profile and profile["current_title"] else ""),
                     expanded=profile is None, icon="🧭"):
        if profile and profile["effective_level"] is not None:
            level = profile["title_level"]
            st.markdown(f"Read as title level **{level} · {queries.LEVEL_NAMES[level]}**, "
                        f"effective level **{profile['effective_level']:.1f}** with the scope "
                        "below. Stretch is a role's effective level minus this.")
        elif profile:
            st.warning("The app cannot read a level from this title: choose one below.",
                       icon="⚠️")
        profile = profile or {}
        with st.form("profile_form"):
            title = st.text_input("Current job title", value=profile.get("current_title") or "",
                                  placeholder="e.g. VP of Communications", key="p_title")
            left, middle, right = st.columns(3)
            size = left.number_input("Organisation size (employees)", min_value=1, step=1,
                                     value=_number(profile.get("org_size")), key="p_size")
            kind = middle.selectbox("Organisation type", ORG_TYPES, format_func=TYPE_LABELS.get,
                                    index=_index(ORG_TYPES, profile.get("org_type")),
                                    placeholder="Not set", key="p_type")
            reach = right.selectbox("Reach", REACHES, format_func=REACH_LABELS.get,
                                    index=_index(REACHES, profile.get("org_reach")),
                                    placeholder="Not set", key="p_reach")
            left, middle, _ = st.columns(3)
            people = left.number_input("People you manage", min_value=0, step=1,
                                       value=_number(profile.get("people_managed")),
                                       key="p_people")
            levels = [None, *queries.LEVEL_NAMES]
            level = middle.selectbox(
                "Title level", levels, key="p_level",
                index=levels.index(profile.get("title_level_set")),
                format_func=lambda k: "Read from the title" if k is None
                else f"{k} · {queries.LEVEL_NAMES[k]}")
            if st.form_submit_button("Save my role", type="primary"):
                state.write(lambda cur: save_profile(
                    cur, current_title=title.strip() or None, title_level=level,
                    org_size=_number(size), org_type=kind, org_reach=reach,
                    people_managed=_number(people)))
                st.toast("Saved: stretch is measured from this role now.", icon="✅")
                st.rerun()


def _index(options: tuple, value) -> int | None:
    return options.index(value) if value in options else None


def _moral(reading: queries.Reading) -> str:
    """What the comparison suggests, in a few words."""
    return (" So far, roles closer to your current scope turn into interviews more often."
            if reading.better == "b" else " So far, this kind of role has done better for you.")


def _readings(stretch: pd.DataFrame) -> None:
    """A plain reading of the stretch figures, shown only where the numbers carry it."""
    rows = stretch.set_index("segment") if not stretch.empty else stretch
    within = [b for b in queries.STRETCH_BANDS[1:4] if b in rows.index]
    if not within:
        return
    hits_w, n_w = (int(rows.loc[within, c].sum()) for c in ("interviews", "applications"))
    said = []
    for band, words in (("2+ levels above", "Roles two or more levels above your current "
                                            "scope"),
                        ("2+ levels below", "Roles two or more levels below it")):
        if band not in rows.index:
            continue
        reading = queries.compare_rates(words, int(rows.loc[band, "interviews"]),
                                        int(rows.loc[band, "applications"]),
                                        "roles within one level", hits_w, n_w)
        said.append(reading)
    carried = [r.text + _moral(r) for r in said if r.carried]
    if carried:
        st.info("  \n".join(carried), icon="🎯")
    elif said:
        st.caption("Not enough applications yet to tell whether stretch changes your chances: "
                   + " ".join(r.text for r in said))


st.title("Scope fit")
state.demo_banner()
filters = state.sidebar_filters()
st.caption("Job titles are not equal: a vice president of a small local nonprofit may hold "
           "less than a director of a large company. Each role's **effective level** is its "
           "title level adjusted for the organisation's size and reach (the model is written "
           "down in docs/scope.md), so roles compare with each other and with yours.")
profile = state.query("candidate_scope")
_profile(profile)

points = state.query("scope_points", filters)
if state.query("application_count", filters) == 0:
    state.nothing_matches()

stretch = state.query("segment_conversion", filters, segment="Stretch")
if profile and profile["effective_level"] is not None:
    _readings(stretch)

total = points.attrs.get("total", len(points))
sampled = f" {len(points):,} of {total:,} shown, an even sample." if total > len(points) else ""
if not points.empty and (points["effective_level"] == points["title_level"]).all():
    sampled += (" No organisation size or reach is known for these applications yet, so every "
                "effective level equals its title level.")
unread = state.query("application_count", filters) - total
if unread:
    sampled += (f" {unread:,} application{'s have' if unread > 1 else ' has'} no title level "
                "(no title, or one the app could not read): set it in the table below.")
state.figure("Title level against effective level",
             state.chart("scope_scatter", points, profile and profile["effective_level"]),
             "Each dot is an application. Above the dotted line the role holds more than its "
             "title says (a large organisation, a wide reach); below it, less. Colour: how far "
             f"it got.{sampled}", key="scope_scatter")

left, right = st.columns(2)
with left:
    if profile and profile["effective_level"] is not None:
        state.figure("By stretch", state.chart("rates_by_band",
            stretch[stretch["segment"] != "Unknown"], "Role's level compared with yours"),
            "How often roles at each distance from your current scope reached an interview "
            "and an offer, with 95% intervals. ⚠ marks bands with fewer than 10 "
            "applications.", key="by_stretch")
    else:
        st.subheader("By stretch")
        st.info("Set your current role above to compare roles with your own scope.",
                icon="🧭")
with right:
    sizes = state.query("segment_conversion", filters, segment="Organisation size")
    if set(sizes["segment"]) <= {"Unknown"}:
        st.subheader("By organisation size")
        st.info("None of these applications has an organisation size yet. Add a size column "
                "to your tracker (employees, '11-50', 'large' all work) or fill sizes in the "
                "table below.", icon="🏢")
    else:
        state.figure("By organisation size", state.chart("rates_by_band", sizes, "Employees"),
                     "How often applications at organisations of each size reached an "
                     "interview and an offer, with 95% intervals. ⚠ marks bands with fewer "
                     "than 10 applications.", key="by_size")

state.figure("Where you convert", state.chart("scope_grid", state.query("scope_grid", filters)),
             "Applications that reached an interview, out of all, for each title level and "
             "organisation size. Darker: a larger share.", key="scope_grid")

st.subheader("Scope of each application")
table = state.query("scope_table", filters, limit=SHOWN)
st.caption("The level read from each title and the scope from your tracker. Correct a level "
           "or fill in what the tracker lacks (size, type, reach, people managed, budget), "
           "then save: your values are kept apart from the imported data and survive "
           "re-imports. ✏️ marks applications you changed."
           + (f" The {SHOWN:,} most recent matches are shown." if len(table) == SHOWN else ""))
shown = table.assign(scope_edited=table["scope_edited"].map({True: "✏️", False: ""}))
edited = st.data_editor(
    shown, key="scope_editor", hide_index=True, width="stretch", height=420,
    disabled=[c for c in shown.columns if c not in EDITABLE],
    column_order=["scope_edited", "company", "job_title", "read_as", "title_level",
                  "org_size", "org_type", "org_reach", "people_managed", "budget",
                  "effective_level", "stretch", "stage_reached", "outcome"],
    column_config={
        "scope_edited": st.column_config.TextColumn("✏️", width=36, help="Changed by you"),
        "company": "Company", "job_title": "Job title",
        "read_as": st.column_config.TextColumn("Read as", help="The words that set the level"),
        "title_level": st.column_config.NumberColumn("Title level", min_value=1, max_value=12,
                                                     step=1, format="%d"),
        "org_size": st.column_config.NumberColumn("Employees", min_value=1, step=1,
                                                  format="%d"),
        "org_type": st.column_config.SelectboxColumn("Type", options=list(ORG_TYPES)),
        "org_reach": st.column_config.SelectboxColumn("Reach", options=list(REACHES)),
        "people_managed": st.column_config.NumberColumn("People managed", min_value=0,
                                                        step=1, format="%d"),
        "budget": st.column_config.NumberColumn("Budget", min_value=0, format="%d"),
        "effective_level": st.column_config.NumberColumn("Effective level", format="%.1f"),
        "stretch": st.column_config.NumberColumn("Stretch", format="%+.1f"),
        "stage_reached": st.column_config.TextColumn("Furthest stage"),
        "outcome": "Outcome"})


def _value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


changes, kept = [], 0
for (_, old), (_, new) in zip(shown.iterrows(), edited.iterrows(), strict=True):
    diff = {f: _value(new[f]) for f in EDITABLE if _value(old[f]) != _value(new[f])}
    if not old["scope_edited"]:  # nothing of the user's to clear: the tracker's value stays
        kept += sum(v is None for v in diff.values())
        diff = {f: v for f, v in diff.items() if v is not None}
    if diff:
        changes.append((old["application_id"], diff))
if kept:
    st.warning("A value that came from your tracker cannot be emptied here: correct it in the "
               "tracker and import it again, or type the right value.", icon="⚠️")
if changes:
    if st.button(f"Save {len(changes)} change(s)", type="primary", key="save_scope"):
        try:
            state.write(lambda cur: save_scopes(cur, changes))
        except ValueError as error:
            st.error(f"Not saved: {error}.", icon="⚠️")
        else:
            st.session_state.pop("scope_editor", None)  # edits are kept by row number
            st.toast(f"Saved {len(changes)} change(s).", icon="✅")
            st.rerun()

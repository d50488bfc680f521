"""A client beside the coach's other clients (a workspace only): the client's stage reach
and feedback themes next to the median of the others, from ``state.cohort()``. Figures are
built by plain functions (no streamlit); ``draw_cohort`` puts them on the page.

Only medians of the other clients are drawn: never one of their applications, companies or
themes of their own making (``workspace.cohort`` returns nothing else)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import state
from dashboard.charts import WITH_COLOR, WITHOUT_COLOR, _layout, empty_figure
from dashboard.filters import Filters
from dashboard.queries import STAGE_LABELS
from dashboard.workspace import MIN_CLIENTS, REACH_STAGES, Cohort

CLIENT, MEDIAN = "This client", "Median of the other clients"
MAX_THEMES = 12


def _percent(value: float) -> str:
    """A share in percent for a bar's label: whole percents, one decimal below 1% so that a
    small share is not labelled 0%."""
    return f"{value:.1f}%" if 0 < value < 0.95 else f"{value:.0f}%"


def _bars(fig: go.Figure, labels: list[str], client: list[float], median: list[float],
          orientation: str = "v") -> None:
    for name, values, color in ((CLIENT, client, WITH_COLOR), (MEDIAN, median, WITHOUT_COLOR)):
        percents = [v * 100 for v in values]
        axes = {"x": labels, "y": percents} if orientation == "v" else {"x": percents,
                                                                        "y": labels}
        fig.add_trace(go.Bar(**axes, name=name, orientation=orientation,
                             marker={"color": color}, text=[_percent(v) for v in percents],
                             textposition="outside", cliponaxis=False,
                             hovertemplate=f"{name}: %{{text}}<extra></extra>"))
    fig.update_layout(barmode="group")


def stages_figure(funnel_df: pd.DataFrame, found: Cohort) -> go.Figure:
    """Grouped bars: the share of the client's applications reaching each stage (from
    ``queries.funnel``) beside the cohort's median share."""
    if funnel_df is None or funnel_df.empty:
        return empty_figure("No applications for this client yet.")
    shares = dict(zip(funnel_df["stage"], funnel_df["share_of_applied"], strict=True))
    fig = go.Figure()
    _bars(fig, [STAGE_LABELS[s] for s in REACH_STAGES],
          [float(shares.get(s) or 0) for s in REACH_STAGES],
          [found.stages[s] for s in REACH_STAGES])
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return _layout(fig, "Stage reached", "Share of applications")


def theme_shares(themes_df: pd.DataFrame, rejections: int, found: Cohort) -> pd.DataFrame:
    """One row per theme of the cohort that this client's or the median's rejections name:
    theme, label, client (share of the client's rejections naming it), median; the largest
    first, at most MAX_THEMES."""
    columns = ["theme", "label", "client", "median"]
    if found.themes.empty:
        return pd.DataFrame(columns=columns)
    mine = themes_df.set_index("theme") if themes_df is not None and not themes_df.empty else (
        pd.DataFrame(columns=["label", "rejections"]))
    rows = []
    for row in found.themes.itertuples(index=False):
        named = int(mine["rejections"].get(row.theme, 0)) if "rejections" in mine else 0
        client = named / rejections if rejections else 0.0
        if client or row.median_share:
            label = mine["label"].get(row.theme) if row.theme in mine.index else None
            rows.append((row.theme, label or row.label, client, row.median_share))
    frame = pd.DataFrame(rows, columns=columns)
    frame["_top"] = frame[["client", "median"]].max(axis=1)
    return frame.sort_values(["_top", "label"], ascending=[False, True]).head(MAX_THEMES)[
        columns].reset_index(drop=True)


def themes_figure(shares: pd.DataFrame) -> go.Figure:
    """Grouped horizontal bars of ``theme_shares``: the share of rejections naming each
    theme, this client beside the median."""
    if shares.empty:
        return empty_figure("No feedback naming a reason yet.")
    shares = shares.iloc[::-1]  # the largest on top
    fig = go.Figure()
    _bars(fig, shares["label"].tolist(), shares["client"].tolist(), shares["median"].tolist(),
          orientation="h")
    fig.update_xaxes(ticksuffix="%", rangemode="tozero")
    return _layout(fig, "Share of rejections naming it", None,
                   height=min(560, max(300, 80 + 44 * len(shares))))


def draw_cohort(funnel_df: pd.DataFrame | None = None, themes_df: pd.DataFrame | None = None,
                rejections: int | None = None) -> None:
    """The client beside the median of the coach's other clients.

    ``funnel_df`` and ``themes_df`` are the client's ``queries.funnel`` and
    ``queries.theme_counts`` frames, ``rejections`` the number of rejections they cover
    (``feedback_summary(...)["rejections"]``). The medians cover every application of the
    other clients, so pass the client's frames unfiltered for a like-for-like comparison;
    whatever is not given is read unfiltered. Draws nothing without a workspace and a
    caption only while there are fewer than five clients."""
    if state.workspace_folder() is None:
        return
    found = state.cohort()
    if found is None:
        st.caption(f"The comparison with the other clients appears from {MIN_CLIENTS} clients "
                   "with applications in the workspace.")
        return
    everything = Filters()
    if funnel_df is None:
        funnel_df = state.query("funnel", everything)
    if themes_df is None:
        themes_df = state.query("theme_counts", everything)
    if rejections is None:
        rejections = state.query("feedback_summary", everything)["rejections"]
    st.subheader("Beside the other clients")
    st.plotly_chart(stages_figure(funnel_df, found), width="stretch", key="cohort_stages")
    st.caption(f"Share of applications reaching each stage. Grey: the median of {found.others} "
               "other clients; no other client's applications are shown.")
    if found.themes.empty:
        st.caption(f"Reasons are compared once {MIN_CLIENTS - 1} other clients have a "
                   "rejection.")
        return
    st.plotly_chart(themes_figure(theme_shares(themes_df, rejections, found)), width="stretch",
                    key="cohort_themes")
    st.caption("Share of rejections whose feedback names each reason. Grey: the median of "
               f"{found.theme_clients} other clients with a rejection; no other client's "
               "applications are shown.")

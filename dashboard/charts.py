"""Query frames → plotly Figures. No streamlit here, and no session state.

One palette for stages and outcomes everywhere. Colours are mid-light so they read on a
white and on a dark background, and nothing here sets the background or the font colour:
that is left to the theme (Streamlit's or plotly's), so a figure works with any template.
Figures carry no title (the page has the heading), have axis titles and hover text, tight
margins and a height of 350-420 px. An empty frame gives ``empty_figure``.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.queries import FLOW_NODES, LEVEL_NAMES, OUTCOME_LABELS, SIZE_BANDS, STAGE_LABELS

__all__ = ["OUTCOME_COLORS", "OUTCOME_LABELS", "OUTCOME_ORDER", "STAGE_COLORS", "STAGE_LABELS",
           "days_to_outcome", "empty_figure", "funnel", "outcomes_over_time",
           "rejections_by_stage", "sankey", "segment_conversion", "weekly_applications"]

HEIGHT = 380
STAGE_COLORS = {"applied": "#8DB6E2", "screen": "#5A9BDB", "interview": "#3A82C4",
                "final": "#2A9D8F", "offer": "#3BA55C"}
OUTCOME_COLORS = {"active": "#8593A8", "rejected": "#E07A5F", "no_response": "#D9A441",
                  "withdrawn": "#9C8AB4", "offer": "#3BA55C"}
# Stacking and legend order of outcomes in every chart: good news at the bottom.
OUTCOME_ORDER = ("offer", "active", "withdrawn", "no_response", "rejected")
SILENCE_COLOR = OUTCOME_COLORS["no_response"]
_GRID = "rgba(128, 128, 128, 0.25)"    # grid lines that read on light and dark
_MUTED = "#8A8F98"                     # helper text that reads on light and dark
NO_DATA = "No applications match these filters."

NODE_COLORS = {**{label: STAGE_COLORS[code] for code, label in STAGE_LABELS.items()},
               **{label: OUTCOME_COLORS[code] for code, label in OUTCOME_LABELS.items()}}


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _share(part: float, whole: float) -> str:
    if not whole:
        return "–"
    share = part / whole
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def _layout(fig: go.Figure, x_title: str | None, y_title: str | None, *,
            height: int = HEIGHT, legend: bool = True) -> go.Figure:
    """Shared layout: no title, tight margins, legend above, theme-neutral grid."""
    fig.update_layout(
        height=height, margin={"l": 8, "r": 8, "t": 36 if legend else 8, "b": 8},
        showlegend=legend, hovermode="closest", hoverlabel={"namelength": -1},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                "title": {"text": ""}, "traceorder": "normal"})
    fig.update_xaxes(title_text=x_title, gridcolor=_GRID, zerolinecolor=_GRID,
                     automargin=True)
    fig.update_yaxes(title_text=y_title, gridcolor=_GRID, zerolinecolor=_GRID,
                     automargin=True)
    return fig


def empty_figure(message: str = NO_DATA) -> go.Figure:
    """A blank figure of the usual height with ``message`` in the middle."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": 14, "color": _MUTED})
    fig.update_layout(height=HEIGHT, margin={"l": 8, "r": 8, "t": 8, "b": 8})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _is_empty(df: pd.DataFrame | None, column: str) -> bool:
    return df is None or df.empty or not df[column].sum()


# ── stages ──────────────────────────────────────────────────────────────────────────────

def sankey(flow_df: pd.DataFrame) -> go.Figure:
    """Sankey of ``queries.stage_flow``: nodes labelled 'Screen<br>42 (28%)' (applications
    and share of all applications), links tinted with their target's colour."""
    if _is_empty(flow_df, "applications"):
        return empty_figure()
    inflow = flow_df.groupby("target")["applications"].sum()
    outflow = flow_df.groupby("source")["applications"].sum()
    total = int(outflow.get("Applied", 0)) or int(flow_df["applications"].sum())
    present = set(flow_df["source"]) | set(flow_df["target"])
    nodes = [n for n in FLOW_NODES if n in present]
    index = {n: i for i, n in enumerate(nodes)}
    value = {n: int(inflow.get(n, 0)) or int(outflow.get(n, 0)) for n in nodes}
    labels = [f"{n}<br>{value[n]:,} ({_share(value[n], total)})" for n in nodes]
    node_hover = [f"{n}: {value[n]:,} of {total:,} applications ({_share(value[n], total)})"
                  for n in nodes]
    link_hover = [f"{s} → {t}: {v:,} applications<br>{_share(v, value[s])} of those at {s}"
                  for s, t, v in flow_df[["source", "target", "applications"]].itertuples(
                      index=False)]
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",d",
        node={"label": labels, "pad": 24, "thickness": 16, "line": {"width": 0},
              "color": [NODE_COLORS[n] for n in nodes], "customdata": node_hover,
              "hovertemplate": "%{customdata}<extra></extra>"},
        link={"source": [index[s] for s in flow_df["source"]],
              "target": [index[t] for t in flow_df["target"]],
              "value": flow_df["applications"].tolist(),
              "color": [_rgba(NODE_COLORS[t], 0.4) for t in flow_df["target"]],
              "customdata": link_hover, "hovertemplate": "%{customdata}<extra></extra>"},
        textfont={"size": 14}))
    return _layout(fig, None, None, height=460, legend=False)


def funnel(funnel_df: pd.DataFrame) -> go.Figure:
    """Funnel of ``queries.funnel``: applications reaching each stage, with the share of
    those at the stage before that went on."""
    if _is_empty(funnel_df, "reached"):
        return empty_figure()
    labels = [STAGE_LABELS[s] for s in funnel_df["stage"]]
    text, hover = [], []
    for i, row in enumerate(funnel_df.itertuples(index=False)):
        conversion = row.conversion_from_previous
        step = "" if i == 0 or pd.isna(conversion) else f"{conversion:.0%} of {labels[i - 1]}"
        text.append(f"{row.reached:,}" + (f" · {step}" if step else ""))
        hover.append(f"{labels[i]}: {row.reached:,} applications reached it "
                     f"({row.share_of_applied:.0%} of all)" + (f"<br>{step}" if step else ""))
    fig = go.Figure(go.Funnel(
        y=labels, x=funnel_df["reached"].tolist(), text=text, textinfo="text",
        textposition="auto", customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        marker={"color": [STAGE_COLORS[s] for s in funnel_df["stage"]]},
        connector={"fillcolor": _rgba("#808080", 0.15), "line": {"width": 0}}))
    return _layout(fig, "Applications", "Stage reached", legend=False)


def rejections_by_stage(df: pd.DataFrame) -> go.Figure:
    """Bars of ``queries.rejections_by_stage``: rejections at each furthest stage, labelled
    with count and share of all rejections."""
    if _is_empty(df, "rejections"):
        return empty_figure("No rejections among these applications.")
    df = df[(df["stage"] != "offer") | (df["rejections"] > 0)]  # no empty 'Offer' column
    labels = [STAGE_LABELS[s] for s in df["stage"]]
    text = [f"{n:,} ({share:.0%})" for n, share in zip(df["rejections"], df["share"],
                                                        strict=True)]
    hover = [f"Rejected at {label}: {n:,} ({share:.0%} of all rejections)"
             for label, n, share in zip(labels, df["rejections"], df["share"], strict=True)]
    fig = go.Figure(go.Bar(
        x=labels, y=df["rejections"].tolist(), text=text, textposition="outside",
        cliponaxis=False, marker={"color": [STAGE_COLORS[s] for s in df["stage"]]},
        customdata=hover, hovertemplate="%{customdata}<extra></extra>"))
    fig.update_yaxes(rangemode="tozero")
    fig.update_layout(uniformtext={"minsize": 10, "mode": "show"})
    return _layout(fig, "Furthest stage reached before the rejection", "Rejections",
                   legend=False)


# ── over time ───────────────────────────────────────────────────────────────────────────

def _stacked_by_outcome(df: pd.DataFrame, time_column: str, hover_date: str,
                        share: bool) -> go.Figure:
    totals = df.groupby(time_column)["applications"].sum()
    fig = go.Figure()
    for outcome in OUTCOME_ORDER:
        part = df[df["outcome"] == outcome]
        if part.empty:
            continue
        whole = part[time_column].map(totals)
        fig.add_trace(go.Bar(
            x=part[time_column], y=part["applications"], name=OUTCOME_LABELS[outcome],
            marker={"color": OUTCOME_COLORS[outcome]},
            customdata=np.column_stack([whole, part["applications"] / whole]),
            hovertemplate=(f"{hover_date}<br>{OUTCOME_LABELS[outcome]}: %{{y:,}} of "
                           "%{customdata[0]:,} (%{customdata[1]:.0%})<extra></extra>")))
    fig.update_layout(barmode="stack", barnorm="percent" if share else None, bargap=0.15)
    return fig


def weekly_applications(df: pd.DataFrame) -> go.Figure:
    """Stacked bars of ``queries.weekly_applications``: applications sent each week,
    coloured by outcome."""
    if _is_empty(df, "applications"):
        return empty_figure()
    fig = _stacked_by_outcome(df, "week", "Week of %{x|%-d %b %Y}", share=False)
    fig.update_xaxes(dtick="M1", tickformat="%b", ticklabelmode="period", tickangle=0)
    return _layout(fig, "Week applied", "Applications")


def outcomes_over_time(df: pd.DataFrame) -> go.Figure:
    """100% stacked bars of ``queries.outcomes_over_time``: for each month applied, the
    share of applications ending in each outcome."""
    if _is_empty(df, "applications"):
        return empty_figure()
    months = pd.to_datetime(df["month"])
    order = [m.strftime("%b %y") for m in sorted(months.unique())]
    df = df.assign(month=months.dt.strftime("%b %y"))  # categories: every month labelled
    fig = _stacked_by_outcome(df, "month", "%{x}", share=True)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=order, tickangle=0)
    fig.update_yaxes(ticksuffix="%", range=[0, 100])
    return _layout(fig, "Month applied", "Share of applications")


def _bin_width(max_days: float) -> int:
    return 7 if max_days <= 120 else 14 if max_days <= 365 else 30


def _weighted_median(values: pd.Series, counts: pd.Series) -> float:
    """The median of ``values`` each repeated ``counts`` times (values sorted ascending):
    the middle one, or the mean of the two middle ones."""
    total = int(counts.sum())
    cumulative = counts.cumsum().to_numpy()
    ordered = values.to_numpy()
    low = ordered[np.searchsorted(cumulative, (total - 1) // 2 + 1)]
    high = ordered[np.searchsorted(cumulative, total // 2 + 1)]
    return (float(low) + float(high)) / 2


def days_to_outcome(df: pd.DataFrame) -> go.Figure:
    """Histogram of ``queries.days_to_outcome`` (applications per number of days) binned
    here in weeks, fortnights or months: days until a rejection and until silence, side by
    side, with each median in the legend."""
    if df is None or df.empty:
        return empty_figure("No rejections or silences among these applications.")
    width = _bin_width(float(df["days"].max()))
    fig = go.Figure()
    kinds = {"rejected": ("Rejected", OUTCOME_COLORS["rejected"]),
             "silence": ("Silence", SILENCE_COLOR)}
    for kind, (name, color) in kinds.items():
        rows = df[df["outcome_kind"] == kind].sort_values("days")
        if rows.empty:
            continue
        start = (rows["days"] // width * width).astype("int64")
        counts = rows["applications"].groupby(start).sum().sort_index()
        median = _weighted_median(rows["days"], rows["applications"])
        fig.add_trace(go.Bar(
            x=(counts.index + width / 2).tolist(), y=counts.tolist(),
            name=f"{name} (median {median:.0f} days)", marker={"color": color},
            customdata=np.column_stack([counts.index, counts.index + width - 1]),
            hovertemplate=(f"{name} %{{customdata[0]}}–%{{customdata[1]}} days after "
                           "applying: %{y:,} applications<extra></extra>")))
    fig.update_layout(barmode="group", bargap=0.1)
    # The longest silences would squeeze everything else: show up to the 95th percentile.
    ordered = df.sort_values("days")
    cumulative = ordered["applications"].cumsum()
    p95 = float(ordered["days"].iloc[int(np.searchsorted(cumulative.to_numpy(),
                                                          0.95 * cumulative.iloc[-1]))])
    fig.update_xaxes(range=[0, max(p95 + width, 4 * width)])
    return _layout(fig, "Days after applying (up to the 95th percentile)", "Applications")


# ── segments ────────────────────────────────────────────────────────────────────────────

def segment_conversion(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of ``queries.segment_conversion``: share reaching an interview per
    group with its 95% interval as error bars, 'LinkedIn (n=42)' labels; groups too small
    to read are faded and marked '⚠ few'. A dashed line marks the share over all groups."""
    if _is_empty(df, "applications"):
        return empty_figure()
    rate, low, high = (df[c].astype(float) * 100 for c in ("rate", "low", "high"))
    labels = [f"{s} · {r:.0f}% of {n:,}" + (" ⚠ few" if small else "")
              for s, r, n, small in zip(df["segment"], rate, df["applications"],
                                        df["too_small"], strict=True)]
    hover = [f"{s}: {k:,} of {n:,} reached an interview ({r:.0f}%)<br>95% interval "
             f"{lo:.0f}%–{hi:.0f}%" + ("<br>Too few applications to read a difference"
                                         if small else "")
             for s, k, n, r, lo, hi, small in zip(df["segment"], df["interviews"],
                                                  df["applications"], rate, low, high,
                                                  df["too_small"], strict=True)]
    color = STAGE_COLORS["interview"]
    fig = go.Figure(go.Bar(
        x=rate.tolist(), y=labels, orientation="h",
        marker={"color": color, "opacity": [0.35 if s else 1.0 for s in df["too_small"]]},
        error_x={"type": "data", "symmetric": False, "array": (high - rate).tolist(),
                 "arrayminus": (rate - low).tolist(), "color": _MUTED, "thickness": 1.5},
        customdata=hover, hovertemplate="%{customdata}<extra></extra>"))
    overall = df["interviews"].sum() / df["applications"].sum() * 100
    fig.add_vline(x=overall, line={"dash": "dash", "color": _MUTED, "width": 1},
                  annotation_text=f"All: {overall:.0f}%", annotation_position="top",
                  annotation_font_color=_MUTED)
    upper = min(100, 10 * np.ceil((high.max() + 10) / 10))
    fig.update_xaxes(range=[0, upper], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", gridcolor=_GRID)
    height = min(420, max(350, 80 + 24 * len(df)))
    _layout(fig, "Reached an interview or further", "Group", height=height, legend=False)
    return fig.update_layout(margin={"t": 28})


# ── feedback themes ─────────────────────────────────────────────────────────────────────

ACTIONABLE_COLOR = "#3A82C4"   # 'you can act on this'
NOT_YOU_COLOR = "#A8B1BD"      # 'not about you'


def theme_counts(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of ``queries.theme_counts``: applications per theme, blue for themes
    the candidate can act on and grey for those that were not about them."""
    if _is_empty(df, "applications"):
        return empty_figure("No feedback with a recognised reason among these applications.")
    df = df.sort_values(["controllable", "applications"], ascending=[False, False])
    fig = go.Figure()
    for flag, name, color in ((True, "You can act on this", ACTIONABLE_COLOR),
                              (False, "Not about you", NOT_YOU_COLOR)):
        part = df[df["controllable"] == flag]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=part["applications"], y=part["label"], orientation="h", name=name,
            marker={"color": color}, text=part["applications"], textposition="outside",
            cliponaxis=False, hovertemplate="%{y}: %{x} applications<extra></extra>"))
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=df["label"].tolist())
    height = min(560, max(300, 60 + 26 * len(df)))
    return _layout(fig, "Applications whose feedback names it", None, height=height)


def themes_by_stage(df: pd.DataFrame) -> go.Figure:
    """Heatmap of ``queries.themes_by_stage``: rejections naming each theme, by the stage
    the application had reached."""
    if _is_empty(df, "applications"):
        return empty_figure("No rejections with a recognised reason.")
    stages = [s for s in STAGE_LABELS if s in set(df["stage"])]
    table = df.pivot_table(index="label", columns="stage", values="applications",
                           aggfunc="sum", fill_value=0).reindex(columns=stages, fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    fig = go.Figure(go.Heatmap(
        z=table.values, x=[STAGE_LABELS[s] for s in stages], y=table.index.tolist(),
        colorscale=[[0, "rgba(58,130,196,0.05)"], [1, "rgba(58,130,196,1)"]],
        text=table.values, texttemplate="%{text}", showscale=False,
        hovertemplate="%{y} at %{x}: %{z} rejections<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    height = min(560, max(300, 60 + 26 * len(table)))
    return _layout(fig, "Stage reached before the rejection", None, height=height,
                   legend=False)


def themes_over_time(df: pd.DataFrame, top: int = 5) -> go.Figure:
    """Lines of ``queries.themes_over_time`` for the ``top`` themes the candidate can act on:
    applications per month whose feedback names each."""
    df = df[df["controllable"].fillna(False).astype(bool)] if not df.empty else df
    if _is_empty(df, "applications"):
        return empty_figure("No feedback naming something you can act on.")
    keep = df.groupby("label")["applications"].sum().nlargest(top).index
    months = pd.date_range(pd.to_datetime(df["month"]).min(), pd.to_datetime(df["month"]).max(),
                           freq="MS")
    fig = go.Figure()
    for label in keep:  # months without that reason count as zero, not as a gap
        part = (df[df["label"] == label].assign(month=lambda d: pd.to_datetime(d["month"]))
                .groupby("month")["applications"].sum().reindex(months, fill_value=0)
                .rename_axis("month").reset_index())
        fig.add_trace(go.Scatter(x=part["month"], y=part["applications"], name=label,
                                 mode="lines+markers",
                                 hovertemplate=f"{label}, %{{x|%b %Y}}: %{{y}}<extra></extra>"))
    fig.update_xaxes(dtick="M1", tickformat="%b %y")
    fig.update_yaxes(rangemode="tozero", dtick=1)
    return _layout(fig, "Month applied", "Applications")


# ── scope fit ───────────────────────────────────────────────────────────────────────────

def _stage_of(rank: int) -> str:
    return list(STAGE_LABELS)[int(rank)]


def _scope_hover(company, title, level, effective, size, stretch) -> str:
    """Hover text of one application (company and title escaped: they are user text)."""
    text = (f"{html.escape(str(company))} · {html.escape(str(title))}<br>title level {level}, "
            f"effective {effective:.1f}, ")
    text += f"{int(size):,} employees" if pd.notna(size) else "size unknown"
    return text + (f"<br>stretch {stretch:+.1f}" if pd.notna(stretch) else "")


def scope_scatter(points: pd.DataFrame, own_level: float | None = None) -> go.Figure:
    """Each application at (title level, effective level), coloured by the furthest stage
    it reached; the dotted diagonal is 'scope as the title says', the dashed line the
    candidate's own effective level. Points are spread a little sideways so equal titles do
    not hide each other."""
    if points is None or points.empty:
        return empty_figure("No applications with a job title that gives a level.")
    rng = np.random.default_rng(7)
    jitter = rng.uniform(-0.28, 0.28, len(points))
    fig = go.Figure()
    for rank in sorted(points["stage_rank"].dropna().unique()):
        part = points[points["stage_rank"] == rank]
        stage = _stage_of(rank)
        # numpy arrays, not lists: plotly checks a list element by element
        hover = np.array([_scope_hover(*row) for row in zip(
            part["company"], part["job_title"], part["title_level"], part["effective_level"],
            part["org_size"], part["stretch"], strict=True)], dtype=object)
        fig.add_trace(go.Scatter(
            x=(part["title_level"] + jitter[part.index]).to_numpy(float),
            y=part["effective_level"].to_numpy(float),
            mode="markers", name=STAGE_LABELS[stage],
            marker={"color": STAGE_COLORS[stage], "size": 8, "opacity": 0.8,
                    "line": {"width": 0.5, "color": "rgba(255,255,255,0.6)"}},
            customdata=hover, hovertemplate="%{customdata}<extra></extra>"))
    low = float(min(1, points["effective_level"].min()))
    high = float(max(12, points["effective_level"].max()))
    fig.add_trace(go.Scatter(x=[0.5, 12.5], y=[0.5, 12.5], mode="lines", hoverinfo="skip",
                             line={"dash": "dot", "color": _MUTED, "width": 1},
                             name="Scope as the title says"))
    if own_level is not None:
        fig.add_hline(y=own_level, line={"dash": "dash", "color": "#E07A5F", "width": 1.5},
                      annotation_text=f"Your current scope ({own_level:.1f})",
                      annotation_position="top left", annotation_font_color="#E07A5F")
    fig.update_xaxes(range=[0.4, 12.6], tickmode="array", tickvals=list(range(1, 13)),
                     ticktext=[f"{k}<br>{v}" for k, v in LEVEL_NAMES.items()])
    fig.update_yaxes(range=[np.floor(low) - 0.5, np.ceil(high) + 0.5], dtick=1)
    return _layout(fig, "Title level (what the title claims)",
                   "Effective level (adjusted for scope)", height=420)


def rates_by_band(df: pd.DataFrame, x_title: str) -> go.Figure:
    """Grouped bars of ``queries.segment_conversion`` over ordered bands: the share of
    applications that reached an interview and an offer, with 95% intervals, the number of
    applications under each band and the counts on hover; bands too small to read are faded
    and marked."""
    if _is_empty(df, "applications"):
        return empty_figure()
    labels = [f"{s}<br>n={n:,}" + (" ⚠" if small else "")
              for s, n, small in zip(df["segment"], df["applications"], df["too_small"],
                                     strict=True)]
    opacity = [0.35 if s else 1.0 for s in df["too_small"]]
    fig = go.Figure()
    for prefix, hits, name, color in (("", "interviews", "Reached an interview",
                                       STAGE_COLORS["interview"]),
                                      ("offer_", "offers", "Reached an offer",
                                       STAGE_COLORS["offer"])):
        rate = df[f"{prefix}rate"].astype(float) * 100
        low = df[f"{prefix}low"].astype(float) * 100
        high = df[f"{prefix}high"].astype(float) * 100
        hover = [f"{s}: {k:,} of {n:,} ({r:.0f}%)<br>95% interval {lo:.0f}%–{hi:.0f}%"
                 for s, k, n, r, lo, hi in zip(df["segment"], df[hits], df["applications"],
                                               rate, low, high, strict=True)]
        fig.add_trace(go.Bar(
            x=labels, y=rate, name=name, marker={"color": color, "opacity": opacity},
            error_y={"type": "data", "symmetric": False, "array": (high - rate).tolist(),
                     "arrayminus": (rate - low).tolist(), "color": _MUTED, "thickness": 1.2},
            customdata=hover, hovertemplate="%{customdata}<extra></extra>"))
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_yaxes(range=[0, 105], ticksuffix="%")
    return _layout(fig, x_title, "Share of applications")


def scope_grid(grid: pd.DataFrame) -> go.Figure:
    """Heatmap of ``queries.scope_grid``: for each title level and organisation size band,
    the share of applications that reached an interview, written 'interviews/applications'.
    Empty cells: no applications there."""
    if _is_empty(grid, "applications"):
        return empty_figure("No applications with a job title that gives a level.")
    bands = [b for b in (*SIZE_BANDS, "Unknown") if b in set(grid["size_band"])]
    levels = sorted(grid["title_level"].unique())
    rate = grid.assign(rate=grid["interviews"] / grid["applications"] * 100).pivot(
        index="title_level", columns="size_band", values="rate").reindex(
        index=levels, columns=bands)
    text = grid.assign(t=grid["interviews"].astype(str) + "/" + grid["applications"].astype(
        str)).pivot(index="title_level", columns="size_band", values="t").reindex(
        index=levels, columns=bands).fillna("")
    fig = go.Figure(go.Heatmap(
        z=rate.values, x=[f"{b} employees" if b != "Unknown" else "Size unknown"
                          for b in bands],
        y=[f"{k} {LEVEL_NAMES[k]}" for k in levels], text=text.values,
        texttemplate="%{text}", zmin=0, zmax=100, showscale=True,
        colorscale=[[0, "rgba(58,130,196,0.06)"], [1, "rgba(58,130,196,1)"]],
        colorbar={"title": {"text": "Interview"}, "ticksuffix": "%", "thickness": 12},
        hovertemplate="%{y} at %{x}: %{text} reached an interview (%{z:.0f}%)"
                      "<extra></extra>", hoverongaps=False))
    height = min(520, max(300, 80 + 34 * len(levels)))
    return _layout(fig, "Organisation size", "Title level", height=height, legend=False)


# ── coach review ────────────────────────────────────────────────────────────────────────

WITH_COLOR, WITHOUT_COLOR = "#3A82C4", "#A8B1BD"


def preparation_effect(df: pd.DataFrame) -> go.Figure:
    """Horizontal bars of ``queries.preparation_effect``: for each kind of preparation, the
    share that got further with it and without it, 95% intervals, n in the labels."""
    if _is_empty(df, "applications"):
        return empty_figure("No preparation recorded yet: add columns such as Researched or "
                            "Prep hours to your tracker, or fill them in below.")
    fig = go.Figure()
    labels = list(dict.fromkeys(df["label"]))
    for flag, name, color in ((True, "With it", WITH_COLOR), (False, "Without it",
                                                                WITHOUT_COLOR)):
        part = df[df["with_it"] == flag].set_index("label").reindex(labels)
        rate, low, high = (part[c].astype(float) * 100 for c in ("rate", "low", "high"))
        hover = [f"{name.lower()}: {int(k) if k == k else 0} of {int(n) if n == n else 0} "
                 f"{o} ({r:.0f}%)<br>95% interval {lo:.0f}%–{hi:.0f}%" if n == n else
                 "no applications"
                 for k, n, o, r, lo, hi in zip(part["successes"], part["applications"],
                                               part["outcome"], rate, low, high, strict=True)]
        fig.add_trace(go.Bar(
            y=labels, x=rate, orientation="h", name=name, marker={"color": color},
            text=[f"{r:.0f}% of {int(n)}" if n == n else "" for r, n in
                  zip(rate, part["applications"], strict=True)],
            textposition="outside", cliponaxis=False,
            error_x={"type": "data", "symmetric": False, "array": (high - rate).tolist(),
                     "arrayminus": (rate - low).tolist(), "color": _MUTED, "thickness": 1.2},
            customdata=hover, hovertemplate="%{y}, %{customdata}<extra></extra>"))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(range=[0, 115], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "Got further (an interview; for questions, the final round)", None,
                   height=min(420, max(320, 80 + 60 * len(labels))))


def weekly_activity(df: pd.DataFrame, goal: int | None = None) -> go.Figure:
    """Bars of applications sent per week (``queries.weekly_activity``) against the weekly
    goal, with the preparation and feedback requests the candidate controls as lines and
    the interviews that came of each week's applications."""
    if _is_empty(df, "applications"):
        return empty_figure("No dated applications yet.")
    weeks = pd.to_datetime(df["week"])
    fig = go.Figure()
    met = (df["applications"] >= goal) if goal else pd.Series(True, index=df.index)
    fig.add_trace(go.Bar(
        x=weeks, y=df["applications"], name="Applications sent",
        marker={"color": [WITH_COLOR if m else _rgba(WITH_COLOR, 0.45) for m in met]},
        hovertemplate="Week of %{x|%d %b}: %{y} applications<extra></extra>"))
    for column, name, color in (("prepared", "…with preparation recorded", "#2A9D8F"),
                                ("feedback_asked", "Feedback asked for", "#D9A441"),
                                ("interviews", "…that reached an interview", "#7E57C2")):
        smooth = df[column].rolling(4, min_periods=1).mean()  # a trend, not weekly noise
        fig.add_trace(go.Scatter(
            x=weeks, y=smooth, name=f"{name} (4-week average)", mode="lines",
            line={"color": color, "width": 2.5}, customdata=df[column],
            hovertemplate=f"Week of %{{x|%d %b}}: %{{customdata}} {name.lstrip('…').lower()}"
                          " (average %{y:.1f})<extra></extra>"))
    if goal:
        fig.add_hline(y=goal, line={"dash": "dash", "color": "#E07A5F", "width": 1.5},
                      annotation_text=f"Goal: {goal} a week", annotation_position="top left",
                      annotation_font_color="#E07A5F")
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(tickformat="%d %b")
    return _layout(fig, "Week applied", "Applications")


def review_stages(stages: dict) -> go.Figure:
    """Grouped bars of ``queries.review(...)['stages']``: the share of applications reaching
    each stage, in the period before the last session and since."""
    if not stages or not any(v for period in stages.values() for v in period.values()
                             if v is not None):
        return empty_figure("No applications in these periods.")
    fig = go.Figure()
    order = ["screen", "interview", "final", "offer"]
    for period, name, color in (("before", "Before the last session", WITHOUT_COLOR),
                                ("now", "Since the last session", WITH_COLOR)):
        values = [(stages.get(period, {}).get(s) or 0) * 100 for s in order]
        fig.add_trace(go.Bar(x=[STAGE_LABELS[s] for s in order], y=values, name=name,
                             marker={"color": color}, text=[f"{v:.0f}%" for v in values],
                             textposition="outside", cliponaxis=False,
                             hovertemplate=f"{name}: %{{y:.0f}}% reached %{{x}}<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    return _layout(fig, "Stage reached", "Share of applications")


def theme_changes(df: pd.DataFrame) -> go.Figure:
    """Diverging bars of ``queries.review(...)['themes']``: how many more (or fewer)
    applications named each reason since the last session than in the period before."""
    if df is None or df.empty:
        return empty_figure("No feedback naming a reason in these periods.")
    df = df.sort_values("change")
    colors = [ACTIONABLE_COLOR if c else NOT_YOU_COLOR for c in df["controllable"]]
    fig = go.Figure(go.Bar(
        x=df["change"], y=df["label"], orientation="h", marker={"color": colors},
        text=[f"{b} → {n}" for b, n in zip(df["before"], df["now"], strict=True)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text} applications<extra></extra>"))
    fig.add_vline(x=0, line={"color": _MUTED, "width": 1})
    span = max(1, int(df["change"].abs().max()))
    fig.update_xaxes(range=[-span - 1.5, span + 1.5], dtick=1)
    return _layout(fig, "Fewer ← change in applications naming it → more", None,
                   height=min(420, max(300, 60 + 26 * len(df))), legend=False)

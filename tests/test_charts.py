"""Dashboard charts: one palette for stages and outcomes, labelled Sankey nodes, segment
bars with intervals and small-group warnings, a common layout, and empty figures for empty
frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts as c
from dashboard import queries as q
from dashboard.filters import Filters
from pipelines.store.db import connect

ALL = Filters()
WHITE, DARK = "#FFFFFF", "#0E1117"   # Streamlit's light and dark backgrounds


@pytest.fixture(scope="module")
def figures(sample) -> dict[str, go.Figure]:
    return {
        "sankey": c.sankey(q.stage_flow(sample, ALL)),
        "funnel": c.funnel(q.funnel(sample, ALL)),
        "rejections_by_stage": c.rejections_by_stage(q.rejections_by_stage(sample, ALL)),
        "weekly_applications": c.weekly_applications(q.weekly_applications(sample, ALL)),
        "outcomes_over_time": c.outcomes_over_time(q.outcomes_over_time(sample, ALL)),
        "days_to_outcome": c.days_to_outcome(q.days_to_outcome(sample, ALL)),
        "segment_conversion": c.segment_conversion(q.segment_conversion(sample, ALL,
                                                                        "Source")),
        "scope_scatter": c.scope_scatter(q.scope_points(sample, ALL), 7.15),
        "rates_by_band": c.rates_by_band(q.segment_conversion(sample, ALL, "Stretch"),
                                         "Stretch"),
    }


def _luminance(hex_color: str) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _is_empty_figure(fig: go.Figure) -> bool:
    return not fig.data and len(fig.layout.annotations) == 1


def test_palette_covers_every_stage_and_outcome_with_human_labels():
    """Every stage and outcome has a colour and a label; Offer is the same green in both."""
    assert list(c.STAGE_COLORS) == list(c.STAGE_LABELS) == [
        "applied", "screen", "interview", "final", "offer"]
    assert set(c.OUTCOME_COLORS) == set(c.OUTCOME_LABELS) == set(c.OUTCOME_ORDER)
    assert list(c.STAGE_LABELS.values()) == ["Applied", "Screen", "Interview", "Final round",
                                             "Offer"]
    assert c.OUTCOME_LABELS["active"] == "Still active"
    assert c.STAGE_COLORS["offer"] == c.OUTCOME_COLORS["offer"]
    assert len(set(c.OUTCOME_COLORS.values())) == 5 and len(set(c.STAGE_COLORS.values())) == 5


def test_palette_reads_on_light_and_dark_backgrounds():
    """Each colour stands out from both a white and a dark background (contrast ≥ 2 and
    ≥ 3 respectively, enough for filled marks)."""
    for color in [*c.STAGE_COLORS.values(), *c.OUTCOME_COLORS.values()]:
        assert _contrast(color, WHITE) >= 2, color
        assert _contrast(color, DARK) >= 3, color


def test_every_figure_shares_the_layout(figures):
    """No title, height 350-420, tight margins, theme left alone, hover text everywhere."""
    for name, fig in figures.items():
        assert fig.layout.title.text is None, name
        assert 350 <= fig.layout.height <= 460, name
        assert max(fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.b) <= 10, name
        assert fig.layout.paper_bgcolor is None and fig.layout.font.color is None, name
        assert fig.data, name
        traces = [t for t in fig.data if getattr(t, "hoverinfo", None) != "skip"]
        for trace in traces:
            template = (trace.node.hovertemplate if isinstance(trace, go.Sankey)
                        else trace.hovertemplate)
            assert template, name


def test_axis_charts_have_axis_titles(figures):
    """Every chart with axes names both of them (the Sankey has none)."""
    for name, fig in figures.items():
        if name == "sankey":
            continue
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text, name


def test_sankey_nodes_show_counts_and_shares(figures):
    """Node labels read 'Screen<br>58 (39%)': applications and share of all 150."""
    node = figures["sankey"].data[0].node
    labels = list(node.label)
    assert "Applied<br>150 (100%)" in labels
    assert "Screen<br>58 (39%)" in labels
    assert "Interview<br>32 (21%)" in labels
    assert "Rejected<br>109 (73%)" in labels
    assert "Offer<br>3 (2%)" in labels
    colors = dict(zip((label.split("<br>")[0] for label in labels), node.color, strict=True))
    assert colors["Rejected"] == c.OUTCOME_COLORS["rejected"]
    assert colors["Interview"] == c.STAGE_COLORS["interview"]


def test_sankey_links_are_tinted_with_their_target(sample):
    """Each link is a translucent version of its target node's colour."""
    flow = q.stage_flow(sample, ALL)
    fig = c.sankey(flow)
    link = fig.data[0].link
    assert list(link.value) == flow["applications"].tolist()
    for target, color in zip(flow["target"], link.color, strict=True):
        r, g, b = (int(c.NODE_COLORS[target][i:i + 2], 16) for i in (1, 3, 5))
        assert color == f"rgba({r}, {g}, {b}, 0.4)"


def test_funnel_shows_conversion_from_the_stage_before(figures):
    """The funnel's bars are the reached counts, labelled with the step's conversion."""
    trace = figures["funnel"].data[0]
    assert list(trace.x) == [150, 58, 32, 11, 3]
    assert list(trace.y) == ["Applied", "Screen", "Interview", "Final round", "Offer"]
    assert trace.text[2] == "32 · 55% of Screen"
    assert list(trace.marker.color) == list(c.STAGE_COLORS.values())


def test_rejections_bars_carry_count_and_share(figures):
    """Bars read '64 (59%)' for résumé rejections, in stage order; no empty Offer bar."""
    trace = figures["rejections_by_stage"].data[0]
    assert list(trace.y) == [64, 21, 17, 7]
    assert trace.text[0] == "64 (59%)"


def test_weekly_and_monthly_bars_stack_outcomes_in_one_order(figures):
    """Both time charts stack outcomes in OUTCOME_ORDER with the outcome colours; the
    monthly one is normalised to shares."""
    for name in ("weekly_applications", "outcomes_over_time"):
        fig = figures[name]
        names = [t.name for t in fig.data]
        expected = [c.OUTCOME_LABELS[o] for o in c.OUTCOME_ORDER]
        assert names == [n for n in expected if n in names], name
        assert fig.layout.barmode == "stack"
        for trace in fig.data:
            code = next(k for k, v in c.OUTCOME_LABELS.items() if v == trace.name)
            assert trace.marker.color == c.OUTCOME_COLORS[code]
    assert figures["outcomes_over_time"].layout.barnorm == "percent"
    assert sum(sum(t.y) for t in figures["weekly_applications"].data) == 150


def test_days_histogram_keeps_every_application(sample, figures):
    """Binned bars add up to the applications per kind, and the legend names each median
    (of every application's days, as if listed one by one)."""
    days = q.days_to_outcome(sample, ALL)
    fig = figures["days_to_outcome"]
    totals = {t.name.split(" ")[0]: sum(t.y) for t in fig.data}
    assert totals == {"Rejected": 109, "Silence": 21}
    rejected = days[days["outcome_kind"] == "rejected"]
    one_by_one = pd.Series(np.repeat(rejected["days"], rejected["applications"]))
    assert fig.data[0].name == f"Rejected (median {one_by_one.median():.0f} days)"


@pytest.mark.parametrize(("days", "counts", "median"), [
    ([3], [1], 3.0), ([1, 2], [1, 1], 1.5), ([1, 2, 9], [2, 1, 1], 1.5),
    ([1, 2, 9], [1, 1, 1], 2.0), ([5, 7], [3, 3], 6.0), ([5, 7], [4, 3], 5.0)])
def test_weighted_median_is_the_median_of_the_values_listed_one_by_one(days, counts, median):
    """[1, 1, 2, 9] has median 1.5; [5, 5, 5, 5, 7, 7, 7] has median 5."""
    assert c._weighted_median(pd.Series(days), pd.Series(counts)) == median


def test_segment_bars_show_n_interval_and_small_group_warning(sample, figures):
    """Labels 'LinkedIn · 20% of 51' (rate and n), error bars from low to high, small
    groups faded and marked '⚠ few'."""
    table = q.segment_conversion(sample, ALL, "Source")
    bars = figures["segment_conversion"].data[0]
    linkedin = table.iloc[0]
    assert (linkedin["segment"], linkedin["applications"]) == ("LinkedIn", 51)
    assert bars.y[0] == f"LinkedIn · {linkedin['rate'] * 100:.0f}% of 51"
    assert "Idealist · 0% of 1 ⚠ few" in bars.y
    small = list(bars.y).index("Idealist · 0% of 1 ⚠ few")
    assert bars.marker.opacity[small] < bars.marker.opacity[0] == 1
    assert list(bars.x) == pytest.approx((table["rate"] * 100).tolist())
    assert list(bars.error_x.array) == pytest.approx(
        ((table["high"] - table["rate"]) * 100).tolist())
    assert list(bars.error_x.arrayminus) == pytest.approx(
        ((table["rate"] - table["low"]) * 100).tolist())


def test_empty_frames_give_empty_figures(tmp_path):
    """Every chart turns the frames of an empty database into the empty figure."""
    con = connect(tmp_path / "empty.duckdb")
    built = [c.sankey(q.stage_flow(con, ALL)), c.funnel(q.funnel(con, ALL)),
             c.rejections_by_stage(q.rejections_by_stage(con, ALL)),
             c.weekly_applications(q.weekly_applications(con, ALL)),
             c.outcomes_over_time(q.outcomes_over_time(con, ALL)),
             c.days_to_outcome(q.days_to_outcome(con, ALL)),
             c.segment_conversion(q.segment_conversion(con, ALL, "Source")),
             c.scope_scatter(q.scope_points(con, ALL)), c.scope_grid(q.scope_grid(con, ALL)),
             c.rates_by_band(q.segment_conversion(con, ALL, "Stretch"), "Stretch")]
    con.close()
    assert all(_is_empty_figure(fig) for fig in built)


def test_empty_figure_shows_its_message():
    """empty_figure puts the message in the middle of a blank figure with hidden axes."""
    fig = c.empty_figure("Nothing here yet.")
    assert fig.layout.annotations[0].text == "Nothing here yet."
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert 350 <= fig.layout.height <= 420


def test_themes_over_time_counts_quiet_months_as_zero():
    """A reason named in January and March but not February draws a zero for February."""
    df = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-03-01"]),
                       "theme": ["leadership"] * 2, "label": ["Leadership"] * 2,
                       "controllable": [True, True], "applications": [2, 1]})
    trace = c.themes_over_time(df).data[0]
    assert list(trace.y) == [2, 0, 1]


def test_scope_scatter_escapes_user_text_and_marks_the_candidate():
    """Company and title are escaped in the hover; the candidate's level is a labelled line;
    every application with a level is a point, coloured by its furthest stage."""
    points = pd.DataFrame({"company": ["<b>Acme</b>", "Globex"], "job_title": ["VP", "Analyst"],
                           "org_size": [14, None], "title_level": [10, 3],
                           "effective_level": [7.5, 3.0], "stretch": [0.4, None],
                           "stage_rank": [0, 2]})
    fig = c.scope_scatter(points, 7.1)
    dots = [t for t in fig.data if t.mode == "markers"]
    assert sorted(t.name for t in dots) == ["Applied", "Interview"]
    hover = " ".join(h for t in dots for h in t.customdata)
    assert "&lt;b&gt;Acme&lt;/b&gt;" in hover and "<b>Acme" not in hover
    assert "size unknown" in hover and "14 employees" in hover
    assert "Your current scope (7.1)" in fig.layout.annotations[0].text


def test_rates_by_band_shows_interview_and_offer_rates_with_intervals(sample):
    """Two bars per band (interview, offer) with the 95% interval and n under each band."""
    table = q.segment_conversion(sample, ALL, "Stretch")
    fig = c.rates_by_band(table, "Stretch")
    interview, offer = fig.data
    assert list(interview.y) == pytest.approx((table["rate"] * 100).tolist())
    assert list(offer.y) == pytest.approx((table["offer_rate"] * 100).tolist())
    assert list(offer.error_y.array) == pytest.approx(
        ((table["offer_high"] - table["offer_rate"]) * 100).tolist())
    assert all(f"n={n:,}" in label for n, label in zip(table["applications"], interview.x,
                                                        strict=True))


def test_scope_grid_writes_interviews_over_applications():
    """Each cell says 'interviews/applications'; the colour is the share; sizes in order."""
    grid = pd.DataFrame({"title_level": [8, 8, 10], "size_band": ["5,000+", "1-49", "1-49"],
                         "applications": [4, 2, 1], "interviews": [1, 2, 0]})
    fig = c.scope_grid(grid)
    heat = fig.data[0]
    assert list(heat.x) == ["1-49 employees", "5,000+ employees"]
    assert list(heat.y) == ["8 Director", "10 VP"]
    assert heat.text.tolist() == [["2/2", "1/4"], ["0/1", ""]]
    assert heat.z[0][0] == pytest.approx(100) and heat.z[0][1] == pytest.approx(25)

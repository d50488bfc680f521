"""Dashboard queries: hand-computed figures on small trackers and on the sample tracker's
answer key, filters and corrections applied, the previous period, empty databases, and
small results from a large database."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard import queries as q
from dashboard.filters import Filters
from pipelines.ingest.importer import ingest_file
from pipelines.store.db import connect
from tests.conftest import write_text

ROOT = Path(__file__).resolve().parents[1]
ALL = Filters()
D = dt.date

# Seven applications with hand-computed figures (dates in 2025; as-of date is 1 Apr).
#   Acme   3 Mar  applied/rejected     answered 13 Mar (10 days)    March
#   Beta   5 Mar  screen/rejected      answered 25 Mar (20 days)    March
#   Gamma 10 Mar  interview/active                                  March
#   Delta 31 Mar  applied/no_response  silent to 1 Apr (1 day)      March
#   Eps    3 Feb  offer/offer          answered 24 Feb (21 days)    February
#   Zeta  29 Jan  applied/withdrawn    (not a response)             29 Jan
#   Eta   28 Jan  applied/rejected     answered 7 Feb (10 days)     28 Jan
#   Iota  15 Jan  applied/active       76 days before the as-of date: ghosted after 30
#   Theta  1 Apr  applied/active                                    April
SMALL = """Company,Job Title,Date Applied,Status,Last Update,Source,Referral,Org Size,Org Type
Acme,Analyst,2025-03-03,Rejected,2025-03-13,LinkedIn,,30,startup
Beta,Analyst,2025-03-05,Rejected after phone screen,2025-03-25,LinkedIn,No,249,Startup
Gamma,Analyst,2025-03-10,Interview,,Referral,,1000,Nonprofit
Delta,Analyst,2025-03-31,No response,,Indeed,Jen Alvarez,5000,nonprofit
Eps,Analyst,2025-02-03,Offer,2025-02-24,LinkedIn,Yes,,Enterprise
Zeta,Analyst,2025-01-29,Withdrawn,,,,12,
Eta,Analyst,2025-01-28,Rejected,2025-02-07,Indeed,,,
Iota,Analyst,2025-01-15,Applied,,LinkedIn,,,
Theta,Analyst,2025-04-01,Applied,,LinkedIn,,,
"""
# The sample tracker's answer key by (stage, outcome).
SAMPLE_KEY = {("applied", "active"): 6, ("applied", "no_response"): 21,
              ("applied", "rejected"): 64, ("applied", "withdrawn"): 1,
              ("final", "active"): 1, ("final", "rejected"): 7, ("interview", "active"): 2,
              ("interview", "rejected"): 17, ("interview", "withdrawn"): 2,
              ("offer", "offer"): 3, ("screen", "active"): 3, ("screen", "rejected"): 21,
              ("screen", "withdrawn"): 2}


def tracker_db(folder: Path, text: str, name: str = "t.csv"):
    """A database in ``folder`` holding the tracker ``text``."""
    con = connect(folder / "db.duckdb")
    ingest_file(con, write_text(folder, name, text))
    return con


@pytest.fixture
def small(tmp_path):
    con = tracker_db(tmp_path, SMALL)
    yield con
    con.close()


@pytest.fixture
def empty(tmp_path):
    con = connect(tmp_path / "empty.duckdb")
    yield con
    con.close()


def _id(con, company: str) -> str:
    return con.execute("SELECT application_id FROM applications WHERE company = ?",
                       [company]).fetchall()[0][0]


def test_modules_do_not_import_streamlit():
    """Neither queries.py nor charts.py imports streamlit."""
    for name in ("queries.py", "charts.py"):
        tree = ast.parse((ROOT / "dashboard" / name).read_text(encoding="utf-8"))
        imported = {a.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for a in node.names}
        imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        assert "streamlit" not in imported, name


def test_sample_matches_its_answer_key(sample):
    """The sample tracker loads with the (stage, outcome) counts of its answer key."""
    rows = sample.execute("SELECT stage_reached, outcome, count(*) FROM applications_view "
                          "GROUP BY ALL").fetchall()
    assert {(s, o): n for s, o, n in rows} == SAMPLE_KEY


def test_funnel_counts_on_sample(sample):
    """Reached counts are hand-summed from the answer key (interview: 2+17+2+1+7+3 = 32)."""
    frame = q.funnel(sample, ALL)
    assert frame["stage"].tolist() == list(q.STAGE_LABELS)
    assert frame["reached"].tolist() == [150, 58, 32, 11, 3]
    assert frame["share_of_applied"].tolist() == pytest.approx([1, 58 / 150, 32 / 150,
                                                                11 / 150, 3 / 150])
    conversion = frame["conversion_from_previous"].tolist()
    assert pd.isna(conversion[0])
    assert conversion[1:] == pytest.approx([58 / 150, 32 / 58, 11 / 32, 3 / 11])


def test_stage_flow_conserves_applications(sample):
    """Flow into Screen, Interview and Final round equals flow out; Applied sends out all 150
    and the outcome nodes receive all 150."""
    flow = q.stage_flow(sample, ALL)
    inflow = flow.groupby("target")["applications"].sum()
    outflow = flow.groupby("source")["applications"].sum()
    for node in ("Screen", "Interview", "Final round"):
        assert inflow[node] == outflow[node], node
    assert outflow["Applied"] == 150 and "Applied" not in inflow
    ends = ["Rejected", "No response", "Withdrawn", "Still active"]
    assert inflow[ends].sum() + inflow["Offer"] - outflow.get("Offer", 0) == 150
    assert (flow["applications"] > 0).all()


def test_stage_flow_links_on_sample(sample):
    """Links carry the answer key: a final-round rejection passes through every stage."""
    flow = q.stage_flow(sample, ALL)
    links = {(s, t): n for s, t, n in flow.itertuples(index=False)}
    assert links[("Applied", "Rejected")] == 64
    assert links[("Applied", "Screen")] == 58
    assert links[("Interview", "Final round")] == 11
    assert links[("Final round", "Rejected")] == 7
    assert links[("Final round", "Offer")] == 3
    assert links[("Screen", "Withdrawn")] == 2
    assert inflow_total(flow, "Rejected") == 109
    assert set(flow["source"]) | set(flow["target"]) <= set(q.FLOW_NODES)


def inflow_total(flow: pd.DataFrame, node: str) -> int:
    return int(flow.loc[flow["target"] == node, "applications"].sum())


def test_offer_outcome_counts_as_reaching_the_offer_stage(small):
    """An offer recorded at an earlier stage flows through every stage to 'Offer' and
    counts in the funnel's offer row."""
    small.execute("INSERT INTO annotations (application_id, outcome, updated_at) "
                  "VALUES (?, 'offer', now()::TIMESTAMP)", [_id(small, "Gamma")])
    flow = q.stage_flow(small, ALL)
    links = {(s, t): n for s, t, n in flow.itertuples(index=False)}
    assert links[("Final round", "Offer")] == 2       # Eps and Gamma
    assert ("Offer", "Offer") not in links
    assert q.funnel(small, ALL)["reached"].tolist() == [9, 3, 2, 2, 2]


def test_rejections_by_stage_on_sample(sample):
    """Rejections per furthest stage, all five stages present, shares of all 109."""
    frame = q.rejections_by_stage(sample, ALL)
    assert frame["stage"].tolist() == list(q.STAGE_LABELS)
    assert frame["rejections"].tolist() == [64, 21, 17, 7, 0]
    assert frame["share"].tolist() == pytest.approx([64 / 109, 21 / 109, 17 / 109,
                                                     7 / 109, 0])


def test_outcome_filter_changes_counts(sample):
    """Filters(outcomes=('rejected',)) narrows every query to the 109 rejections."""
    only = Filters(outcomes=("rejected",))
    assert q.funnel(sample, only)["reached"].tolist() == [109, 45, 24, 7, 0]
    flow = q.stage_flow(sample, only)
    assert set(flow["target"]) - {"Screen", "Interview", "Final round"} == {"Rejected"}
    assert q.weekly_applications(sample, only)["outcome"].unique().tolist() == ["rejected"]
    assert q.outcomes_over_time(sample, only)["applications"].sum() == 109
    assert q.application_count(sample, only) == 109
    assert q.segment_conversion(sample, only, "Source")["applications"].sum() == 109


def test_corrections_in_annotations_are_read(small):
    """Queries read applications_view: an annotation moving Delta to an interview
    rejection changes the funnel and the rejections."""
    assert q.funnel(small, ALL)["reached"].tolist() == [9, 3, 2, 1, 1]
    small.execute("INSERT INTO annotations (application_id, stage_reached, outcome, "
                  "updated_at) VALUES (?, 'interview', 'rejected', now()::TIMESTAMP)",
                  [_id(small, "Delta")])
    assert q.funnel(small, ALL)["reached"].tolist() == [9, 4, 3, 1, 1]
    assert q.rejections_by_stage(small, ALL)["rejections"].tolist() == [2, 1, 1, 0, 0]
    assert q.applications_table(small, Filters(search="delta"))["edited"].tolist() == [True]


def test_kpis_for_a_chosen_period_and_the_one_before(small):
    """March against the 31 days before it (29 Jan - 28 Feb), all hand-computed."""
    k = q.kpis(small, Filters(date_from=D(2025, 3, 1), date_to=D(2025, 3, 31)))
    assert (k["applications"], k["responded"]) == (4, 3)   # Acme, Beta, Gamma answered
    assert k["response_rate"] == pytest.approx(0.75)
    assert k["interview_rate"] == pytest.approx(0.25)
    assert k["offer_rate"] == 0
    assert k["median_days_to_response"] == pytest.approx(15)   # median of 10 and 20
    assert (k["period_start"], k["period_end"]) == (D(2025, 3, 1), D(2025, 3, 31))
    before = k["previous"]
    assert (before["period_start"], before["period_end"]) == (D(2025, 1, 29), D(2025, 2, 28))
    assert (before["applications"], before["responded"]) == (2, 1)   # Eps; Zeta withdrew
    assert before["interview_rate"] == before["offer_rate"] == pytest.approx(0.5)
    assert before["median_days_to_response"] == pytest.approx(21)
    assert "previous" not in before
    assert "1 Mar 2025 – 31 Mar 2025" in k["period_label"]


def test_kpis_without_dates_compare_the_last_30_days(small):
    """With no dates chosen: the 30 days up to the latest date applied (3 Mar - 1 Apr)
    against the 30 before (1 Feb - 2 Mar)."""
    k = q.kpis(small, ALL)
    assert (k["period_start"], k["period_end"]) == (D(2025, 3, 3), D(2025, 4, 1))
    assert k["applications"] == 5
    assert k["previous"]["applications"] == 1
    assert (k["previous"]["period_start"], k["previous"]["period_end"]) == (
        D(2025, 2, 1), D(2025, 3, 2))
    assert "last 30 days" in k["period_label"]
    assert k["selection"]["applications"] == 9
    assert k["selection"]["interview_rate"] == pytest.approx(2 / 9)


def test_kpis_with_only_a_start_date_end_at_the_latest_application(small):
    """A start without an end runs to the latest date applied; other filters apply to both
    periods."""
    k = q.kpis(small, Filters(date_from=D(2025, 3, 5), sources=("LinkedIn",)))
    assert (k["period_start"], k["period_end"]) == (D(2025, 3, 5), D(2025, 4, 1))
    assert k["applications"] == 2                     # Beta, Theta
    assert k["previous"]["period_start"] == D(2025, 2, 5)
    assert k["previous"]["applications"] == 1         # Acme (3 Mar)


def test_kpis_with_nothing_earlier_leave_the_previous_period_empty(small):
    """An end date alone starts the period at the first application (15 Jan), so there is
    nothing before it: the previous figures are None rather than zeros."""
    k = q.kpis(small, Filters(date_to=D(2025, 2, 28)))
    assert (k["period_start"], k["period_end"]) == (D(2025, 1, 15), D(2025, 2, 28))
    assert k["applications"] == 4                     # Iota, Eta, Zeta, Eps
    assert k["previous"]["applications"] is None
    assert k["previous"]["response_rate"] is None
    assert k["previous"]["period_end"] == D(2025, 1, 14)
    assert "no earlier applications" in k["period_label"]


def test_days_to_outcome_and_ghosting(small):
    """Rejections count days to the answer; silence counts days to the as-of date (1 Apr);
    an open application past the limit joins the silence. Counted per number of days:
    Acme and Eta rejected after 10 days, Beta after 20; Delta silent 1 day, Iota 76."""
    frame = q.days_to_outcome(small, ALL, ghost_after_days=30)
    got = {(r.outcome_kind, r.days): r.applications for r in frame.itertuples()}
    assert got == {("rejected", 10): 2, ("rejected", 20): 1, ("silence", 1): 1,
                   ("silence", 76): 1}
    assert q.ghosted_count(small, ALL, 30) == 1
    assert q.ghosted_count(small, ALL, 76) == 0        # "more than" the limit
    assert q.days_to_outcome(small, ALL, ghost_after_days=90)["applications"].sum() == 4


def test_wilson_interval_against_a_worked_example():
    """8 of 10 with z = 1.96: centre 0.99208/1.38416 = 0.71674, half-width 0.31362/1.38416 =
    0.22658, so (0.4902, 0.9433)."""
    low, high = q.wilson_interval(8, 10, z=1.96)
    assert (low, high) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert q.wilson_interval(0, 10)[0] == 0
    assert q.wilson_interval(10, 10)[1] == pytest.approx(1)


def test_segment_conversion_by_source(sample):
    """One row per source, largest first, rates with Wilson intervals around them and a
    too-small flag below min_n."""
    frame = q.segment_conversion(sample, ALL, "Source")
    assert frame["segment"].iloc[0] == "LinkedIn"
    assert frame["applications"].tolist() == sorted(frame["applications"], reverse=True)
    assert frame["applications"].sum() == 150 and frame["interviews"].sum() == 32
    assert ((frame["low"] <= frame["rate"]) & (frame["rate"] <= frame["high"])).all()
    row = frame.set_index("segment").loc["Idealist"]
    assert row["applications"] == 1 and bool(row["too_small"])
    assert not frame.set_index("segment").loc["LinkedIn", "too_small"]
    linkedin = frame.set_index("segment").loc["LinkedIn"]
    low, high = q.wilson_interval(linkedin["interviews"], 51)
    assert (linkedin["low"], linkedin["high"]) == pytest.approx((low, high))


def test_every_segment_counts_as_labelling_each_application_would(sample):
    """Counting per distinct value first gives each segment's counts of labelling every
    application one by one (the applications merged into 'Other' aside)."""
    for segment, expression in q.SEGMENTS.items():
        one_by_one = dict(sample.execute(f"""
            SELECT coalesce(nullif(trim(CAST(({expression}) AS VARCHAR)), ''), 'Unknown'),
                   count(*) FROM applications_view GROUP BY 1""").fetchall())
        frame = q.segment_conversion(sample, ALL, segment)
        shown = dict(zip(frame["segment"], frame["applications"], strict=True))
        assert sum(shown.values()) == 150, segment
        assert {k: v for k, v in shown.items() if k != "Other"} == {
            k: one_by_one[k] for k in shown if k != "Other"}, segment


def test_segments_referral_size_and_type(small):
    """Referral ('No' is not one; a Referral source is; with neither a referral cell nor a
    source, unknown), size bands in order, organisation types read into startup / nonprofit /
    public sector / company; NULL becomes 'Unknown'."""
    def counts(segment):
        frame = q.segment_conversion(small, ALL, segment, min_n=2)
        return dict(zip(frame["segment"], frame["applications"], strict=True))

    # Gamma, Delta, Eps referred; Zeta has no source and no referral cell
    assert counts("Referral") == {"Not referred": 5, "Referred": 3, "Unknown": 1}
    sizes = q.segment_conversion(small, ALL, "Organisation size")
    assert sizes["segment"].tolist() == ["1-49", "50-249", "1,000-4,999", "5,000+", "Unknown"]
    assert sizes["applications"].tolist() == [2, 1, 1, 1, 4]
    assert counts("Organisation type") == {"Startup": 2, "Nonprofit": 2, "Company": 1,
                                           "Unknown": 4}
    with pytest.raises(ValueError, match="unknown segment"):
        q.segment_conversion(small, ALL, "Shoe size")


def test_segments_beyond_fifteen_are_grouped_as_other(tmp_path):
    """Twenty locations and some blanks: 13 named, 'Other', then 'Unknown' (15 rows) and
    no application lost."""
    lines = ["Company,Job Title,Date Applied,Status,Location"]
    for i in range(20):
        for j in range(20 - i):                          # location L00 most frequent
            lines.append(f"Co{i}x{j},Analyst,2025-03-01,Applied,L{i:02d}")
    lines += [f"Blank{j},Analyst,2025-03-01,Applied," for j in range(3)]
    con = tracker_db(tmp_path, "\n".join(lines) + "\n")
    frame = q.segment_conversion(con, ALL, "Location")
    assert len(frame) == q.MAX_SEGMENTS
    assert frame["segment"].tolist()[:13] == [f"L{i:02d}" for i in range(13)]
    assert frame["segment"].tolist()[-2:] == ["Other", "Unknown"]
    assert frame.set_index("segment").loc["Other", "applications"] == sum(range(1, 8))
    assert frame["applications"].sum() == 210 + 3
    con.close()


def test_weekly_and_monthly_grain(small):
    """Weeks start on Monday and months on the 1st; one row per (period, outcome)."""
    weekly = q.weekly_applications(small, ALL)
    assert (pd.to_datetime(weekly["week"]).dt.day_of_week == 0).all()
    assert weekly["applications"].sum() == 9
    assert not weekly.duplicated(["week", "outcome"]).any()
    monthly = q.outcomes_over_time(small, ALL)
    march = monthly[pd.to_datetime(monthly["month"]) == pd.Timestamp(2025, 3, 1)]
    assert dict(zip(march["outcome"], march["applications"], strict=True)) == {
        "active": 1, "rejected": 2, "no_response": 1}


def test_table_options_history_and_unknown_statuses(tmp_path):
    """The table is newest first with the agreed columns; options list sources and files;
    history lists the import; an unknown status shows until it is placed by hand."""
    con = tracker_db(tmp_path, SMALL.replace("Theta,Analyst,2025-04-01,Applied",
                                             "Theta,Analyst,2025-04-01,Blorp"))
    table = q.applications_table(con, ALL, limit=3)
    assert table.columns.tolist() == list(q.TABLE_COLUMNS)
    assert table["company"].tolist() == ["Theta", "Delta", "Gamma"]
    options = q.filter_options(con)
    assert (options["min_date"], options["max_date"]) == (D(2025, 1, 15), D(2025, 4, 1))
    assert options["sources"] == ["Indeed", "LinkedIn", "Referral"]
    assert options["files"] == ["t.csv"]
    history = q.import_history(con)
    assert history["source_file"].tolist() == ["t.csv"]
    assert history.loc[0, "applications_new"] == 9
    assert q.unknown_statuses(con).values.tolist() == [["Blorp", 1]]
    con.execute("INSERT INTO status_overrides VALUES ('Blorp', 'screen', 'active', "
                "now()::TIMESTAMP)")
    assert q.unknown_statuses(con).empty
    con.close()


def test_empty_database_gives_empty_results(empty):
    """With no applications every query returns an empty frame (or zeros) without error."""
    k = q.kpis(empty, ALL)
    assert k["applications"] == 0 and k["response_rate"] is None
    assert k["previous"]["applications"] == 0
    assert k["median_days_to_response"] is None
    assert k["selection"]["applications"] == 0
    for name in ("weekly_applications", "outcomes_over_time", "stage_flow", "funnel",
                 "rejections_by_stage", "days_to_outcome", "applications_table"):
        assert getattr(q, name)(empty, ALL).empty, name
    for segment in q.SEGMENTS:
        assert q.segment_conversion(empty, ALL, segment).empty
    assert q.ghosted_count(empty, ALL) == 0
    assert q.filter_options(empty) == {"min_date": None, "max_date": None, "sources": [],
                                       "files": []}
    assert q.import_history(empty).empty and q.unknown_statuses(empty).empty


def test_filters_matching_nothing_give_empty_results(sample):
    """A search nobody matches empties the frames and zeroes the headline figures."""
    none = Filters(search="no such company anywhere")
    assert q.kpis(sample, none)["applications"] == 0
    assert q.stage_flow(sample, none).empty and q.funnel(sample, none).empty
    assert q.segment_conversion(sample, none, "Source").empty


def _synthetic(con, n: int) -> None:
    """``n`` applications written straight into the table (no import), spread over 900
    days, every stage and outcome, 37 sources and 300 locations."""
    con.execute("""
        INSERT INTO applications (application_id, company, job_title, applied_on,
            stage_reached, outcome, outcome_on, status_raw, status_known, source_channel,
            referral, location, org_size, org_type, source_file, first_import_id,
            last_import_id, updated_at)
        SELECT 'a' || i, 'Company ' || (i % 5000), 'Title ' || (i % 300),
               DATE '2023-01-01' + (i % 900)::INTEGER,
               ['applied', 'screen', 'interview', 'final', 'offer'][1 + i % 5],
               ['active', 'rejected', 'no_response', 'withdrawn', 'offer'][1 + (i * 7) % 5],
               DATE '2023-01-01' + (i % 900)::INTEGER + (i % 60)::INTEGER,
               'status ' || (i % 50), i % 97 <> 0, 'Source ' || (i % 37),
               CASE WHEN i % 9 = 0 THEN 'Yes' END, 'City ' || (i % 300), (i * 37) % 20000,
               ['Startup', 'nonprofit', 'Enterprise'][1 + i % 3], 'big.csv', 1, 1,
               now()::TIMESTAMP
        FROM range(?) t(i)""", [n])


def test_large_database_returns_small_frames(tmp_path):
    """Timing sanity on 100,000 applications: every aggregate comes back as a small frame
    (per-application frames are capped or one row each)."""
    con = connect(tmp_path / "big.duckdb")
    _synthetic(con, 100_000)
    filters = Filters(date_from=D(2023, 6, 1), sources=("Source 1", "Source 2"))
    for f in (ALL, filters):
        assert q.kpis(con, f)["applications"] > 0
        assert len(q.weekly_applications(con, f)) <= 130 * 5
        assert len(q.outcomes_over_time(con, f)) <= 30 * 5
        assert len(q.stage_flow(con, f)) <= 4 + 4 * 5
        assert len(q.funnel(con, f)) == 5 and len(q.rejections_by_stage(con, f)) == 5
        for segment in q.SEGMENTS:
            assert len(q.segment_conversion(con, f, segment)) <= q.MAX_SEGMENTS
        assert len(q.applications_table(con, f)) <= 5000
        assert q.ghosted_count(con, f) >= 0
    assert len(q.unknown_statuses(con)) <= 50
    days = q.days_to_outcome(con, ALL)
    assert len(days) <= 2 * (days["days"].max() + 1)  # one row per kind and number of days
    con.close()


# ── scope fit ───────────────────────────────────────────────────────────────────────────

def test_segments_count_offers_with_an_interval(small):
    """segment_conversion also counts offers: Eps (the only offer) is the Company group."""
    frame = q.segment_conversion(small, ALL, "Organisation type", min_n=2).set_index("segment")
    assert frame["offers"].to_dict() == {"Startup": 0, "Nonprofit": 0, "Company": 1,
                                         "Unknown": 0}
    assert frame.loc["Company", "offer_rate"] == 1.0
    low, high = q.wilson_interval(1, 1)
    assert (frame.loc["Company", "offer_low"], frame.loc["Company", "offer_high"]) == \
        pytest.approx((low, high))


def test_title_level_and_stretch_segments(small):
    """Every 'Analyst' reads as level 3; with no profile, stretch is unknown for all."""
    levels = q.segment_conversion(small, ALL, "Title level")
    assert levels[["segment", "applications"]].values.tolist() == [["3 Mid", 9]]
    stretch = q.segment_conversion(small, ALL, "Stretch")
    assert stretch[["segment", "applications"]].values.tolist() == [["Unknown", 9]]


def test_scope_grid_by_hand(small):
    """Level 3 × size band, by hand from SMALL: Acme 30 and Zeta 12 in 1-49; Beta 249;
    Gamma 1,000 (interview); Delta 5,000; Eps (offer), Eta, Iota, Theta of unknown size."""
    grid = q.scope_grid(small, ALL)
    got = {(r.size_band, r.applications, r.interviews) for r in grid.itertuples()}
    assert got == {("1-49", 2, 0), ("50-249", 1, 0), ("1,000-4,999", 1, 1),
                   ("5,000+", 1, 0), ("Unknown", 4, 1)}
    assert set(grid["title_level"]) == {3}


def test_scope_points_sample_a_large_selection(small):
    """Beyond the limit, scope_points returns at most that many rows and says the total."""
    every = q.scope_points(small, ALL)
    assert len(every) == 9 and every.attrs["total"] == 9
    few = q.scope_points(small, ALL, limit=3)
    assert 0 < len(few) <= 3 and few.attrs["total"] == 9


def test_candidate_scope_and_scope_table(small):
    """No profile gives None; a profile gives its levels; the scope table says how each
    title was read and which rows the user changed."""
    from pipelines.edits.corrections import save_profile, save_scope

    assert q.candidate_scope(small) is None
    save_profile(small, current_title="Senior Analyst", org_size=1000)
    assert q.candidate_scope(small)["title_level"] == 4
    assert q.candidate_scope(small)["effective_level"] == pytest.approx(4.0)
    save_scope(small, _id(small, "Acme"), org_size=20000)
    table = q.scope_table(small, ALL).set_index("company")
    assert set(table["read_as"]) == {"analyst"}
    assert table.loc["Acme", "scope_edited"] and not table.loc["Beta", "scope_edited"]
    assert table.loc["Acme", "org_size"] == 20000
    # 3 + 0.3 × log10(20) = 3.39, minus the candidate's 4
    assert table.loc["Acme", "stretch"] == pytest.approx(-0.61, abs=0.006)


@pytest.mark.parametrize(("a", "b", "carried"), [
    ((1, 12), (9, 20), True),    # the example: 8% against 45%
    ((1, 5), (3, 6), False),     # too few applications to say
    ((3, 30), (4, 40), False),   # the same rate
    ((4, 40), (7, 40), False),   # a difference chance explains (z ≈ 1.0)
])
def test_plain_reading_only_where_the_numbers_carry_it(a, b, carried):
    """compare_rates words the two rates and says whether a two-proportion test carries the
    difference at the 5% level."""
    reading = q.compare_rates("Roles two or more levels above your current scope", *a,
                              "roles within one level", *b)
    assert reading.carried is carried
    if a == (1, 12):
        assert reading.text == ("Roles two or more levels above your current scope reached an "
                                "interview 1 time in 12; roles within one level, 9 times in 20.")
        assert reading.better == "b"


# ── the view without unused joins ───────────────────────────────────────────────────────

def _rows(con, source: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {source} ORDER BY application_id").fetchall()


def test_the_view_without_empty_correction_tables_is_the_same_view(small):
    """Whichever correction tables hold rows, the view joining only those gives exactly the
    rows and columns of the stored view joining all four; with none, no join at all."""
    import itertools

    from pipelines.edits.coaching import save_preparations
    from pipelines.edits.corrections import place_status, save_annotation, save_scope
    from pipelines.store.view import ALL_TABLES, edits_present, view_sql

    assert edits_present(small) == frozenset()
    assert "JOIN" not in view_sql(frozenset())
    assert _rows(small, f"({view_sql(frozenset())})") == _rows(small, "applications_view")
    writes = [lambda: save_annotation(small, _id(small, "Acme"), stage="interview",
                                      feedback="They wanted more SQL"),
              lambda: place_status(small, "Applied", "screen", "active"),
              lambda: save_scope(small, _id(small, "Beta"), org_size=40_000),
              lambda: save_preparations(small, [(_id(small, "Gamma"), {"researched": True,
                                                                          "referred": False})])]
    for write in writes:
        write()
        present = edits_present(small)
        stored = _rows(small, "applications_view")
        assert _rows(small, f"({view_sql(present)})") == stored
        for extra in itertools.chain.from_iterable(
                itertools.combinations(ALL_TABLES - present, k) for k in range(1, 4)):
            assert _rows(small, f"({view_sql(present | set(extra))})") == stored
    assert edits_present(small) == ALL_TABLES
    acme = next(r for r in _rows(small, "applications_view") if r[0] == _id(small, "Acme"))
    assert "They wanted more SQL" in acme


def test_theme_totals_equal_counting_each_tag(sample):
    """Theme counts, themes by stage and themes by month equal counting the (application,
    theme) pairs of application_themes one by one."""
    def pairs(sql: str) -> dict:
        return {tuple(r[:-1]): r[-1] for r in sample.execute(f"""
            SELECT {sql}, count(*) FROM application_themes t
            JOIN applications_view a USING (application_id) GROUP BY ALL""").fetchall()}

    counts = q.theme_counts(sample, ALL)
    assert len(counts) >= 5
    assert dict(zip(counts["theme"], counts["applications"], strict=True)) == {
        k[0]: v for k, v in pairs("t.theme").items()}
    rejected = {k[:2]: v for k, v in pairs("t.theme, a.stage_reached, a.outcome").items()
                if k[2] == "rejected"}
    by_stage = q.themes_by_stage(sample, ALL)
    assert {(r.theme, r.stage): r.applications for r in by_stage.itertuples()} == rejected
    monthly = {k: v for k, v in pairs("date_trunc('month', a.applied_on)::DATE, "
                                      "t.theme").items() if k[0] is not None}
    over_time = q.themes_over_time(sample, ALL)
    assert {(r.month.date(), r.theme): r.applications for r in over_time.itertuples()} == monthly


def test_feedback_summary_equals_counting_each_rejection(sample):
    """Rejections, those with text, with a reason and with only reasons outside the
    candidate's control, counted one rejection at a time from application_themes."""
    controllable = {t for (t,) in sample.execute(
        "SELECT theme FROM themes WHERE controllable").fetchall()}
    tags: dict[str, set] = {}
    for app, theme in sample.execute("SELECT application_id, theme FROM application_themes"
                                     ).fetchall():
        tags.setdefault(app, set()).add(theme)
    rejected = sample.execute("""SELECT application_id, feedback IS NOT NULL OR notes IS NOT
                                 NULL FROM applications_view WHERE outcome = 'rejected'"""
                              ).fetchall()
    reasons = {app: tags.get(app, set()) - {"generic_template"} for app, _ in rejected}
    expected = {"rejections": len(rejected), "with_text": sum(t for _, t in rejected),
                "with_reason": sum(bool(r) for r in reasons.values()),
                "not_about_you": sum(bool(r) and not r & controllable
                                     for r in reasons.values())}
    figures = q.feedback_summary(sample, ALL)
    assert expected["rejections"] == 109 and expected["not_about_you"] > 0
    assert {k: figures[k] for k in expected} == expected

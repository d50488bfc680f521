"""Generate Silver Lining's sample tracker: one persona, 150 applications, Jan-Sep 2025.

Persona: Dana, VP of Communications at a ~35-person local nonprofit, aiming at
Director-level communications roles at large companies. Every name is invented.

The outcome mix is fixed (OFFERS, PLAN, ACTIVE_STAGES) and placed with weights so there
is a pattern to find: enterprise (>5000 staff) director roles mostly die at the resume
or screen stage, mid-size orgs and nonprofits get further, and all offers come from them.
Specific feedback keeps returning to leadership at scale, business acumen and metrics.

Deterministic: one seeded random.Random, no clock. Writes tracker.csv and tracker.xlsx
next to this file.  Run: python sample_data/make_sample.py
"""

# ruff: noqa: E501  (feedback notes are data, one per line)
import csv
import random
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

SEED, START, END = 20250106, date(2025, 1, 6), date(2025, 9, 30)
LATE = date(2025, 8, 18)  # applications from here on may still be open
OUT = Path(__file__).resolve().parent
HEADER = ["Company", "Job Title", "Date Applied", "Status", "Last Update", "Feedback", "Location",
          "Salary", "Source", "Referral", "Contact", "Org Size", "Org Type", "Job URL",
          "Researched", "Contacted insiders", "Questions prepared", "Prep hours",
          "Asked for feedback"]
STAGE_ORDER = ["applied", "screen", "interview", "final", "offer"]
# Offers: (org bucket, status, note, applied between). Placed first.
OFFERS = [
    ("np", "Offer - declined", "Offer: lateral move, $8k less than now. Declined, but kept in "
     "touch with the ED.", (date(2025, 2, 1), date(2025, 4, 30))),
    ("mid", "Offer", "Verbal offer $148k + 10% bonus, team of 5.\nAsked them to hold until end "
     "of Sept, weighing it against my other option.", (date(2025, 6, 1), date(2025, 7, 31))),
    ("mid", "Offer!! 🎉", "Written offer! Reports to the CEO, team of 7, {size:,} staff, top of "
     "the range. Negotiating start date.", (date(2025, 6, 1), date(2025, 7, 31))),
]
# The 12 latest-ish applications are still open; the rest of PLAN is placed, the remainder
# (64 rows) are resume rejections.  (outcome, stage reached) -> rows.
ACTIVE_STAGES = ["final", "interview", "interview", "screen", "screen", "screen"] + ["applied"] * 6
PLAN = {("rejected", "final"): 7, ("rejected", "interview"): 17, ("withdrawn", "interview"): 2,
        ("withdrawn", "screen"): 2, ("withdrawn", "applied"): 1, ("rejected", "screen"): 21,
        ("no_response", "applied"): 21}
# Placement weight by org bucket: big enterprise (>5000 staff), mid-size, nonprofit, other.
WEIGHT = {"final": dict(big=.25, mid=3, np=3.5, other=1.2),
          "interview": dict(big=.35, mid=2.5, np=3, other=1.5),
          "screen": dict(big=.8, mid=1.5, np=2, other=1.2),
          "no_response": dict(big=1.6, mid=.7, np=.8, other=1),
          "withdrawn": dict(big=1, mid=1, np=1, other=1)}
DAYS = {"applied": (4, 40), "screen": (12, 35), "interview": (21, 55), "final": (35, 70),
        "offer": (40, 75)}  # applied -> last update, by stage reached

TYPE_COUNT = {"Enterprise": 66, "Mid-size": 32, "Nonprofit": 24, "Startup": 9,
              "Public sector": 9, "Education": 10}
STAFF = {"Enterprise": (5500, 120000), "Mid-size": (200, 4800), "Nonprofit": (25, 1400),
         "Startup": (30, 260), "Public sector": (300, 9000), "Education": (150, 11000)}
COMPANIES = {t: [n.strip() for n in text.replace("\n", ";").split(";") if n.strip()]
             for t, text in {
    "Enterprise": """Halvorsen Energy; Crestline Financial Group; Meridale Health System;
        Bluewater Mutual Insurance; Orrin Aerospace; Kestrel Consumer Brands; Lakemont Bancorp;
        Vantora Pharmaceuticals; Ironbridge Logistics; Tessaly Telecom; Graymoor Foods;
        Northfield Retail Group; Calder Industrial; Quarry Point Technologies; Dunmore Rail;
        Ashgrove Hotels & Resorts; Brenwick Automotive; Solvane Chemicals; Fairhaven Airlines;
        Ostrander Medical Devices; Larkspur Media Holdings; Weller & Crane Insurance;
        Harrowgate Capital; Pellham Beverage Co.; Stonereach Utilities; Corvane Semiconductors;
        Mirabel Cosmetics; Everly Health Partners; Tamsin Software; Wrenfield Agriculture;
        Bexley Global Payments; Halden Steel; Rowan & Pike Apparel; Caspian Therapeutics;
        Marlow Packaging; Vireo Energy Solutions; Tarrant Engineering Group; Kinloch Hospitality;
        Norwell Data Systems; Silvan Home Goods; Ambrose Health Insurance; Quentin Freight;
        Trellis Foods International; Harlan Pharmacy Group; Castell Financial; Orison Medical;
        Dorrance Industries; Auden Electric; Vesper Motors; Lindqvist Manufacturing;
        Pemberton Mutual; Glenhollow Brands; Straye Instruments; Meriwether Cruise Lines;
        Tolland Chemical; Yardley Biologics; Cawdor Networks; Brisbane Street Bank""",
    "Mid-size": """Brightpath Learning; Cedar & Main Analytics; Lakeshore Community Credit Union;
        Fennimore Design Group; Harbor Lane Health; Millbrook Software; Parkside Financial;
        Crosswind Energy Cooperative; Tillman & Rose Architects; Kettle River Brewing;
        Blue Heron Senior Living; Juniper Street Partners; Alder Health Clinics; Copperline Media;
        Riverstone Behavioral Health; Greenleaf Grocers; Prairie Wind Insurance; Marston & Co.;
        Ellery Biosciences; Stanhope Engineering; Foxglove Hospitality; Northgate Regional Bank;
        Quillon Education Services; Ember Valley Foods; Sable Creek Logistics;
        Orchard Lane Health Plan; Tidewater Consulting""",
    "Nonprofit": """Riverbend Food Bank; Open Doors Housing Alliance; Great Lakes Clean Water Fund;
        The Hollis Family Foundation; Lantern Literacy Project; Northshore Community Foundation;
        Kids First Mentoring; Prairie Land Trust; Second Chance Reentry Coalition;
        The Marlowe Foundation; Midwest Immigrant Legal Center; Citywide Arts Council;
        Greenway Conservancy; Bright Futures Scholarship Fund; Heartland Hunger Coalition;
        Oakridge Museum of Science; The Avery Trust; Mercy Lane Hospice;
        Lakeview Symphony Orchestra; Women in Trades Alliance""",
    "Startup": """Lumio Health; Quillstack; Parcelwise; Fernway Robotics; Tandem Ledger; Nimbly AI;
        Halo Care; Sproutwell; Gridleaf Energy""",
    "Public sector": """City of Maplewood; Ashford County; Regional Transit Authority;
        Lakes Region Water District; Northlake Park District; Port of Westhaven;
        Tri-County Housing Authority; Village of Elm Grove""",
    "Education": """Eastbrook University; St. Clement College; Lakeland Community College;
        Harwood School of Design; Northern Plains University; Carrow Academy;
        Bellmont Institute of Technology; Kingsbury College""",
}.items()}
TITLES = {  # org type -> {title: weight}
    "Enterprise": {"Director of Communications": 3, "Senior Director, Corporate Communications": 2,
                   "Director, External Affairs": 1.5, "Director, Internal Communications": 1.5,
                   "Director of Corporate Communications": 2, "Head of Communications": 1,
                   "Director, Executive Communications": 1, "Communications Director": 1,
                   "Senior Communications Manager": .8},
    "Mid-size": {"Director of Communications": 3, "Communications Director": 2,
                 "VP Communications": 1.5, "Director of Marketing & Communications": 2,
                 "Head of Communications": 1, "Senior Communications Manager": .6},
    "Nonprofit": {"Director of Communications": 3, "VP of Communications": 1,
                  "Director, External Affairs": 1.5, "Director of Marketing & Communications": 2,
                  "Communications Director": 1.5},
    "Startup": {"Head of Communications": 3, "Director of Communications": 1,
                "VP Communications": 1},
    "Public sector": {"Director of Communications": 2, "Director of Public Affairs": 2,
                      "Director, External Affairs": 1, "Senior Communications Manager": 1},
    "Education": {"Director of Communications": 2, "Director of Marketing & Communications": 2,
                  "Senior Director, University Communications": 1,
                  "Associate Vice President, Communications": .6},
}
LOCAL = ["Chicago, IL"] * 6 + ["Evanston, IL", "Oak Brook, IL", "Schaumburg, IL"]
AWAY = ["Milwaukee, WI", "Minneapolis, MN", "New York, NY", "Indianapolis, IN", "Detroit, MI",
        "Denver, CO"]
NAMES = "Priya Tom Elena Marcus Jordan Aisha Greg Nina Rafael Colleen Devon Hannah Luis Mei".split()
ROLES = ["recruiter"] * 3 + ["hiring mgr", "VP Marketing", "HR", "agency recruiter", "CMO"]


def notes(text):
    """One note per line; a literal \\n inside a line is a line break in the note."""
    return [ln.strip().replace("\\n", "\n") for ln in text.strip().splitlines()]


FORM = notes(r"""
Thank you for your interest in {co}. After careful review, we have decided to move forward with other candidates whose experience more closely matches the requirements of this position.
Thank you for your interest... we have decided to move forward with other candidates whose experience more closely matches our needs at this time. We'll keep your resume on file.
Form email: "we received a large number of highly qualified applicants" - not moving forward.
Auto-reject email, 'position has been filled'.
Generic no thanks. We encourage you to apply for future openings.
""")
ABOUT = {stage: notes(text) for stage, text in {  # specific feedback; themes repeat on purpose
    "applied": r"""
        Recruiter said they need someone who has led a comms team of 15+ across multiple business units.
        Looking for experience running global / enterprise-wide communications, not regional.
        Went with a candidate with more direct industry experience.
        We went with an internal candidate.
        The role has been put on hold due to a hiring freeze.
        Recruiter: resume reads 'nonprofit', they want corporate comms and investor relations exposure.
        Looking for someone with commercial / P&L experience, business acumen is a must for this seat.
        Via recruiter: they want someone who has run a department, not a small team.
    """,
    "screen": r"""
        Recruiter screen: concerned about leadership at scale. My team is 4, this role manages 18 plus agencies.
        Lacks experience leading large teams - recruiter was honest about it, appreciated that.
        Recruiter: need a leader who has run comms for a $500M+ business, mine is a $6M org. Business acumen.
        Recruiter asked for results with numbers, I didn't have them ready. Need a metrics cheat sheet!
        Limited business acumen / P&L exposure. "Needs to talk to the CFO as a peer."
        No experience with global/enterprise comms, e.g. earnings, M&A announcements.
        Compensation expectations too high for the band (they topped out at $135k).
        Asked about crisis comms at scale - I only had the 2023 data breach example.
        Role has been put on hold due to a hiring freeze, per recruiter.
        Recruiter felt my title (VP) didn't match the scope they need,\nsaid to reframe resume around outcomes.
    """,
    "interview": r"""
        Interview notes: answers were too high level, wanted more metrics.
        HM feedback: great storyteller, but wanted more data on results (reach, sentiment, KPIs).
        Feedback: "strong on narrative, light on measurement".\nPrep next time: 3 metrics per story.
        Limited business acumen - couldn't speak to how comms ties to revenue, margins.
        They wanted someone who has led a team of 20+, managed a $2M+ budget. Leadership at scale again.
        Crisis comms experience not deep enough for a regulated company.
        2nd interview: wanted sharper examples of business impact / ROI. Too much "we", not enough numbers.
        Panel wanted someone who has led managers of managers (leadership at scale).
        Told the HM my range; she said it's above what they budgeted. Compensation again.
        Went with a candidate with more direct industry experience (healthcare).
        No feedback beyond 'other candidates were a closer fit'.
    """,
    "final": r"""
        Final round: very close, other finalist had led a larger team (30 people, two regions).
        We went with an internal candidate. Hiring mgr said I was their #2 and to stay in touch.
        Panel feedback: presentation strong, but answers were too high level, wanted more metrics.\nCEO asked about budget ownership, I fumbled it.
        Chose a candidate with more direct industry experience, "it was a hard call".
        Limited P&L exposure came up again with the CFO. Otherwise very positive.
    """}.items()}
OVERQUALIFIED = notes(r"""
Overqualified for this role - they worried I'd leave in a year.
Recruiter: "honestly you're overqualified for this one". Suggested the director opening instead.
""")
RELOCATION = ["Needed someone on-site 4 days/week, relocation not supported.",
              "Relocation / location: local candidates preferred."]
WITHDREW = notes(r"""
Withdrew - salary range well below current.
Withdrew: role turned out to be mostly events, not comms.
Took myself out of the process, 2-hour commute each way.
Withdrew after learning the role reports to a\nMarketing Manager, not the exec team.
Withdrew, timing - wanted to focus on another process.
""")
# Notes on open applications, by the stage reached, so a note never runs ahead of the status.
ACTIVE_NOTE = {"applied": ["", "", "Tailored the cover letter to their annual report."],
               "screen": ["Phone screen booked with {who}.", "Recruiter call went well."],
               "interview": ["Sent thank-you notes to the panel.",
                             "Waiting to hear back after 2nd round."],
               "final": ["Final round next week - prep metrics!"]}


def build_companies(rng):
    comps = []
    for otype, names in COMPANIES.items():
        lo, hi = STAFF[otype]
        for name in names:
            size = int(round(lo * (hi / lo) ** rng.random(), -1 if lo < 1000 else -3))
            hq = rng.choice(LOCAL * 2 + AWAY if otype == "Enterprise" else LOCAL * 3 + AWAY)
            comps.append(dict(name=name, type=otype, size=size, hq=hq))
    return comps


def application_dates(rng, n):
    month_w = {1: 1.3, 2: 1.3, 3: 1.2, 4: 1.0, 5: 1.0, 6: 0.8, 7: 0.6, 8: 0.9, 9: 0.8}
    days = [START + timedelta(d) for d in range((END - START).days + 1)]
    w = [month_w[d.month] * (1 if d.weekday() < 5 else 0.2) for d in days]
    return sorted(rng.choices(days, weights=w, k=n))


def make_apps(rng):
    pool, used, apps = build_companies(rng), [], []
    types = [t for t, k in TYPE_COUNT.items() for _ in range(k)]
    rng.shuffle(types)
    for d, otype in zip(application_dates(rng, len(types)), types, strict=True):
        of_type = [c for c in pool if c["type"] == otype]
        earlier = [c for c, when in used if c["type"] == otype and (d - when).days > 40]
        fresh = [c for c in of_type if all(c is not u for u, _ in used)]
        if earlier and (rng.random() < 0.11 or not fresh):  # a second role at the same org
            comp = rng.choice(earlier)
        else:
            comp = rng.choice(fresh or of_type)
        used.append((comp, d))
        title = rng.choices(list(TITLES[otype]), weights=list(TITLES[otype].values()))[0]
        loc = "Remote" if rng.random() < 0.18 else comp["hq"]
        apps.append(dict(comp, date=d, title=title, loc=loc))
    # A few long shots (C-level at bigger orgs) and step-downs (manager at smaller ones).
    big = [a for a in apps if a["type"] in ("Enterprise", "Mid-size") and a["date"] < LATE]
    for a in rng.sample(big, 4):
        a["title"] = "Chief Communications Officer"
    small = [a for a in apps if a["type"] in ("Mid-size", "Nonprofit") and a["date"] < LATE
             and "Chief" not in a["title"]]
    for a in rng.sample(small, 5):
        a["title"] = "Communications Manager"
    return apps


def bucket(app):
    if app["type"] == "Enterprise" and app["size"] > 5000:
        return "big"
    return {"Mid-size": "mid", "Nonprofit": "np"}.get(app["type"], "other")


def title_factor(title, key):
    if "Chief" in title:  # long shots: nobody calls back
        return 0 if key in ("offer", "final", "interview") else 0.2
    if title == "Communications Manager":  # step-downs: screened, then "overqualified"
        return 3 if key == "screen" else 0.1 if key in ("offer", "final", "interview") else 1
    return 1


def assign_outcomes(rng, apps):
    late = [a for a in apps if a["date"] >= LATE]
    forced = [a for a in late if a["date"] >= date(2025, 9, 22)]
    active = forced + rng.sample([a for a in late if a not in forced],
                                 len(ACTIVE_STAGES) - len(forced))
    for a, stage in zip(sorted(active, key=lambda a: a["date"]), ACTIVE_STAGES, strict=True):
        a.update(outcome="active", stage=stage)
    for want, status, note, (lo, hi) in OFFERS:
        cands = [a for a in apps if "outcome" not in a and bucket(a) == want and lo <= a["date"] <= hi
                 and not any(b["name"] == a["name"] and b["date"] > a["date"] for b in apps)]
        a = rng.choices(cands, weights=[title_factor(c["title"], "offer") for c in cands])[0]
        a.update(outcome="offer", stage="offer", status=status, fb=note.format(size=a["size"]))
    for (outcome, stage), count in PLAN.items():
        key = stage if outcome == "rejected" else outcome
        need = 21 if outcome == "no_response" else DAYS[stage][0]
        for _ in range(count):
            cands = [a for a in apps if "outcome" not in a and (END - a["date"]).days >= need]
            w = [WEIGHT[key][bucket(a)] * title_factor(a["title"], key) for a in cands]
            rng.choices(cands, weights=w)[0].update(outcome=outcome, stage=stage)
    for a in apps:
        a.setdefault("outcome", "rejected")
        a.setdefault("stage", "applied")


def status_text(rng, a):
    o, s = a["outcome"], a["stage"]
    if o == "rejected":
        return rng.choice({
            "applied": ["Rejected"] * 12 + ["Not selected"] * 2 + ["Rejected - no interview"] * 2
                       + ["rejected"],
            "screen": ["Rejected after phone screen", "Rejected after recruiter screen",
                       "Rejected after screen"],
            "interview": ["Rejected after interview", "Rejected after 2nd interview",
                          "Rejected after 1st interview", "Rejected after HM interview"],
            "final": ["Rejected - final round", "Rejected after final round",
                      "Rejected after onsite"]}[s])
    if o == "no_response":
        return rng.choice(["No response"] * 8 + ["Ghosted"] * 4 + ["No reply", "ghosted"])
    if o == "withdrawn":
        return {"applied": "Withdrew", "screen": "Withdrew after phone screen",
                "interview": "Withdrew after interview",
                "final": "Withdrew after final round"}[s]
    if o == "active":
        return {"applied": "Applied", "screen": "Phone screen scheduled",
                "interview": "Interview", "final": "Final round"}[s]
    return a["status"]


def feedback(rng, a):
    o, s = a["outcome"], a["stage"]
    if o == "no_response":
        return rng.choice([""] * 17 + ["Followed up twice on LinkedIn, nothing.", "Never heard back."])
    if o == "withdrawn":
        return rng.choice(WITHDREW)
    if o == "active":
        notes = ACTIVE_NOTE[s]  # one draw out of five, as the generator always made
        return notes[rng.randrange(5) % len(notes)].format(who=rng.choice(NAMES))
    if o == "offer":
        return a["fb"]
    if a["title"] == "Communications Manager" and s in ("applied", "screen") and rng.random() < .8:
        return rng.choice(OVERQUALIFIED)
    if a["loc"] in AWAY and s in ("applied", "screen") and rng.random() < 0.15:
        return rng.choice(RELOCATION)
    blank, form = {"applied": (.2, .55), "screen": (.05, .15), "interview": (0, .1), "final": (0, 0)}[s]
    r = rng.random()
    if r < blank:
        return ""
    return rng.choice(FORM if r < blank + form else ABOUT[s]).format(co=a["name"])


def salary(rng, a):
    base = {"Enterprise": 165, "Mid-size": 135, "Nonprofit": 110, "Startup": 150,
            "Public sector": 115, "Education": 125}[a["type"]]
    t = a["title"]
    base += 60 if "Chief" in t else 20 if "Senior Dir" in t else -30 if "Manager" in t else 0
    lo = int(base * rng.uniform(0.9, 1.1)) // 5 * 5
    hi = lo + rng.choice([20, 25, 30, 40])
    styles = [f"${lo}k-${hi}k", f"${lo},000 - ${hi},000", f"{lo}-{hi}k", f"{(lo + hi) // 2},000",
              f"${lo + 10}K", "DOE", ""]
    return rng.choices(styles, [5, 3, 2, 2, 1, 2, 9])[0]


def extras(rng, a):
    """Source, Referral, Contact and Job URL."""
    src_w = {"LinkedIn": 40, "Company site": 20, "Indeed": 10, "Referral": 8, "Recruiter": 8,
             "Network": 6, "Idealist": 14 if a["type"] == "Nonprofit" else 0}
    src = rng.choices(list(src_w), weights=list(src_w.values()))[0]
    ref = ""
    if src in ("Referral", "Network") and rng.random() < 0.8:
        ref = rng.choice(["Yes", "Jen Alvarez", "Sam K.", "Yes - former colleague",
                          "Marisol (board member)"])
    contact = ""
    if src == "Recruiter" or rng.random() < (0.08 if a["stage"] == "applied" else 0.45):
        role = "recruiter" if src == "Recruiter" else rng.choice(ROLES)
        contact = f"{rng.choice(NAMES)} ({role})"
    n, s = rng.randint(1000, 99999), re.sub(r"[^a-z0-9]+", "-", a["name"].lower()).strip("-")
    urls = [f"https://careers.{s}.example.com/jobs/{n}", f"https://jobs.example.net/{s}/{n}"]
    if a["type"] in ("Nonprofit", "Education", "Public sector"):
        urls.append(f"https://{s}.example.org/careers/{n}")
    url = rng.choice(urls)
    if src == "LinkedIn":
        url = f"https://www.example.com/jobs/view/{rng.randint(3900000000, 4299999999)}"
    return src, ref, contact, url if rng.random() < 0.88 else ""


def preparation(rng, a):
    """Researched, Contacted insiders, Questions prepared, Prep hours, Asked for feedback.
    Dana prepares more as the months go by (after her first coach session in May), and
    prepared applications get further: the story the Preparation page should find. Drawn
    from a second random stream so the other columns stay as they were."""
    later = (a["date"] - START).days / (END - START).days      # 0 in January … 1 in September
    far = STAGE_ORDER.index(a["stage"]) >= 2 or a["outcome"] == "offer"
    researched = rng.random() < (0.25 + 0.5 * later) + (0.25 if far else 0)
    insiders = rng.random() < (0.1 + 0.3 * later) + (0.25 if far else 0)
    questions = far and rng.random() < 0.5 + 0.4 * later
    hours = round(rng.uniform(0.5, 2) + (3 * rng.random() if researched else 0), 1)
    asked = a["outcome"] == "rejected" and rng.random() < 0.2 + 0.6 * later
    yes = lambda flag: "Yes" if flag else ("No" if rng.random() < 0.6 else "")  # noqa: E731
    return [yes(researched), yes(insiders), yes(questions) if far else "",
            hours if rng.random() < 0.85 else None, yes(asked) if a["outcome"] == "rejected"
            else ""]


def to_rows(rng, apps):
    """Turn internal records into tracker rows (dicts keyed by HEADER)."""
    rows = []
    prep_rng = random.Random(SEED + 1)
    for a in apps:
        last = None
        if a["outcome"] not in ("active", "no_response"):
            lo, hi = DAYS[a["stage"]]
            last = a["date"] + timedelta(rng.randint(lo, min(hi, (END - a["date"]).days)))
        src, ref, contact, url = extras(rng, a)
        rows.append(dict(zip(HEADER, [
            a["name"], a["title"], a["date"], status_text(rng, a), last, feedback(rng, a),
            a["loc"], salary(rng, a), src, ref, contact, a["size"], a["type"], url,
            *preparation(prep_rng, a)], strict=True)))
    for r in rng.sample(rows, 8):  # the human touch: gaps, sloppy casing, a typo, emoji
        r["Org Size"] = None
    for t in ["enterprise", "nonprofit", "Mid-Size"]:
        rng.choice([r for r in rows if r["Org Type"].lower() == t.lower()])["Org Type"] = t
    rng.choice([r for r in rows if r["Status"] == "Rejected"])["Status"] = "rejeted"
    rng.choice([r for r in rows if r["Status"] == "Ghosted"])["Status"] = "Ghosted 👻"
    return rows


def write_csv(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: v.isoformat() if isinstance(v, date) else "" if v is None else v
                        for k, v in r.items()})


def summary_group(status):
    s = status.lower()
    for key, group in [("offer", "Offer"), ("reje", "Rejected"), ("not sel", "Rejected"),
                       ("withdr", "Withdrew"), ("ghost", "No response / ghosted"),
                       ("no re", "No response / ghosted")]:
        if key in s:
            return group
    return "Still open"


def write_xlsx(rows, path):
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"title": "Job search 2025", "author": "Dana",
                       "created": datetime(2025, 9, 30, 18, 0)})  # fixed: byte-stable output
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    dfmt = wb.add_format({"num_format": "m/d/yyyy", "valign": "top", "align": "left"})
    wrap, top = wb.add_format({"text_wrap": True, "valign": "top"}), wb.add_format({"valign": "top"})
    ws = wb.add_worksheet("Applications")
    ws.write("A1", "Job search 2025 — Dana", wb.add_format({"bold": True, "font_size": 14}))
    ws.write_row(2, 0, HEADER, head)
    for i, r in enumerate(rows, start=3):
        for j, col in enumerate(HEADER):
            v = r[col]
            if isinstance(v, date):
                ws.write_datetime(i, j, datetime(v.year, v.month, v.day), dfmt)
            elif v not in (None, ""):
                ws.write(i, j, v, wrap if col == "Feedback" else top)
    for j, width in enumerate([30, 38, 12, 28, 12, 60, 16, 20, 13, 22, 24, 9, 13, 52]):
        ws.set_column(j, j, width)
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, 2 + len(rows), len(HEADER) - 1)
    sm = wb.add_worksheet("Summary")
    sm.write_row(0, 0, ["Status", "Count"], head)
    counts = Counter(summary_group(r["Status"]) for r in rows)
    order = ["Rejected", "No response / ghosted", "Still open", "Withdrew", "Offer"]
    for i, group in enumerate(order, start=1):
        sm.write_row(i, 0, [group, counts[group]])
    sm.write_row(len(order) + 1, 0, ["Total", len(rows)], wb.add_format({"bold": True, "top": 1}))
    sm.set_column(0, 0, 24)
    wb.close()


def answer_key():
    """The (stage, outcome) the generator gave each application, counted: what an import
    of the sample files must reproduce."""
    rng = random.Random(SEED)
    apps = make_apps(rng)
    assign_outcomes(rng, apps)
    return Counter((a["stage"] if a["outcome"] != "offer" else "offer", a["outcome"])
                   for a in apps)


def main():
    rng = random.Random(SEED)
    apps = make_apps(rng)
    assign_outcomes(rng, apps)
    rows = to_rows(rng, apps)
    write_csv(rows, OUT / "tracker.csv")
    write_xlsx(rows, OUT / "tracker.xlsx")
    c = Counter(a["outcome"] + ("@" + a["stage"] if a["outcome"] == "rejected" else "")
                for a in apps)
    print(f"rows={len(rows)} " + " ".join(f"{k}={c[k]}" for k in sorted(c)))


if __name__ == "__main__":
    main()

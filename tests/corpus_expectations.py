"""Independently derived expectations for every file in ../shared/corpus.

Written without reading or running pipelines/. Every number below was worked out by
reading the raw file (row by row where needed) against the product rules:
applications (rule 1), duplicates (rule 2), stage reached (rule 3), outcome (rule 4),
multi-status / transitions (rule 5) and non-tracker files (rule 6).

Entries are either
    {"applications": N, "stage": {...}, "outcome": {...}, "layout": "...", "note": "..."}
or
    {"fails": "short reason", "note": "..."}.

Stage order: applied < screen < interview < final < offer.
Where a judgement call was needed it is stated in the note (look for "JUDGEMENT").
"""

STAGES = ("applied", "screen", "interview", "final", "offer")
OUTCOMES = ("active", "rejected", "no_response", "withdrawn", "offer")


def _stage(applied=0, screen=0, interview=0, final=0, offer=0):
    return {
        "applied": applied,
        "screen": screen,
        "interview": interview,
        "final": final,
        "offer": offer,
    }


def _outcome(active=0, rejected=0, no_response=0, withdrawn=0, offer=0):
    return {
        "active": active,
        "rejected": rejected,
        "no_response": no_response,
        "withdrawn": withdrawn,
        "offer": offer,
    }


EXPECTED = {}

# ---------------------------------------------------------------------------------------------
# nakuramino_sankey/applications2020.csv
# 135 data rows. 'Applied Date' blank in 21 rows; 20 of those have no Result either:
#   19 company-only rows (Netflix, Alaska Airlines, Delta, Github, Broadway Technologies,
#   Nordstrom, Buzzfeed, Code Academy, Groupon, Medium, Meetup, Pandora, SeatGeek, Sift Science,
#   Snapchat, Venmo, intel, Starbucks, AQR) + 'EA,Software Engineer Intern' (title, no date,
#   no result) -> wishlist. 'HQ Trivia' has no date but Result 'rejected' -> counted. => 115.
# Stage columns (stripped): Coding Challenge {yes: 7, expired: 2}, Recruiter {yes: 2},
#   Phone {'8/5/2019 & 8/14/2019', '8/22/2019 & 8/27/2019', yes, 'n/a'},
#   On-Campus {yes: 1}, Onsite {yes: 2}.
# Result (stripped): blank 95, Rejected 9, reeejected 4, 'Rejection :(' 2, rejected 2,
#   Rejection 1, Accepted! 1, ongoing 1.
# Stage per row: Microsoft (On-Campus yes, Onsite yes, Accepted!) -> offer; CapitalOne (Onsite
#   yes) -> final; screen = Google (Winter) phone dates, Goldman, Palantir, Twitter (expired),
#   Akuna Dev, Akuna Quant (expired), JP Morgan, Atlassian, DeepMind, Etsy, BlackRock = 11.
# No duplicate (company, title, date) triples.
EXPECTED["nakuramino_sankey/applications2020.csv"] = {
    "applications": 115,
    "stage": _stage(applied=102, screen=11, interview=0, final=1, offer=1),
    "outcome": _outcome(active=96, rejected=18, no_response=0, withdrawn=0, offer=1),
    "layout": "stage_columns",
    "note": (
        "115 of 135 rows: 20 wishlist rows dropped (19 company-only + EA with title but no "
        "date/result). Coding Challenge/Recruiter/Phone -> screen, On-Campus -> interview, "
        "Onsite -> final, Result 'Accepted!' -> offer. JUDGEMENT: Coding Challenge 'expired' "
        "(Twitter, Akuna Quant) counted as screen reached (the challenge was sent); without "
        "that screen=9, applied=104. Phone 'n/a' (Bloomberg) is not a stage. Rejected = 18 "
        "(Rejected/reeejected/Rejection :(/rejected/Rejection). Blank result + 'ongoing' -> "
        "active. 0 duplicates merged. Layout: stage columns plus a Result outcome column."
    ),
}

# ---------------------------------------------------------------------------------------------
# nakuramino_sankey/applications2021.csv
# 52 data rows, every row has an Applied Date. NOTE: SOURCES.tsv mentions a stray repeated
# header row 'Result' - there is none in this copy (52 rows, all real applications).
# Coding Challenge {CodeSignal 3, Code Challenge 2, Coding Challenge 2}; Recruiter all blank;
# Phone 6 dates; On-Campus 3 dates; Onsite 1 date.
# Result: blank 32, Rejected 18, Accepted! 1, ongoing 1.
# Per row: Amazon (Code Challenge, Phone, Accepted!) -> offer; Qualtrics (Phone, On-Campus,
#   Onsite) -> final; Facebook, Google (Phone + On-Campus) -> interview; screen = Databricks,
#   Bank of America, Two Sigma, Robinhood, McKinsey, Path AI, Carnegie Robotics = 7.
EXPECTED["nakuramino_sankey/applications2021.csv"] = {
    "applications": 52,
    "stage": _stage(applied=41, screen=7, interview=2, final=1, offer=1),
    "outcome": _outcome(active=33, rejected=18, no_response=0, withdrawn=0, offer=1),
    "layout": "stage_columns",
    "note": (
        "All 52 rows dated; no repeated header row actually present. Same column mapping as "
        "2020. Tesla vs 'Telsa ' and the 3 Waymo / 2 NVIDIA / 3 Apple / 2 DeepMind rows have "
        "different titles -> 0 duplicates merged. Active = 32 blank + 1 'ongoing'."
    ),
}

# ---------------------------------------------------------------------------------------------
# linkedin_export_apk0703/Job Applications.csv
# 31 rows, no blanks in any column. Only repeated (company, title): 'Skill Secure ' /
# 'Web Development Intern' on 9/20/22 and 6/4/22 -> different dates, not a duplicate.
EXPECTED["linkedin_export_apk0703/Job Applications.csv"] = {
    "applications": 31,
    "stage": _stage(applied=31),
    "outcome": _outcome(active=31),
    "layout": "linkedin",
    "note": (
        "LinkedIn 'Job Applications.csv': every row applied, no status -> applied/active. "
        "0 duplicates (Skill Secure x2 on different dates)."
    ),
}

# ---------------------------------------------------------------------------------------------
# linkedin_export_clemenspecinovsky/Job Applications.csv
# 118 rows, no blank cells. 29 rows share (company, title) with another row (4D Pipeline x3,
# Homa, Playrix, SELIUK LTD x6, Ludeo x3, ...), but every pair has a different application
# day (checked at day level, not just timestamp) and a different Job Url -> no duplicates.
EXPECTED["linkedin_export_clemenspecinovsky/Job Applications.csv"] = {
    "applications": 118,
    "stage": _stage(applied=118),
    "outcome": _outcome(active=118),
    "layout": "linkedin",
    "note": (
        "LinkedIn export, 118 rows all applied/active. Re-applications to the same company+"
        "title are on different days (and different job ids) -> 0 duplicates merged."
    ),
}

# ---------------------------------------------------------------------------------------------
# linkedin_export_clemenspecinovsky/Saved Jobs.csv
# Header 'Saved Date,Job Url,Job Title,Company Name', 15 saved postings.
EXPECTED["linkedin_export_clemenspecinovsky/Saved Jobs.csv"] = {
    "fails": "LinkedIn Saved Jobs export: saved postings, not applications",
    "note": "Rule 1: LinkedIn 'Saved Jobs.csv' is a wishlist -> fails.",
}

# ---------------------------------------------------------------------------------------------
# jobsankey_altaiiiir/job_applications.csv
# 4 rows; Stage / Stage History:
#   Amazon:    Applied > Phone Screen > Tech Screen > Rejected   (Stage Rejected)
#   Meta SDE 1: Applied > Tech Screen > Ghosted                  (Stage Ghosted)
#   2sigma SDE 2: Applied > Phone Screen > Rejected              (Stage Rejected)
#   Msft Senior Engineer: Applied > Phone Screen > Final Round   (Stage Final Round)
EXPECTED["jobsankey_altaiiiir/job_applications.csv"] = {
    "applications": 4,
    "stage": _stage(applied=0, screen=1, interview=2, final=1, offer=0),
    "outcome": _outcome(active=1, rejected=2, no_response=1, withdrawn=0, offer=0),
    "layout": "multi_status",
    "note": (
        "Stage History list read as multi-status tags. JUDGEMENT: 'Tech Screen' = technical "
        "interview with the hiring team (it follows the Phone Screen) -> interview; if read as "
        "screen: screen=3, interview=0. Msft is at 'Final Round' with no end -> final/active. "
        "Meta 'Ghosted' -> no_response."
    ),
}

# ---------------------------------------------------------------------------------------------
# smpotts_jobsearch_sankey/job_apps/V2 Status-Table 1.csv
# 62 rows. Flag pattern (AutoRej, InProg, HR, HM, Tech, Panel, Offer; '.' = blank):
#   '.......' 28   'Y......' 24   'YN.....' 1   'NNYYYYY' 2   'NNY....' 2   'NN.....' 1
#   'NNYYYYN' 1    'NNN....' 1    'NNY.YY.' 1   'NNYY...' 1
# The 28 all-blank rows (Apera ... Valon) have no flag, no date, no status -> wishlist.
# 34 applications: Apptegy, DeleteMe (Offer Y) -> offer; ClassDojo (Panel Y, Offer N) -> final/
#   rejected; Magpie Literacy (HR, Tech, Panel Y) -> final; Textio (HR, HM) -> interview;
#   ezCater, True RX (HR only) -> screen; CoBank (HR N) -> applied/rejected;
#   AgileEngine (N,N only) -> applied; 25 Auto Rejected = Y -> applied/rejected.
EXPECTED["smpotts_jobsearch_sankey/job_apps/V2 Status-Table 1.csv"] = {
    "applications": 34,
    "stage": _stage(applied=27, screen=2, interview=1, final=2, offer=2),
    "outcome": _outcome(active=5, rejected=27, no_response=0, withdrawn=0, offer=2),
    "layout": "stage_columns",
    "note": (
        "28 of 62 rows have every flag blank -> not applications (rule 1 stage-flag files). "
        "HR/ Recruiter Call -> screen, Hiring Manager and Technical Interview/ Assessment -> "
        "interview, Panel -> final, Offer Y -> offer. 'Auto Rejected' is an outcome column. "
        "A 'N' in a stage column = stopped there -> rejected (ClassDojo Offer N, CoBank HR N). "
        "JUDGEMENT: AgileEngine (only 'N' in Auto Rejected/In-Progress) counted as an "
        "application (explicit status values); Y-only reading gives 33. JUDGEMENT/unknown "
        "status: 5 rows (AgileEngine, ezCater, Magpie, Textio, True RX) have In-Progress=N but "
        "no end flag -> outcome active per rule 4 (unknown status x5). 0 duplicates."
    ),
}

# ---------------------------------------------------------------------------------------------
# smpotts_jobsearch_sankey/job_apps/V1-Sankey-Table.csv
# 238 edge rows; 199 with a Company (39 continuation rows, forward-filled).
# Sources: Applied 198, HR/ Hiring Manager Interview 23, Technical Interview 10,
#   Panel Interview 5, Offer 2, Recruiter Inquiry 1.
# Targets: No Response 101, Auto-Rejected 71, HR/HM Interview 23, Withdrew 13, Rejected 12,
#   Technical Interview 10, Panel 5, Offer 2, Declined Offer 1, Offer Accepted 1.
# 182 distinct company strings, 181 case-insensitively ('ONE' auto-rejected + 'One' no
# response). Companies listed more than once: Airbnb 2, Aledade 5 starts, Angi 2, dbt Labs 2,
# Descript 2, Docker 2, Experian 2, FinThrive 2, Netflix 4, ONE/One 2, SoFi 2, Upstart 3.
# Chains: offer = HMH (Panel>Offer>Declined Offer), ShorePoint (HR/HM>Offer>Offer Accepted);
#   final = AgentSync, Qventus (rejected), Cellares, Forward Financing (withdrew);
#   interview via Technical = Accompany, Aledade, Mercury, Tactiq (rejected), Age of Learning
#   (withdrew); HR/HM only = Avality, Branch, Brightwheel, Pulselight, SailPoint, Spring Health
#   (rejected), Annapurna, Blackpoint, Harnham, Informed K12, Summit (withdrew), Rebrandly (no
#   response); Applied>Withdrew = Kobie, Lob, Peer Supply, Rocket Money, Soostone.
EXPECTED["smpotts_jobsearch_sankey/job_apps/V1-Sankey-Table.csv"] = {
    "applications": 199,
    "stage": _stage(applied=176, screen=0, interview=17, final=4, offer=2),
    "outcome": _outcome(active=0, rejected=83, no_response=101, withdrawn=13, offer=2),
    "layout": "transitions",
    "note": (
        "LEAD'S DECISION: every row with a company starts its own application, so a company "
        "listed twice (two roles) is two applications and nothing is merged. Recounted with "
        "a short script that groups rows by hand-mapped labels (Applied 0, Recruiter Inquiry "
        "screen, HR/ Hiring Manager and Technical Interview interview, Panel Interview final, "
        "Offer/Offer Accepted/Declined Offer offer; last end label wins, an offer beats all): "
        "199 groups, applied 176, interview 17, final 4, offer 2; no_response 101, rejected "
        "83, withdrawn 13, offer 2. Helper's original reading (with merging) follows: "
        "Grouped by company (blank company = continuation, case-insensitive): 199 starts -> "
        "181 applications, 18 repeated starts merged (Netflix x4, Aledade x5, Upstart x3, ...; "
        "'ONE'/'One' merged). JUDGEMENT: 'HR/ Hiring Manager Interview' -> interview (label "
        "names a hiring-manager interview); if mapped to screen: screen=12, interview=5. "
        "Declined Offer / Offer Accepted -> outcome offer. JUDGEMENT: a company with both "
        "Auto-Rejected and No Response starts (Descript, Experian, ONE/One, SoFi, Upstart) -> "
        "rejected (explicit end beats silence); otherwise rejected=77, no_response=89. "
        "Aledade (interview chain ending Rejected + 4 No Response starts) -> interview/rejected."
    ),
}

# ---------------------------------------------------------------------------------------------
# smpotts_jobsearch_sankey/job_apps/Score-Table 1.csv
# Header 'Company,Started Process?,Their Urgency,Industry Interest,Glassdoor Score,...,
# Total Score'; 9 company rows + a 'Weight' row. Scores per company, no role/date/status.
EXPECTED["smpotts_jobsearch_sankey/job_apps/Score-Table 1.csv"] = {
    "fails": "company scoring side table, not a per-application tracker",
    "note": (
        "Keyed by company only with numeric scores and a 'Weight' row; no job title, date "
        "applied or application status -> not a tracker."
    ),
}

# ---------------------------------------------------------------------------------------------
# smpotts_jobsearch_sankey/jobs_2025/V1 Status-Table 1.csv
# 199 rows. Flag patterns: '.......' 99, 'YN.....' 70, 'NNY....' 6, 'NNYY.Y.' 3, 'NNYN...' 3,
#   'NNY.Y..' 2, 'NNYYYN.' 2, 'NN.....' 2, 'NNYY...' 2, 'NNYYN..' 2, 'NNYYY..' 1, 'YNY....' 1,
#   'NNYYYY.' 1, 'NNYY.YY' 1, 'NNYYYYN' 1, 'NNG....' 1, 'NNYY..Y' 1, 'NNYYY.G' 1.
# 99 all-blank rows -> not applications; 100 flagged rows; Docker 'Senior Analytics Engineer'
# twice (YN....., no date) -> 1 duplicate merged -> 99. (Airbnb duplicate is in blank rows.)
# Stage: offer HMH, ShorePoint; final AgentSync, Blackpoint, Cellares, Forward Financing,
#   Qventus; interview Informed K12, Accompany, Age of Learning, Aledade (Data Infra),
#   Annapurna, Branch, Brightwheel, Mercury, Pulselight, Tactiq; screen Harnham, Kobie,
#   Peer Supply, Rocket Money, Soostone, Avality, SailPoint, Spring Health, Summit, Splunk;
#   applied: 69 auto-rejected + Aledade (SSE, NN.....), Lob (NN.....), Rebrandly (NNG....).
# Outcome: rejected = 69 auto + Splunk (auto Y) + 8 with 'N' in a stage column (Aledade,
#   Avality, Branch, Brightwheel, Mercury, Qventus, SailPoint, Spring Health) = 78;
#   no_response = 'G' rows Rebrandly, Tactiq = 2; offer 2; unknown (In-Progress N only) 17.
EXPECTED["smpotts_jobsearch_sankey/jobs_2025/V1 Status-Table 1.csv"] = {
    "applications": 99,
    "stage": _stage(applied=72, screen=10, interview=10, final=5, offer=2),
    "outcome": _outcome(active=17, rejected=78, no_response=2, withdrawn=0, offer=2),
    "layout": "stage_columns",
    "note": (
        "99 all-blank rows excluded per rule 1 (no flag, date or status) - NOTE the companion "
        "V1-Sankey-Table lists ~that many 'No Response' applications, so these are probably "
        "ghosted applications the rule cannot see. 1 duplicate merged (Docker). Same column "
        "mapping as V2. JUDGEMENT: 'G' = ghosted -> outcome no_response and NOT a stage reached "
        "(Tactiq's G is in the Offer column); Rebrandly's G in HR call -> stage applied (would "
        "be screen if G counted as filled). 'N' in a stage column -> rejected. Unknown status "
        "x17: In-Progress=N without Offer/N/G/Auto flag -> active per rule 4 (the Sankey says "
        "most of them withdrew). Aledade SSE and Lob (only N,N) counted as applications."
    ),
}

# ---------------------------------------------------------------------------------------------
# kinnari15_portfolio/Job Applications.xlsx
# Sheet1: 20 data rows; Status {Applied: 15, blank: 5}. The 5 blank-status rows are
# company-only (Laursen & Tourbo, ICICI Bank, Fractal, Hackajob, Upstox) -> wishlist.
# Sheet2: header only (Job name, Company, HR/Hiring Manager, Mail/DM sent, Status).
EXPECTED["kinnari15_portfolio/Job Applications.xlsx"] = {
    "applications": 15,
    "stage": _stage(applied=15),
    "outcome": _outcome(active=15),
    "layout": "status_column",
    "note": (
        "Sheet1: 15 'Applied' rows with dates; 5 company-only rows dropped as wishlist; "
        "Sheet2 is header-only (contributes 0). pwc 'Associate' (2026-04-13) and PWC 'MS "
        "Fabric & PowerBI associate 2' (2026-04-21) differ -> 0 duplicates."
    ),
}

# ---------------------------------------------------------------------------------------------
# tristanfj_bootcamp/Job Search Tracker.xlsx
# 10 data rows (9 company+title, 1 company+contact). 'Date Applied' empty in all 10; no status
# column; notes are company research (mission, tech stack, why interested).
EXPECTED["tristanfj_bootcamp/Job Search Tracker.xlsx"] = {
    "fails": "research/wishlist list: no date applied and no status in any row",
    "note": "All 10 rows are prospects (rule 1: company/title with no date and no status).",
}

# ---------------------------------------------------------------------------------------------
# joshuasmoore_bootcamp/Job Tracker.xlsx
# 10 data rows, 'Date Applied' empty in all, Job Title filled in 2 (CradlePoint, Paylocity),
# no status column; research notes only.
EXPECTED["joshuasmoore_bootcamp/Job Tracker.xlsx"] = {
    "fails": "research/wishlist list: no date applied and no status in any row",
    "note": "All 10 rows are prospects (rule 1) -> fails.",
}

# ---------------------------------------------------------------------------------------------
# vanessapigwin_sankey/applications.xlsx (sheet 'Tally')
# 26 data rows (ids 1..21 via =A2+1 formula chain, then 'A','K','C','G1','G2'); Applied=1 on all.
# Column counts: Ghosted 21, 1st Interview 5, Rejected 2, Tech Exam 2, 2nd Interview 2,
#   Offer Declined 1, No Offer 1, Job Offer 1.
#   1..21: Applied+Ghosted; A: 1st+Rejected; K: 1st, Tech Exam, 2nd, No Offer;
#   C: 1st, 2nd, Offer Declined; G1: 1st+Rejected; G2: 1st, Tech Exam, Job Offer.
EXPECTED["vanessapigwin_sankey/applications.xlsx"] = {
    "applications": 26,
    "stage": _stage(applied=21, screen=0, interview=3, final=0, offer=2),
    "outcome": _outcome(active=0, rejected=3, no_response=21, withdrawn=0, offer=2),
    "layout": "stage_columns",
    "note": (
        "No company/title: rows identified by the Application id (26 distinct). Ghosted/"
        "Rejected/No Offer are outcome columns. C (Offer Declined) and G2 (Job Offer) -> "
        "stage offer, outcome offer; K (2nd Interview, No Offer) -> interview/rejected; "
        "A, G1 -> interview/rejected. Tech Exam is below 2nd Interview so K stays interview."
    ),
}

# ---------------------------------------------------------------------------------------------
# connormooneyhan_applications/applications.xlsx
# Row 1: 'Total' then 53 date headers (2022-01-13 twice, columns B and C) down to 2021-08-11;
# A2 '= COUNTA(C2:AAR100)' cached 1619 (skips column B's 4 entries). 1623 non-empty string
# cells under the date headers, numbered '1. X' .. 'n. X' contiguously per column (no gaps,
# max 63 in one column). After stripping the 'n. ' prefix (incl. NBSP) and comparing
# case-insensitively per column date: 1340 distinct (date, company) pairs.
# Largest same-day repeats: CyberCoders 22 on 2021-12-27, 14 on 12-21, 12 on 12-22;
# Optello 11 on 12-17, 10 on 11-15; Jobot 9 on 12-16; 10x Genomics 8 on 12-22.
EXPECTED["connormooneyhan_applications/applications.xlsx"] = {
    "applications": 1339,
    "stage": _stage(applied=1339),
    "outcome": _outcome(active=1339),
    "layout": "date_columns",
    "note": (
        "LEAD'S DECISION (2): the place is part of what makes an application distinct, so the same"
        " company on the same day in two cities is two applications; recounted independently as "
        "distinct (name without numbering, city suffix and legal suffix; city; day): 1339. "
        "1623 company cells under 53 date columns (4 of them in column B, which the sheet's own "
        "COUNTA skips). Rule 2 (no titles, same column date) merges 283 same-day repeats, "
        "mostly recruiters (CyberCoders, Optello, Jobot) -> 1340. JUDGEMENT: location suffix "
        "'(Raleigh)'/'(Cary)'/... kept as part of the company string, so e.g. Fulfill Team Inc. "
        "(Morrisville)/(Cary)/(Raleigh) on 2021-12-22 stay 3; stripping city suffixes gives "
        "1335. Without rule-2 merging the count would be 1623. "
        "LEAD'S DECISION: a trailing '(City)' is the place, not part of the name, and the "
        "matching key ignores legal suffixes ('Infolob Solutions, Inc.' = 'Infolob Solutions'); "
        "recounted independently with a short script over the cells: 1335 distinct "
        "(name, day) pairs, 1334 once suffixes are ignored."
    ),
}

# ---------------------------------------------------------------------------------------------
# ryanliu079_springweek/applications.xlsx
# 'Applications': 15 rows; Status {Rejected 13, Offer 1, Applied 1}. 'Summary' sheet holds
# only labels + COUNTIF formulas (no data rows) -> contributes nothing.
# Stage evidence in Notes: J.P. Morgan 'HireVue video interview completed'; DRW 'Completed
# quantitative assessment'; Fidelity 'Rejected at Stage 1 Assessment'. Barclays (2025-12-08)
# has Next Step 'Complete online assessment' but no sign it was done.
EXPECTED["ryanliu079_springweek/applications.xlsx"] = {
    "applications": 15,
    "stage": _stage(applied=14, screen=0, interview=0, final=0, offer=1),
    "outcome": _outcome(active=1, rejected=13, no_response=0, withdrawn=0, offer=1),
    "layout": "status_column",
    "note": (
        "Outcome straight from Status (Offer 1 Morgan Stanley, Rejected 13, Applied 1 Barclays "
        "2026-03-20). JUDGEMENT: stage uses evidence in Notes: JPM HireVue, DRW quant "
        "assessment, Fidelity stage-1 assessment -> screen (status-only reading: applied=14, "
        "screen=0). Barclays 'Next Step: Complete online assessment' is a to-do, not evidence "
        "-> applied. 8 'Rejected' rows are 'inferred rejection' after silence (JPM, Barclays, "
        "BNP, Jefferies, Citadel, Jane Street, Citi, Point72); kept as rejected because the "
        "Status column says so. Two Barclays rows differ in role/date -> 0 duplicates. "
        "LEAD'S DECISION: the "
        "stage comes from status and stage columns only, never from free-text notes, so the "
        "status-only reading (applied=14, offer=1) is the expectation."
    ),
}

# ---------------------------------------------------------------------------------------------
# limengsheng_offer_tracker_zh/job_applications.csv
# 41 rows, all with 投递时间 (date applied). 当前状态: 已投递 31, 池子 4, Offer 2, 一面 2, 笔试 1,
# 技术面 1. Companies repeat only as 东风汽车 (two different titles).
EXPECTED["limengsheng_offer_tracker_zh/job_applications.csv"] = {
    "applications": 41,
    "stage": _stage(applied=35, screen=1, interview=3, final=0, offer=2),
    "outcome": _outcome(active=39, rejected=0, no_response=0, withdrawn=0, offer=2),
    "layout": "status_column",
    "note": (
        "已投递 (applied) 31 + 池子 (talent pool) 4 -> applied/active; 笔试 (written test) -> "
        "screen; 一面 x2 + 技术面 x1 -> interview; Offer x2 -> offer. 0 duplicates."
    ),
}

# ---------------------------------------------------------------------------------------------
# martinw72uk_job_tracker/job_applications.csv (HEAD)
# 28 rows; Status {Applied 24, Rejected 2 (MeasureLab, ZIGUP), Suspected Ghost Job 2}.
# Near-duplicate: 'Senior BI Analyst' at 'Remote' and at 'Remote, Technology Company', both
# 2025-01-15, both 'Suspected Ghost Job'.
EXPECTED["martinw72uk_job_tracker/job_applications.csv"] = {
    "applications": 28,
    "stage": _stage(applied=28),
    "outcome": _outcome(active=24, rejected=2, no_response=2, withdrawn=0, offer=0),
    "layout": "status_column",
    "note": (
        "'Suspected Ghost Job' -> no_response. JUDGEMENT: 'Remote' vs 'Remote, Technology "
        "Company' (same title/date) are different company strings, so rule 2 does not merge "
        "them (0 duplicates); they look like one posting split by a quoting error - merging "
        "would give 27 with no_response=1."
    ),
}

# ---------------------------------------------------------------------------------------------
# martinw72uk_job_tracker_early/job_applications.csv
# 23 rows (CRLF); Status {Applied 18, Suspected Ghost Job 3 (Remote Technology Company,
# People Talent 'Power BI Developer', Harnham 'Senior BI Analyst'), Rejected 2}.
# 'Before 2025-01-24' in Date Applied for RNLI and Linde (status Applied anyway).
EXPECTED["martinw72uk_job_tracker_early/job_applications.csv"] = {
    "applications": 23,
    "stage": _stage(applied=23),
    "outcome": _outcome(active=18, rejected=2, no_response=3, withdrawn=0, offer=0),
    "layout": "status_column",
    "note": (
        "All 23 rows applied (status Applied/Rejected/Suspected Ghost Job). Harnham and People "
        "Talent each appear twice with different titles -> 0 duplicates."
    ),
}

# ---------------------------------------------------------------------------------------------
# splendero_canada_internships/internships.csv
# 17 rows; Status = 'Open' in all (posting status); last column 'Applied]\' = Yes 10 / No 7.
# Yes: AMD, Uber, Provision, CIBC, Trench, Stripe, IBM x2 (different titles), SGS & Co, Block.
# No: RBC Amplify x5, Databricks, SAP iXp Intern.
EXPECTED["splendero_canada_internships/internships.csv"] = {
    "applications": 10,
    "stage": _stage(applied=10),
    "outcome": _outcome(active=10),
    "layout": "status_column",
    "note": (
        "JUDGEMENT: 'Status: Open' describes the posting, the Applied Yes/No column is the "
        "application status: 7 'No' rows are wishlist, 10 'Yes' rows are applied/active. "
        "'Date Posted' is not a date applied. 0 duplicates."
    ),
}

# ---------------------------------------------------------------------------------------------
# rejection_emails_kaggle_sethpoly/emails.csv
# No header; 2 columns (multi-line email body, label reject/not_reject).
EXPECTED["rejection_emails_kaggle_sethpoly/emails.csv"] = {
    "fails": "rejection-email text dataset, not a tracker (no header, body + label)",
    "note": "Rule 6: emails.csv without header -> fails.",
}

# ---------------------------------------------------------------------------------------------
# rejection_emails_conor/rejections.csv
# Header Date,Time,Day,Hour,Subject,Text: raw inbox export of rejection mails.
EXPECTED["rejection_emails_conor/rejections.csv"] = {
    "fails": "exported inbox of rejection emails, not a tracker",
    "note": "Rule 6: rejections.csv of inbox mail -> fails.",
}

# ---------------------------------------------------------------------------------------------
# jgchoti_rejection_analysis/email.json
# Nested JSON: rejection_emails 13, feedback_rejection 1, ghosted_applications 4, metadata
# (metadata says total_applications 17 / total_rejections 12, inconsistent with the lists).
EXPECTED["jgchoti_rejection_analysis/email.json"] = {
    "fails": "nested JSON of rejection emails, not a tabular tracker",
    "note": "Rule 6: email.json -> fails (the same data is counted via rejection_analysis.csv).",
}

# ---------------------------------------------------------------------------------------------
# jgchoti_rejection_analysis/rejection_analysis.csv
# 18 rows, Company_A..Company_R; status {rejection 13, rejection_with_feedback 1, ghosted 4}.
# Email text evidence: Company_J 'After several interviews, ... decided to not move forward';
# Company_N 'After reviewing your CV and interview'. Others are CV-stage rejections.
EXPECTED["jgchoti_rejection_analysis/rejection_analysis.csv"] = {
    "applications": 18,
    "stage": _stage(applied=18, screen=0, interview=0, final=0, offer=0),
    "outcome": _outcome(active=0, rejected=14, no_response=4, withdrawn=0, offer=0),
    "layout": "status_column",
    "note": (
        "Per-application (rule 6). rejection + rejection_with_feedback -> rejected (14), "
        "ghosted -> no_response (4, no email text, days_since_application 30-120). "
        "JUDGEMENT: stage from email text: J ('after several interviews') and N ('your CV and "
        "interview') -> interview; status-only reading gives applied=18. 0 duplicates. "
        "LEAD'S DECISION: stage from status only, not from email text -> applied=18."
    ),
}

# ---------------------------------------------------------------------------------------------
# loki0821_bewerbungen_de/Bewerbungen.xlsx
# Raw_data (table 'Bewerbungen'): 41 rows, all with Einreichdatum. Status {abgesagt 23,
# In Bearbeitung 18}. Stage flags (ja): Kennenlerngespräch 5 (h+p, Liongate, Piepenbrock,
# Raiffeisen, Strategic IT), Zweitgespräch 3 (Liongate, Piepenbrock, Raiffeisen),
# Drittgespräch 1 (Liongate). 'In Bearbeitung' rows have blank flags.
# Dashboard (formulas) and Pivottables (pivot output) sheets hold no application rows.
EXPECTED["loki0821_bewerbungen_de/Bewerbungen.xlsx"] = {
    "applications": 41,
    "stage": _stage(applied=36, screen=0, interview=4, final=1, offer=0),
    "outcome": _outcome(active=18, rejected=23, no_response=0, withdrawn=0, offer=0),
    "layout": "stage_columns",
    "note": (
        "Only Raw_data counts. abgesagt -> rejected, In Bearbeitung -> active. JUDGEMENT: "
        "Kennenlerngespräch (first interview) and Zweitgespräch -> interview, Drittgespräch "
        "(3rd round) -> final (Liongate). If Kennenlerngespräch were a screen: Strategic IT and "
        "h+p move to screen (screen=2, interview=2). PTA, Sopra Steria, KPMG appear twice with "
        "different titles -> 0 duplicates. Layout: Status column plus ja/nein stage flags."
    ),
}

# ---------------------------------------------------------------------------------------------
# ihunter2839_ods/applications.ods
# Sheet1: A1 = profile URL, header on row 2, 12 data rows, Application Date 2020-06-02..05,
# Status 'Applied' x12. Sheet2/Sheet3 empty.
EXPECTED["ihunter2839_ods/applications.ods"] = {
    "applications": 12,
    "stage": _stage(applied=12),
    "outcome": _outcome(active=12),
    "layout": "status_column",
    "note": "Header on row 2; 12 rows all 'Applied' with dates; 0 duplicates.",
}

# ---------------------------------------------------------------------------------------------
# schuylergood_notion/application_data.csv
# 571 rows. STATUS value counts (top): 'Need to Apply,Applied' 264, '...,Applied,Rejected'
# 160, 'Need to Apply,Closed' 85, blank 19, 'Need to Apply,Coffee Chat,Closed' 7,
# 'Need to Apply' 3, 'Need to Apply,Coffee Chat' 1, + 17 rarer combinations.
# Tag counts: Need to Apply 552, Applied 456, Rejected 173, Closed 92, Coffee Chat 29,
# Tech Assessment -> Scheduled 9 / Complete 8, Referral 8, Interview 1 -> Scheduled 5 /
# Complete 4, Interview 2 -> Scheduled 3 / Complete 3, Interview 3 -> Scheduled 1.
# Excluded 23: 19 blank STATUS (6 empty placeholders + 13 company/title only),
# 3 'Need to Apply', 1 'Need to Apply,Coffee Chat'. Kept 548 rows.
# No date-applied column (TIME_CREATED is the Notion page creation date) -> rule 2 on
# (company, title) only: 46 rows merged -> 502 (e.g. Visa 'Software Engineer, Intern -
# Summer 2024' x5, Tencent x6 over 2 titles, Cockroach Labs x3, Lyft Frontend x3, Roku x3).
# Stage: final = Benco Dental (Interview 3 -> Scheduled); interview = YC/Cair Health,
# Juno Pharmaceuticals, Empire Life, MHI RJ Aviation; screen = Amplitude, Amazon PM,
# Think Cell, Demonware, Wayfair, IBM x2, Epic.
EXPECTED["schuylergood_notion/application_data.csv"] = {
    "applications": 445,
    "stage": _stage(applied=432, screen=8, interview=4, final=1, offer=0),
    "outcome": _outcome(active=273, rejected=172, no_response=0, withdrawn=0, offer=0),
    "layout": "multi_status",
    "note": (
        "LEAD'S DECISION (2): CITY is part of the duplicate key; recounted independently: 445 "
        "distinct (company, title, TIME_CREATED, city) among rows tagged Applied or further, 172 "
        "of them with a Rejected tag. "
        "LEAD'S DECISION: 'Need to Apply,Closed' (no 'Applied' tag) is a posting that closed "
        "before an application, i.e. wishlist, not an unknown status; Coffee Chat alone is "
        "networking. TIME_CREATED is used as the date (the only date) but is not evidence of "
        "applying. Recounted independently: 456 rows tagged Applied or further, 434 distinct "
        "(company, title, TIME_CREATED) keys, 171 of them with a Rejected tag. "
        "Helper's original reading follows: "
        "Tags: Applied -> applied; Tech Assessment -> screen; Interview 1/2 -> interview; "
        "Interview 3 -> final ('Scheduled' counts as reached); Rejected -> rejected; Need to "
        "Apply / Coffee Chat / Referral ignored. Rule 4 example: 'Closed' = unknown status -> "
        "stage applied, outcome active: 92 rows ('Need to Apply,[Coffee Chat,]Closed'), 82 "
        "groups after merging; treating them as wishlist instead gives 420 (rejected 167, "
        "active 253). 46 duplicates merged on (company, title) because there is no date "
        "applied; JUDGEMENT: TIME_CREATED not used as the date (with it: 27 merged -> 521, "
        "rejected 171). A merged group is rejected if any of its rows is."
    ),
}

# ---------------------------------------------------------------------------------------------
# parthjain99_autojobs/Job Tracker.csv
# 26 rows; only COMPANY, JOB TITLE, JOB DESCRIPTION LINK, APP SUBMITTED DATE filled.
# COMPANY holds a track tag (BE 10, ML 11, ml 2, plus 'Amex' in row 1); JOB TITLE holds the
# company. Identical (COMPANY, JOB TITLE, date): ('ml','axiss','2/24/24') x2 and
# ('ML','Micron','2024-03-20') x6.
EXPECTED["parthjain99_autojobs/Job Tracker.csv"] = {
    "applications": 20,
    "stage": _stage(applied=20),
    "outcome": _outcome(active=20),
    "layout": "status_column",
    "note": (
        "All rows have a submitted date, no status -> applied/active. 6 duplicates merged "
        "(axiss x2 -> 1, Micron x6 -> 1); the result is the same whether or not COMPANY/JOB "
        "TITLE are swapped back. The 6 Micron rows carry 4 different pasted descriptions, but "
        "rule 2 has no title to tell them apart. Affirm 2/2/24 vs 3/15/24 kept apart."
    ),
}

# ---------------------------------------------------------------------------------------------
# jithu09_naukri/Job_Applications.xlsx
# 15 data rows; Application Status 'Awaiting Recruiter Action' x15. Qualcomm twice with
# different roles (DevOps Engineer / Senior Programmer Analyst).
EXPECTED["jithu09_naukri/Job_Applications.xlsx"] = {
    "applications": 15,
    "stage": _stage(applied=15),
    "outcome": _outcome(active=15),
    "layout": "status_column",
    "note": "'Awaiting Recruiter Action' -> applied/active (awaiting). 0 duplicates.",
}

# ---------------------------------------------------------------------------------------------
# jeamespc_design_studios/Application Tracker.xlsx
# Tracker: 22 studios; Status {Not Started 21, Rejected 1}; Date Applied empty everywhere.
# The Rejected row is Onsitestudio, Fit Tier 'Rejected — Automatic (No Place)', note says
# 'confirm why this was auto-rejected'. Dashboard / How To Use: no data rows.
EXPECTED["jeamespc_design_studios/Application Tracker.xlsx"] = {
    "applications": 1,
    "stage": _stage(applied=1),
    "outcome": _outcome(rejected=1),
    "layout": "status_column",
    "note": (
        "21 'Not Started' rows are wishlist. Onsitestudio has status Rejected (past applied, "
        "an automatic rejection per its note) -> 1 application, applied/rejected, no date."
    ),
}

# ---------------------------------------------------------------------------------------------
# yleisnero_joblytics/data.txt
# 'Type,Full Remote,Munich,Vienna,Regensburg,Total' x rows Applications/Rejections/
# Did Not Accept/Interview/Jobs/Pending: counts, not applications.
EXPECTED["yleisnero_joblytics/data.txt"] = {
    "fails": "aggregate pivot of counts by outcome and location, not per-application",
    "note": "Rule 6: data.txt aggregate pivot -> fails.",
}

# ---------------------------------------------------------------------------------------------
# leneord1_apprecords/applications.csv
# 9 rows: GPC Automotive 1, Construct Connect 3 (2026-02-26, 18:05/18:09/18:14, ids
# ' 2026-2038', '2026-2046', '2025-1999'), 'IBM ' 4 (2026-02-28, 22:37..22:53, ids 87249,
# 87273, 87244, 87271), Cox Automotive 1. additional_tasks always empty.
EXPECTED["leneord1_apprecords/applications.csv"] = {
    "applications": 9,
    "stage": _stage(applied=9),
    "outcome": _outcome(active=9),
    "layout": "status_column",
    "note": (
        "Application log: company + timestamp + application_id, no title, no status -> "
        "applied/active. JUDGEMENT: the 4 IBM and 3 Construct Connect rows have different "
        "application_ids and timestamps -> distinct applications, 0 merged. Comparing only "
        "company + calendar day (no title) would merge 5 and give 4."
    ),
}

# ---------------------------------------------------------------------------------------------
# sravani_gsheets_template/Job Application Tracker.xlsx
# 'Job Tracker': band rows 1-2, header row 3, 997 rows whose only value is RESUME=False;
# every STATUS/COMPANY/JOB TITLE/DATE cell empty. 'Drop Downs' = status list.
EXPECTED["sravani_gsheets_template/Job Application Tracker.xlsx"] = {
    "fails": "empty template: header only, no application rows",
    "note": "Rule 6: header-only template (pre-filled FALSE checkboxes are not data) -> fails.",
}

# ---------------------------------------------------------------------------------------------
# madhumitha5900_tracker/Job Application Tracker.xlsx
# 198 rows, all with Applied Date. Status {Rejected 164, Pending 34}; Interview
# {No 194, yes 3, Yes 1} - the 4 yes rows (Alameda county, Daikin Comfort, Altice USA,
# Teleflora) are all Rejected. Response Date text: 'No Response' 42 (41 Rejected, 1 Pending),
# 'In Progress' 33 (32 Pending, 1 Rejected).
EXPECTED["madhumitha5900_tracker/Job Application Tracker.xlsx"] = {
    "applications": 198,
    "stage": _stage(applied=194, screen=0, interview=4, final=0, offer=0),
    "outcome": _outcome(active=34, rejected=164, no_response=0, withdrawn=0, offer=0),
    "layout": "status_column",
    "note": (
        "Interview yes/Yes -> interview. Outcome from Status. JUDGEMENT: 41 rows are Status "
        "'Rejected' with Response Date 'No Response'; kept as rejected (the status column is "
        "the author's outcome); reading them as ghosted gives rejected=123, no_response=41. "
        "Disney, Hiya, PDX repeat the same title on different dates -> 0 duplicates."
    ),
}

# ---------------------------------------------------------------------------------------------
# preethisundar13_india/Job Application Tracker.xlsx
# 85 data rows (used range A1:H88, trailing blanks), all with APPLIED DATE; 4 rows lack
# SL NO. RESPONSE: No 56, Resume downloaded 19, First level assesment done 4,
# Application Rejected 2, Prelimnary assesment completed 1, Rejected(After interview) 1,
# Second level Assesment done 1, Application viewed 1.
EXPECTED["preethisundar13_india/Job Application Tracker.xlsx"] = {
    "applications": 85,
    "stage": _stage(applied=78, screen=6, interview=1, final=0, offer=0),
    "outcome": _outcome(active=26, rejected=3, no_response=56, withdrawn=0, offer=0),
    "layout": "status_column",
    "note": (
        "First level (4) / Prelimnary (1) / Second level (1) assessment -> screen, active. "
        "'Rejected(After interview)' -> interview/rejected; 'Application Rejected' x2 -> "
        "applied/rejected. Resume downloaded / Application viewed -> applied/active. "
        "JUDGEMENT: RESPONSE 'No' = no response -> no_response (56); if read as 'no news "
        "yet' they would be active (82). JUDGEMENT: 'Second level Assesment' kept as screen "
        "(an assessment, not an interview). Busibud and Spearmint repeats differ in date or "
        "title -> 0 duplicates."
    ),
}


def _self_check():
    """Each counted entry's stage and outcome totals equal its application count."""
    for path, exp in EXPECTED.items():
        if "fails" in exp:
            continue
        n = exp["applications"]
        assert tuple(exp["stage"]) == STAGES, path
        assert tuple(exp["outcome"]) == OUTCOMES, path
        assert sum(exp["stage"].values()) == n, (path, "stage")
        assert sum(exp["outcome"].values()) == n, (path, "outcome")


_self_check()

"""Deterministic job-application trackers of any size, shaped like the ones people keep.

Written in DuckDB SQL, so a million rows take seconds. Every value is picked by hashing the
row number, so the same ``rows`` always gives the same file. What varies, as in real
trackers:

* statuses in free words, several languages and spellings ('Rejected after 2nd interview',
  'reeejected', 'Ghosted 👻', 'abgesagt', 'refusé', 'sin respuesta', '不採用', blanks);
* dates applied in mixed formats within the column: mostly US 4/17/2025, some ISO
  2025-04-17, some '17 Apr 2025' and 'April 17, 2025'. Slash dates are always month first
  (days above 12 occur), as the ingester decides one day/month order per file;
* feedback with heavy repetition: about half blank, the rest a few thousand distinct texts
  from ~40 phrasings (English, German, French, Spanish, some on several lines);
* several thousand distinct job titles: level words × functions × roles × specialisations
  ('Sr. Data Analyst', 'Director of Product Management', 'VP, Marketing',
  'Software Engineer II', 'Head of Growth', 'Leiter Vertrieb', 'Chief Marketing Officer');
* about 20,000 companies, each with its own size written as text ('1-10', '5000+',
  '12,000', 'c. 300', '') and location; salaries as text; sources; a URL per row.

``make_csv`` writes a CSV through DuckDB's COPY; ``make_xlsx`` writes a workbook with
xlsxwriter in constant-memory mode (most dates as real date cells, the others as text).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

VERSION = 1  # bump when the generated data changes (kept files are named after it)

STATUSES = (
    # weights by repetition: rejections and silence are what trackers mostly hold
    ["Rejected"] * 6 + ["rejected"] * 3 + ["No response"] * 4 + ["Applied"] * 4
    + ["Ghosted 👻", "ghosted", "Ghosted :(", "no reply", "Keine Antwort", "sin respuesta",
       "Rejected after phone screen", "Rejected after phone screen", "Rejected - final round",
       "Rejected after 2nd interview", "Rejected after 2nd interview", "Not selected",
       "reeejected", "Rejection email", "Position filled", "Role closed", "abgesagt",
       "Absage", "abgelehnt", "refusé", "Refus", "rechazado", "Rechazada", "afgewezen",
       "rifiutato", "reddedildi", "不採用", "불합격", "Withdrew", "withdrawn",
       "Phone screen scheduled", "Phone screen", "HR call", "Recruiter call", "Interview",
       "Technical interview", "2nd round", "Onsite", "Final round", "Final interview",
       "Entretien", "Vorstellungsgespräch", "entrevista", "一面", "Coding challenge",
       "Case study", "In progress", "Awaiting recruiter action", "Submitted", "applied ✅",
       "APPLIED", "Offer!! 🎉", "Offer - declined", "Offer accepted", "Angebot", "Oferta",
       "offre reçue", ""])

FEEDBACK = [
    "Thank you for your interest. We have decided to move forward with other candidates "
    "whose experience more closely matches our needs.",
    "Thank you for applying to the {role} role. Unfortunately we will not be moving forward.",
    "We went with a candidate with more than {n} years of experience in {area}.",
    "Looking for someone with more experience leading large teams.",
    "Looking for someone who has led a team of {n}+ people.",
    "Strong candidate, but we went with an internal hire.",
    "Filled internally.",
    "Role put on hold due to a hiring freeze.",
    "The {role} position has been put on hold due to budget cuts.",
    "Answers were too high level; wanted more metrics.\nWould consider for future roles.",
    "Great conversation!\nBut they want deeper {area} domain knowledge.\nAsk again in {n} "
    "months.",
    "Salary expectations of {n}0k were above the budget for this role.",
    "Overqualified for the {role} role.",
    "Needs hands-on {tool} and I have not used it in production.",
    "They need someone on site {n} days a week and I can't relocate.",
    "No visa sponsorship for this role.",
    "Business acumen and P&L ownership were light for a {role}.",
    "Didn't research the product well enough; no good questions at the end.",
    "Case study was weak on prioritisation.",
    "Culture fit concerns after the panel.",
    "Communication: answers rambled, use STAR.",
    "Technical interview: struggled with {tool} questions.",
    "Leider haben wir uns für einen anderen Kandidaten entschieden.",
    "Leider fehlt uns Erfahrung in {area}.",
    "Nous avons retenu un candidat plus expérimenté.",
    "Le poste a été pourvu en interne.",
    "Hemos decidido continuar con otros candidatos.",
    "Buscamos a alguien con más experiencia en {area}.",
    "Generic no thanks. We encourage you to apply for future openings.",
    "Form letter",
    "no feedback given",
    "n/a",
    "follow up on Friday",
    "Recruiter said the team wants a more senior {role}.",
    "Hiring manager liked me but the role was cancelled after a reorg.",
    "Went with someone with {area} experience.",
    "They chose a candidate with stronger stakeholder management.",
    "Asked for feedback {n} times, nothing back.",
    "Feedback:\n- not enough {tool}\n- portfolio too thin",
    "Rejected by the ATS within {n} hours; keyword mismatch?",
]
GREETINGS = ["", "Hi, ", "Dear candidate, ", "Hello!\n"]
CLOSINGS = ["", " Good luck with your search.", " We will keep your CV on file.",
            " Feel free to apply again."]
SIGNOFFS = ["", " Best, Recruiting", "\n\nKind regards,\nTalent Acquisition", " (via email)",
            " -- recruiter"]
FILL_ROLE = ["analyst", "manager", "director", "engineer", "designer", "lead", "consultant",
             "coordinator"]
FILL_AREA = ["fintech", "healthcare", "retail", "the public sector", "B2B SaaS", "payments",
             "logistics", "e-commerce"]
FILL_TOOL = ["SQL", "Tableau", "Salesforce", "Python", "Kubernetes", "Figma", "dbt", "SAP"]

# Titles: four ways of writing them, each from lists of words.
LEVELS = ["", "", "", "Junior", "Jr.", "Associate", "Senior", "Senior", "Sr.", "Sr", "Lead",
          "Staff", "Principal", "Graduate", "Intern", "Trainee"]
FUNCTIONS = ["Data", "Software", "Product", "Marketing", "Sales", "Finance", "HR", "Research",
             "UX", "Content", "Communications", "Operations", "Security", "Cloud", "Growth",
             "Business", "Brand", "Customer Success", "Supply Chain", "Legal", "Project",
             "Program", "Account", "Talent Acquisition"]
ROLES = ["Analyst", "Engineer", "Manager", "Designer", "Specialist", "Scientist",
         "Consultant", "Coordinator", "Associate", "Strategist", "Architect", "Developer"]
SPECIALISATIONS = ["", "", "", "", ", Platform", ", Growth", " - EMEA", ", Payments",
                   " (Remote)", ", Analytics", " - Contract", ", B2B", ", Mobile", " II",
                   " III"]
HEADS = ["Director of", "Head of", "VP,", "VP of", "Vice President,", "SVP", "Senior Director,",
         "Associate Director of", "Manager,", "Senior Manager,", "Group Head of",
         "Global Head of", "Chief of Staff,"]
AREAS = ["Product Management", "Growth", "Marketing", "Engineering", "Communications",
         "Data Science", "Sales", "Finance", "People", "Operations", "Design", "Partnerships",
         "Customer Success", "Analytics", "Brand", "Content", "Security", "Platform",
         "Corporate Development", "Investor Relations", "Public Affairs", "Research",
         "Infrastructure", "Revenue Operations", "Digital"]
FOREIGN = ["Leiter Marketing", "Leiterin Vertrieb", "Senior Entwickler", "Abteilungsleiter IT",
           "Teamleiter Kundenservice", "Responsable Marketing", "Chef de projet",
           "Directeur commercial", "Ingénieur logiciel", "Gerente de Producto",
           "Analista de Datos Sr.", "Director de Operaciones", "Product Owner",
           "Scrum Master", "Werkstudent Data", "Praktikant Marketing"]
CHIEFS = ["CEO", "CTO", "CFO", "COO", "CMO", "Chief Marketing Officer",
          "Chief Product Officer", "Chief Data Officer", "Founder", "Co-Founder & CTO",
          "General Counsel", "Managing Director", "Partner"]

COMPANY_FIRST = ["Acme", "Blue", "North", "Silver", "Bright", "Nova", "Apex", "Green", "Red",
                 "Summit", "Harbor", "Iron", "Golden", "Pioneer", "Quantum", "Stellar",
                 "Cedar", "Maple", "River", "Stone", "Urban", "Vertex", "Atlas", "Beacon",
                 "Crescent", "Delta", "Echo", "Falcon", "Granite", "Horizon", "Lumen",
                 "Meridian", "Nimbus", "Orion", "Polar", "Sterling", "Titan", "Vista",
                 "Willow", "Zenith", "Hollis", "Mirabel", "Kestrel", "Juniper", "Oak",
                 "Sable", "Tidal", "Aurora", "Cobalt", "Ember", "Fjord", "Lark", "Mosaic",
                 "Pacific", "Quarry", "Saffron", "Tundra", "Umber", "Wren", "Yonder"]
COMPANY_SECOND = ["Labs", "Systems", "Health", "Capital", "Foods", "Media", "Analytics",
                  "Logistics", "Energy", "Bank", "Insurance", "Software", "Robotics",
                  "Retail", "Studios", "Partners", "Networks", "Bio", "Motors", "Foundation",
                  "Consulting", "Pharma", "Games", "Security", "Travel", "Education",
                  "Cosmetics", "Telecom", "Apparel", "Holdings", "Ventures", "Cloud",
                  "Payments", "Mobility", "Agency", "Brewing", "Realty", "Solar", "Water",
                  "Materials"]
COMPANY_SUFFIX = ["", "Inc.", "GmbH", "Ltd", "LLC", "AG", "SA", "Group", "plc", "& Co."]
SIZES = ["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5000+", "10,000+",
         "12,000", "c. 300", "~70", "", "", "", "small", "Enterprise", "250", "5k+",
         "Fortune 500", "2.500", "45000", "1000-5000 employees", "Mittelstand", "?"]
LOCATIONS = ["Remote", "Remote (US)", "Hybrid - London", "London, UK", "Berlin, Germany",
             "Berlin", "München", "New York, NY", "San Francisco, CA", "Austin, TX",
             "Chicago, IL", "Evanston, IL", "Toronto, ON", "Paris", "Madrid", "Barcelona",
             "Amsterdam", "Dublin", "Leeds", "Manchester", "Zürich", "Vienna", "Lisbon",
             "Pune", "Bangalore", "Singapore", "Sydney", "Tokyo", "Seoul", "São Paulo", ""]
SALARIES = ["", "", "", "$120k-$140k", "95,000", "DOE", "$60/hr", "€55.000", "£45k - £55k",
            "USD 150,000 - 180,000", "70k", "competitive", "€65k + bonus", "120000",
            "$90,000/yr", "¥8,000,000", "CHF 120'000", "45-50k"]
SOURCES = ["LinkedIn", "LinkedIn", "LinkedIn", "Company site", "Company site", "Referral",
           "Indeed", "Recruiter", "Glassdoor", "Referral - former colleague", "Wellfound",
           "StepStone", "XING", "Welcome to the Jungle", "careers page", "Otta", "Hired",
           "job fair", ""]
NOTES = [""] * 12 + ["follow up Friday", "asked for feedback", "sent thank-you note",
                     "prep: read annual report", "referral from Sam", "salary too low",
                     "great team vibe", "2h commute", "needs visa", "re-applied"]

COLUMNS = ["Company", "Job Title", "Date Applied", "Status", "Last Update", "Feedback",
           "Notes", "Location", "Salary", "Source", "Org Size", "Job URL"]


def _lst(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: list[str], key: str) -> str:
    """SQL: one of ``values`` chosen by hashing the SQL expression ``key``."""
    return f"{_lst(values)}[1 + (hash({key}) % {len(values)})::INT]"


def _nth(values: list[str], key: str) -> str:
    """SQL: ``values`` at the integer SQL expression ``key`` (modulo their number)."""
    return f"{_lst(values)}[1 + (({key}) % {len(values)})::INT]"


def _skewed(key: str, count: int) -> str:
    """SQL: an integer in [0, count) from a hash of ``key``, low numbers far more often
    (a few titles and phrasings are everywhere, most are rare)."""
    return f"floor({count} * pow((hash({key}) % 1000003) / 1000003.0, 2.5))::INT"


def _fill(template: str, v: str) -> str:
    """SQL: ``template`` with {n}, {role}, {area}, {tool} filled from the variant number ``v``
    (0–99), and a greeting, a closing line and a sign-off chosen by it."""
    out = template
    for name, values, salt in (("role", FILL_ROLE, 3), ("area", FILL_AREA, 5),
                               ("tool", FILL_TOOL, 7)):
        out = f"replace({out}, '{{{name}}}', {_pick(values, f'{v} * {salt}')})"
    out = f"replace({out}, '{{n}}', (2 + hash({v} * 11) % 14)::VARCHAR)"
    return (f"{_nth(GREETINGS, v)} || {out} || {_nth(CLOSINGS, f'{v} // {len(GREETINGS)}')}"
            f" || {_nth(SIGNOFFS, f'{v} // {len(GREETINGS) * len(CLOSINGS)}')}")


TITLE_IDS = 6000  # distinct title ids; each gives one title (several give the same)


def _title(tid: str) -> str:
    """SQL: the job title of title id ``tid``: four ways of writing one."""
    return f"""CASE
        WHEN hash({tid} * 2) % 100 < 55 THEN trim({_pick(LEVELS, f'{tid} * 3')} || ' '
             || {_pick(FUNCTIONS, f'{tid} * 5')} || ' ' || {_pick(ROLES, f'{tid} * 7')})
             || {_pick(SPECIALISATIONS, f'{tid} * 9')}
        WHEN hash({tid} * 2) % 100 < 85 THEN {_pick(HEADS, f'{tid} * 3')} || ' '
             || {_pick(AREAS, f'{tid} * 5')}
        WHEN hash({tid} * 2) % 100 < 93 THEN {_pick(FOREIGN, f'{tid} * 3')}
        ELSE {_pick(CHIEFS, f'{tid} * 3')} END"""


def tracker_sql(rows: int) -> str:
    """A SELECT of ``rows`` applications: the text columns in COLUMNS, plus ``_applied``
    (the DATE applied) and ``_us`` (TRUE where 'Date Applied' is written m/d/Y)."""
    # Feedback: ~50% blank; otherwise one of the phrasings (skewed: form letters are the
    # most common) in one of 100 variants, so at most len(FEEDBACK) × 100 distinct texts.
    feedback = (f"CASE WHEN hash(i * 17) % 100 < 50 THEN '' ELSE "
                f"{_fill(_nth(FEEDBACK, _skewed('i * 41', len(FEEDBACK))), 'v')} END")
    n_first, n_second = len(COMPANY_FIRST), len(COMPANY_SECOND)
    company = (f"{_nth(COMPANY_FIRST, 'c')} || ' ' || {_nth(COMPANY_SECOND, f'c // {n_first}')}"
               f" || coalesce(' ' || nullif({_nth(COMPANY_SUFFIX, f'c // {n_first * n_second}')}"
               ", ''), '')")
    applied = "(DATE '2023-01-01' + (hash(i * 11) % 900)::INT)"
    date_text = """CASE WHEN d_kind < 70 THEN strftime(_applied, '%-m/%-d/%Y')
        WHEN d_kind < 85 THEN strftime(_applied, '%Y-%m-%d')
        WHEN d_kind < 95 THEN strftime(_applied, '%-d %b %Y')
        ELSE strftime(_applied, '%B %-d, %Y') END"""
    return f"""
    WITH base AS (
        SELECT i, hash(i * 7) % 20000 AS c, {_skewed('i * 2', TITLE_IDS)} AS tid,
               hash(i * 43) % 100 AS v, hash(i * 13) % 100 AS d_kind, {applied} AS _applied
        FROM range({rows}) r(i))
    SELECT {company} AS "Company",
           {_title('tid')} AS "Job Title",
           {date_text} AS "Date Applied",
           {_pick(STATUSES, 'i * 5 + 1')} AS "Status",
           CASE WHEN hash(i * 19) % 100 < 20 THEN ''
                ELSE strftime(_applied + (hash(i * 23) % 60)::INT, '%Y-%m-%d') END
               AS "Last Update",
           {feedback} AS "Feedback",
           {_pick(NOTES, 'i * 29')} AS "Notes",
           {_pick(LOCATIONS, 'c * 31')} AS "Location",
           {_pick(SALARIES, 'i * 37')} AS "Salary",
           {_pick(SOURCES, 'i * 47')} AS "Source",
           {_pick(SIZES, 'c * 53')} AS "Org Size",
           'https://jobs.example.com/' || c::VARCHAR || '/' || i::VARCHAR AS "Job URL",
           _applied, d_kind < 70 AS _us
    FROM base"""


def make_csv(path: Path, rows: int) -> None:
    """Write a CSV tracker of ``rows`` applications to ``path``."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"COPY (SELECT * EXCLUDE (_applied, _us) FROM ({tracker_sql(rows)})) "
                f"TO '{path}' (HEADER, DELIMITER ',')")
    con.close()


def make_xlsx(path: Path, rows: int) -> None:
    """Write a one-sheet XLSX tracker of ``rows`` applications to ``path``: the same values
    as ``make_csv``, with the US-written dates applied stored as date cells."""
    import xlsxwriter

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    cursor = con.execute(tracker_sql(rows))
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Applications")
    date_format = workbook.add_format({"num_format": "m/d/yyyy"})
    sheet.write_row(0, 0, COLUMNS)
    applied_col = COLUMNS.index("Date Applied")
    r = 1
    while batch := cursor.fetchmany(20_000):
        for row in batch:
            values, applied, us = row[:-2], row[-2], row[-1]
            for c, value in enumerate(values):
                if c == applied_col and us:
                    sheet.write_datetime(r, c, dt.datetime.combine(applied, dt.time()),
                                         date_format)
                elif value:
                    sheet.write_string(r, c, value)
            r += 1
    workbook.close()
    con.close()

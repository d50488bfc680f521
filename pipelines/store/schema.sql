-- Silver Lining's database: every table and view, safe to apply twice.
-- Grain and meaning of each column are stated beside it.

CREATE SEQUENCE IF NOT EXISTS import_id_seq START 1;

-- One row per import of one file (or one sheet of a workbook).
CREATE TABLE IF NOT EXISTS imports (
    import_id            INTEGER PRIMARY KEY,
    source_file          VARCHAR NOT NULL,      -- file name as imported (no directory)
    content_sha256       VARCHAR NOT NULL,      -- hash of the file's bytes
    layout               VARCHAR NOT NULL,      -- status_column, stage_columns, linkedin, ...
    layout_key           VARCHAR NOT NULL,      -- fingerprint of the header; mappings are kept per key
    sheet                VARCHAR,               -- workbook sheet read, NULL for text files
    header_row           INTEGER,               -- 1-based row of the header in the file or sheet
    columns              VARCHAR[] NOT NULL,    -- source column names, in order
    mapping              JSON NOT NULL,         -- {source column: canonical field}
    rows_read            INTEGER NOT NULL,      -- non-blank rows below the header
    applications_loaded  INTEGER NOT NULL,      -- applications this file describes
    applications_new     INTEGER NOT NULL,      -- of those, not in the database before
    applications_updated INTEGER NOT NULL,      -- of those, already there and changed
    rows_skipped         INTEGER NOT NULL,
    skipped              JSON NOT NULL,         -- {reason: rows}
    unknown_statuses     JSON NOT NULL,         -- {status text: rows}
    unparsed_dates       JSON NOT NULL,         -- {column: [examples]}
    unmapped_columns     VARCHAR[] NOT NULL,
    imported_at          TIMESTAMP NOT NULL
);

-- One row per distinct file imported: the original bytes, zstd-compressed, so an import
-- can be read and mapped again without the file (imports.content_sha256 points here).
-- Storing the file rather than its parsed rows keeps every row (even those skipped), every
-- sheet, and costs a fraction of the time and space.
CREATE TABLE IF NOT EXISTS import_files (
    content_sha256  VARCHAR PRIMARY KEY,
    file_name       VARCHAR NOT NULL,
    size_bytes      BIGINT NOT NULL,            -- size before compression
    compression     VARCHAR NOT NULL,           -- 'zstd'
    data            BLOB NOT NULL
);

-- One row per application (one job applied for), merged across all imported files.
CREATE TABLE IF NOT EXISTS applications (
    application_id   VARCHAR NOT NULL,          -- stable across re-imports
    company          VARCHAR,
    job_title        VARCHAR,
    company_key      VARCHAR,                   -- folded company name used for matching
    title_key        VARCHAR,                   -- folded job title used for matching
    applied_on       DATE,
    stage_reached    VARCHAR NOT NULL CHECK (stage_reached IN
                         ('applied', 'screen', 'interview', 'final', 'offer')),
    outcome          VARCHAR NOT NULL CHECK (outcome IN
                         ('active', 'rejected', 'no_response', 'withdrawn', 'offer')),
    outcome_on       DATE,
    status_raw       VARCHAR,                   -- the status text as written in the source
    status_known     BOOLEAN NOT NULL,          -- false when no rule understood status_raw
    feedback         VARCHAR,
    notes            VARCHAR,
    location         VARCHAR,
    salary_raw       VARCHAR,
    salary_min       DOUBLE,
    salary_max       DOUBLE,
    salary_currency  VARCHAR,
    salary_period    VARCHAR,                   -- year, month, hour
    source_channel   VARCHAR,                   -- where the job was found / applied through
    referral         VARCHAR,
    contact          VARCHAR,
    org_size         INTEGER,                   -- employees; NULL when unknown
    org_type         VARCHAR,
    job_url          VARCHAR,
    source_ref       VARCHAR,                   -- the source's own id or requisition number
    source_file      VARCHAR NOT NULL,          -- file that last updated this application
    first_import_id  INTEGER NOT NULL,
    last_import_id   INTEGER NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

-- One row per (application, import) that described it: where each fact came from.
CREATE TABLE IF NOT EXISTS application_sources (
    application_id  VARCHAR NOT NULL,
    import_id       INTEGER NOT NULL,
    source_row      INTEGER NOT NULL
);

-- The column mapping remembered per source layout (header fingerprint).
CREATE TABLE IF NOT EXISTS saved_mappings (
    layout_key  VARCHAR PRIMARY KEY,
    overrides   JSON NOT NULL,                  -- {source column: field} chosen by the user
    layout      VARCHAR,                        -- layout chosen by the user, NULL = detect
    saved_at    TIMESTAMP NOT NULL
);

-- What the user changed or added in the app, one row per application. Kept apart from
-- `applications` so that re-importing a tracker never overwrites it.
CREATE TABLE IF NOT EXISTS annotations (
    application_id  VARCHAR PRIMARY KEY,
    stage_reached   VARCHAR CHECK (stage_reached IN
                        ('applied', 'screen', 'interview', 'final', 'offer')),
    outcome         VARCHAR CHECK (outcome IN
                        ('active', 'rejected', 'no_response', 'withdrawn', 'offer')),
    feedback        VARCHAR,                    -- feedback the user added or corrected
    notes           VARCHAR,
    updated_at      TIMESTAMP NOT NULL
);

-- Statuses the user placed by hand in the import report: every application with this
-- status text takes this stage and outcome (unless annotated one by one).
CREATE TABLE IF NOT EXISTS status_overrides (
    status_raw      VARCHAR PRIMARY KEY,
    stage_reached   VARCHAR NOT NULL CHECK (stage_reached IN
                        ('applied', 'screen', 'interview', 'final', 'offer')),
    outcome         VARCHAR NOT NULL CHECK (outcome IN
                        ('active', 'rejected', 'no_response', 'withdrawn', 'offer')),
    updated_at      TIMESTAMP NOT NULL
);

-- Scope of each application: parsed from the tracker on import (columns added after the
-- first release, hence ALTER, which also upgrades older workspaces) and derived from the
-- title and the candidate's profile by scope.refresh_scope.
ALTER TABLE applications ADD COLUMN IF NOT EXISTS org_reach VARCHAR;      -- local, regional, national, global
ALTER TABLE applications ADD COLUMN IF NOT EXISTS people_managed INTEGER;
ALTER TABLE applications ADD COLUMN IF NOT EXISTS budget DOUBLE;          -- as written, currency not kept
ALTER TABLE applications ADD COLUMN IF NOT EXISTS title_level INTEGER;    -- 1 intern … 12 C-level
ALTER TABLE applications ADD COLUMN IF NOT EXISTS title_function VARCHAR;
ALTER TABLE applications ADD COLUMN IF NOT EXISTS title_words VARCHAR;    -- the words that set the level
ALTER TABLE applications ADD COLUMN IF NOT EXISTS manages_people BOOLEAN;
ALTER TABLE applications ADD COLUMN IF NOT EXISTS effective_level DOUBLE; -- title level adjusted for scope
ALTER TABLE applications ADD COLUMN IF NOT EXISTS stretch DOUBLE;         -- effective level − the candidate's
-- The themes its feedback and notes name, sorted and comma-separated: a copy of
-- application_themes kept by themes.refresh_themes, so that pages count themes without
-- joining a million applications to their tags.
ALTER TABLE applications ADD COLUMN IF NOT EXISTS theme_codes VARCHAR;

-- Scope the user set for an application in the app; wins over the tracker's.
CREATE TABLE IF NOT EXISTS scope_edits (
    application_id  VARCHAR PRIMARY KEY,
    title_level     INTEGER CHECK (title_level BETWEEN 1 AND 12),
    org_size        INTEGER CHECK (org_size > 0),
    org_type        VARCHAR CHECK (org_type IN ('startup', 'nonprofit', 'public_sector', 'company')),
    org_reach       VARCHAR CHECK (org_reach IN ('local', 'regional', 'national', 'global')),
    people_managed  INTEGER CHECK (people_managed >= 0),
    budget          DOUBLE CHECK (budget >= 0),
    updated_at      TIMESTAMP NOT NULL
);

-- The candidate's own current role (one row): what stretch is measured from.
CREATE TABLE IF NOT EXISTS candidate_profile (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    current_title   VARCHAR,
    title_level     INTEGER CHECK (title_level BETWEEN 1 AND 12),  -- NULL: read from the title
    org_size        INTEGER CHECK (org_size > 0),
    org_type        VARCHAR CHECK (org_type IN ('startup', 'nonprofit', 'public_sector', 'company')),
    org_reach       VARCHAR CHECK (org_reach IN ('local', 'regional', 'national', 'global')),
    people_managed  INTEGER CHECK (people_managed >= 0),
    updated_at      TIMESTAMP NOT NULL
);

-- Preparation, read from the tracker when it has the columns (issue 6).
ALTER TABLE applications ADD COLUMN IF NOT EXISTS prep_hours DOUBLE;
ALTER TABLE applications ADD COLUMN IF NOT EXISTS researched BOOLEAN;
ALTER TABLE applications ADD COLUMN IF NOT EXISTS insiders_contacted BOOLEAN;
ALTER TABLE applications ADD COLUMN IF NOT EXISTS questions_prepared BOOLEAN;
ALTER TABLE applications ADD COLUMN IF NOT EXISTS feedback_asked BOOLEAN;

-- Preparation the user recorded in the app for one application; wins over the tracker's.
CREATE TABLE IF NOT EXISTS preparation_edits (
    application_id      VARCHAR PRIMARY KEY,
    prep_hours          DOUBLE CHECK (prep_hours >= 0 AND prep_hours < 1000),
    researched          BOOLEAN,
    insiders_contacted  BOOLEAN,
    referred            BOOLEAN,
    questions_prepared  BOOLEAN,
    feedback_asked      BOOLEAN,
    feedback_received   BOOLEAN,
    updated_at          TIMESTAMP NOT NULL
);

-- The development plan: one action per row against a theme the candidate can act on.
CREATE SEQUENCE IF NOT EXISTS plan_action_seq START 1;
CREATE TABLE IF NOT EXISTS plan_actions (
    action_id    INTEGER PRIMARY KEY DEFAULT nextval('plan_action_seq'),
    theme        VARCHAR NOT NULL,
    action       VARCHAR NOT NULL,
    target_on    DATE,
    status       VARCHAR NOT NULL DEFAULT 'planned'
                     CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    notes        VARCHAR,
    session_id   INTEGER,                       -- the coach session that agreed it, if any
    done_on      DATE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- Coach sessions: a dated review with notes.
CREATE SEQUENCE IF NOT EXISTS coach_session_seq START 1;
CREATE TABLE IF NOT EXISTS coach_sessions (
    session_id  INTEGER PRIMARY KEY DEFAULT nextval('coach_session_seq'),
    held_on     DATE NOT NULL,
    notes       VARCHAR,
    created_at  TIMESTAMP NOT NULL
);

-- applications_view (the applications with the user's corrections) is created by
-- pipelines/view.py after this file.


-- Small facts about the workspace, e.g. which import is the demo data.
CREATE TABLE IF NOT EXISTS app_state (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);

-- The recorded migrations this database has had (pipelines/store/migrations.py), by name.
CREATE TABLE IF NOT EXISTS schema_migrations (
    name        VARCHAR PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL
);

-- The feedback codebook: one row per theme (defaults from codebook.csv, editable).
CREATE TABLE IF NOT EXISTS themes (
    theme         VARCHAR PRIMARY KEY,
    label         VARCHAR NOT NULL,
    controllable  BOOLEAN NOT NULL,            -- can the candidate act on it?
    description   VARCHAR,
    action        VARCHAR,                     -- suggested development action
    builtin       BOOLEAN NOT NULL
);

-- Phrases that signal a theme: regular expressions over folded text (see pipelines/textfold.py).
CREATE TABLE IF NOT EXISTS theme_phrases (
    theme     VARCHAR NOT NULL,
    pattern   VARCHAR NOT NULL,
    builtin   BOOLEAN NOT NULL,
    position  INTEGER NOT NULL,               -- order of trial: earlier phrases win a tie
    PRIMARY KEY (theme, pattern)
);

-- One row per (application, theme) found in its feedback or notes; rebuilt after every
-- import and every change of the codebook or of the feedback.
CREATE TABLE IF NOT EXISTS application_themes (
    application_id  VARCHAR NOT NULL,
    theme           VARCHAR NOT NULL,
    controllable    BOOLEAN,
    evidence        VARCHAR NOT NULL,          -- the words that triggered the theme
    source          VARCHAR NOT NULL           -- feedback, notes
);

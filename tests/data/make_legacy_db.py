"""How tests/data/legacy-948acfa.duckdb.zst was made (kept to say what the file holds).

Run with the code of commit 948acfa, the last before recorded migrations, from a checkout of
it: ``PYTHONPATH=. python make_legacy_db.py OUT.duckdb``, then ``zstd -19``. It loads the
sample tracker and makes one edit of every kind the app stores, so the upgrade test
(tests/pipelines/store/test_migrations.py) finds every table filled. It imports that commit's
modules (pipelines.db, pipelines.edits, …), so it does not run against the current code, and
tests/data is left out of the lint.
"""

import datetime as dt
import sys
from pathlib import Path

from pipelines import codebook_edits
from pipelines.coaching import add_session, save_preparations, set_weekly_goal
from pipelines.db import connect
from pipelines.edits import place_status, save_annotation, save_profile, save_scope
from pipelines.ingest import ingest_file

con = connect(Path(sys.argv[1]))
ingest_file(con, "sample_data/tracker.csv")
ids = [r[0] for r in con.execute(
    "SELECT application_id FROM applications ORDER BY application_id LIMIT 4").fetchall()]
save_annotation(con, ids[0], outcome="rejected",
                feedback="We needed someone with more leadership experience.")
save_scope(con, ids[1], org_size=1200, org_reach="global")
save_profile(con, current_title="Senior Data Analyst", org_size=300, org_type="company")
save_preparations(con, [(ids[2], {"researched": True, "referred": True, "prep_hours": 4.0})])
con.execute("UPDATE applications SET status_known = FALSE, status_raw = 'on the shelf' "
            "WHERE application_id = ?", [ids[3]])
place_status(con, "on the shelf", "screen", "no_response")
codebook_edits.add_theme(con, "portfolio_gap", "Portfolio gap", True, phrases=("no portfolio",))
add_session(con, dt.date(2025, 5, 1), "First session",
            [("leadership", "Lead a project", dt.date(2025, 6, 1))])
set_weekly_goal(con, 5)
con.close()

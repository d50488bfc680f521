"""Two pages, one answer: whether an application was referred is decided once (the view's
``referred``), so the Preparation page and the Referral segment of Rejection stages agree."""

from __future__ import annotations

from dashboard import queries as q
from dashboard.filters import Filters
from pipelines.edits.coaching import save_preparations
from pipelines.ingest.importer import ingest_file
from tests.conftest import write_text

# Worked out by hand: 'hayır' and 'HAYIR' (Turkish for no) and an empty cell are not
# referrals, 'Sam Lee' names a referrer; the user then says Initech was a referral.
TRACKER = ("Company,Job Title,Date Applied,Status,Referral\n"
           "Acme,Analyst,2025-03-03,Rejected,hayır\n"
           "Globex,Analyst,2025-03-04,Interview,Sam Lee\n"
           "Initech,Analyst,2025-03-05,Applied,\n"
           "Umbrella,Analyst,2025-03-06,Applied,HAYIR\n")


def test_preparation_and_the_referral_segment_count_the_same_referrals(con, tmp_path):
    """With 'hayır' cells and one referral set by the user, both pages count Globex and
    Initech as referred and Acme and Umbrella as not (an empty cell alone says nothing)."""
    ingest_file(con, write_text(tmp_path, "t.csv", TRACKER))
    initech = con.execute("SELECT application_id FROM applications WHERE company = 'Initech'"
                          ).fetchall()[0][0]
    save_preparations(con, [(initech, {"referred": True})])
    effect = q.preparation_effect(con, Filters())
    referred = effect[effect["kind"] == "referred"].set_index("with_it")["applications"]
    segment = q.segment_conversion(con, Filters(), "Referral").set_index("segment")
    assert referred.to_dict() == {True: 2, False: 2}
    assert segment["applications"].to_dict() == {"Referred": 2, "Not referred": 2}
    assert segment.loc["Referred", "interviews"] == 1  # Globex reached an interview
    assert sorted(r[0] for r in con.execute(
        "SELECT company FROM applications_view WHERE referred").fetchall()) == [
        "Globex", "Initech"]

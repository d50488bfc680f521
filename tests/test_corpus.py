"""Every real tracker in ../shared/corpus either ingests with the counts verified by hand
(tests/corpus_expectations.py) or fails with one clear message."""

from __future__ import annotations

import pytest

from pipelines.errors import IngestError
from pipelines.ingest.importer import ingest_file
from pipelines.store.db import connect, scalar
from tests.corpus_expectations import EXPECTED

pytestmark = pytest.mark.corpus


def _distribution(con, column: str) -> dict[str, int]:
    return dict(con.execute(
        f"SELECT {column}, count(*) FROM applications GROUP BY ALL").fetchall())


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_corpus_file(relative, corpus, tmp_path):
    """The file loads with the hand-verified counts and stage/outcome mix, or fails cleanly."""
    expected = EXPECTED[relative]
    con = connect(tmp_path / "corpus.duckdb")
    if "fails" in expected:
        with pytest.raises(IngestError) as caught:
            ingest_file(con, corpus / relative)
        message = str(caught.value)
        assert "\n" not in message and relative.rsplit("/", 1)[-1] in message
        assert scalar(con, "SELECT count(*) FROM applications") == 0
        return
    report = ingest_file(con, corpus / relative)
    assert report.layout == expected["layout"]
    assert report.applications_loaded == expected["applications"]
    stages = {k: v for k, v in expected["stage"].items() if v}
    outcomes = {k: v for k, v in expected["outcome"].items() if v}
    assert _distribution(con, "stage_reached") == stages
    assert _distribution(con, "outcome") == outcomes

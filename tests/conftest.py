"""Shared fixtures: databases built through schema.sql, files written on the fly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipelines.store.db import connect

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SAMPLE_CSV = Path(__file__).resolve().parents[1] / "sample_data" / "tracker.csv"


@pytest.fixture(autouse=True, scope="session")
def served_on_loopback():
    """AppTest runs the app as served on 127.0.0.1, as `silverlining run` serves it: with no
    address set, Streamlit listens on every interface and the app asks for the password
    (tests/test_access.py sets another address where it checks that)."""
    from streamlit import config

    config.set_option("server.address", "127.0.0.1")
    yield


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A database holding the sample tracker (150 applications), shared by a module."""
    from pipelines.ingest.importer import ingest_file

    connection = connect(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    ingest_file(connection, SAMPLE_CSV)
    yield connection
    connection.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def con(db_path: Path):
    connection = connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


def write_text(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``folder/name`` in ``encoding`` and return the path."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(folder: Path, name: str, sheets: dict[str, list[list]]) -> Path:
    """Write a workbook with one sheet per entry (rows of cell values) and return its path."""
    import xlsxwriter

    path = folder / name
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for sheet_name, rows in sheets.items():
        sheet = workbook.add_worksheet(sheet_name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if hasattr(value, "year"):
                    sheet.write_datetime(r, c, value, date_format)
                else:
                    sheet.write(r, c, value)
    workbook.close()
    return path


def snapshot(con, times: bool = True) -> dict[str, tuple[int, int]]:
    """Every stored table's row count and a checksum of its rows in any order (applications,
    imports, the stored files, sources, remembered mappings, the user's edits, the codebook).
    With ``times=False`` the TIMESTAMP columns are left out, so a database that did the same
    things at other moments compares equal."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1").fetchall()]
    assert {"applications", "imports", "saved_mappings"} <= set(tables)
    state = {}
    for table in tables:
        columns = [f'"{name}"' for name, kind in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? AND "
            "database_name = current_database() AND schema_name = 'main' "
            "ORDER BY column_index", [table]).fetchall()
            if times or not kind.startswith("TIMESTAMP")]
        count, total = con.execute(f"SELECT count(*), sum(hash({', '.join(columns)})::HUGEINT) "
                                   f"FROM {table}").fetchall()[0]
        state[table] = (count, int(total or 0))
    return state


def applications(con) -> list[dict]:
    """All stored applications as dicts, ordered by company and title."""
    cursor = con.execute("SELECT * FROM applications ORDER BY company, job_title, applied_on")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# ── headless Chromium (test_browser.py, test_report.py) ───────────────────────────────

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        _missing("Chromium is not installed (apt-get install chromium)")
    return path


def served_or_fail(folder: Path, **options):
    """For a fixture: yield the URL of the app served on ``folder`` (tests.app_server.serving
    with ``options``), failing the test with the app's log when it does not start."""
    from tests.app_server import serving

    try:
        with serving(folder, **options) as url:
            yield url
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Playwright's sync API allows one at a time);
    a test fails without it when CI=true, else it is skipped."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    executable = _chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

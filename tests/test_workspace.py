"""A coach's workspace: clients listed and created, the cohort of the other clients
(medians only, hidden below five clients), `silverlining run --workspace`, and the app
keeping each client's data, filters and caches to that client."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli, cohort_view, workspace
from pipelines.edits.demo import demo_import_id
from pipelines.ingest.importer import ingest_file
from pipelines.store.db import connect

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = re.findall(r'st\.Page\("(views/[a-z_]+\.py)"', (ROOT / "dashboard" / "app.py").read_text())
STATUS = {"applied": "Rejected", "screen": "Rejected after phone screen",
          "interview": "Rejected after interview", "final": "Rejected after final round",
          "offer": "Offer", "open": "Applied"}
CANCELLED = "The role was cancelled."                # names role_cancelled only
LEADERSHIP = "You lack leadership experience at scale."  # names leadership only


def _client(folder: Path, name: str, rows: list[tuple[str, str]], company: str = "Co") -> Path:
    """A client database in ``folder`` holding one application per (stage, feedback) row,
    rejected at that stage (an offer for 'offer', still open for 'open')."""
    folder.mkdir(parents=True, exist_ok=True)
    tracker = folder.parent / f"{name}.csv"
    lines = ["Company,Job Title,Date Applied,Status,Feedback"] + [
        f"{company} {i},Analyst,2025-03-{i + 1:02d},{STATUS[stage]},{feedback}"
        for i, (stage, feedback) in enumerate(rows)]
    tracker.write_text("\n".join(lines) + "\n")
    path = folder / f"{name}.duckdb"
    con = connect(path)
    try:
        if rows:
            ingest_file(con, tracker)
    finally:
        con.close()
    return path


# Four other clients; medians worked out by hand in test_cohort_medians_by_hand.
OTHERS = {
    "o1": [("applied", CANCELLED), ("screen", LEADERSHIP), ("interview", ""), ("offer", "")],
    "o2": [("applied", CANCELLED), ("applied", "")],
    "o3": [("screen", LEADERSHIP), ("screen", ""), ("final", LEADERSHIP), ("final", ""),
           ("offer", "")],
    "o4": [("applied", ""), ("interview", "")],
}


@pytest.fixture
def cohort_folder(tmp_path) -> Path:
    """A workspace of five clients: 'me' (two offers) and the four OTHERS."""
    folder = tmp_path / "clients"
    _client(folder, "me", [("offer", ""), ("offer", "")], company="Mine")
    for name, rows in OTHERS.items():
        _client(folder, name, rows, company=f"Secret{name}")
    return folder


def test_clients_are_the_duckdb_files_named_from_the_file(tmp_path):
    """Every *.duckdb file directly in the folder is a client, named from its file name;
    other files, hidden files and sub-folders are not."""
    folder = tmp_path / "ws"
    (folder / "sub.duckdb").mkdir(parents=True)
    for name in ("dana-smith.duckdb", "lee_ann_o.duckdb", "McNeil.duckdb", ".hidden.duckdb",
                 "notes.txt", "dana-smith.duckdb.wal"):
        (folder / name).write_bytes(b"")
    clients = workspace.list_clients(folder)
    assert [(c.name, c.key) for c in clients] == [
        ("Dana Smith", "dana-smith.duckdb"), ("Lee Ann O", "lee_ann_o.duckdb"),
        ("McNeil", "McNeil.duckdb")]
    assert workspace.list_clients(tmp_path / "missing") == []


def test_create_client_makes_a_safe_file_with_the_schema(tmp_path):
    """A typed name becomes a lower-case dashed file name holding the schema, in a folder
    made on demand; the new client is listed under the typed name."""
    folder = tmp_path / "new" / "ws"
    client = workspace.create_client(folder, "  Dana   Smith ")
    assert client.path == folder / "dana-smith.duckdb" and client.name == "Dana Smith"
    assert workspace.create_client(folder, "St. James").key == "st-james.duckdb"
    assert [c.name for c in workspace.list_clients(folder)] == ["Dana Smith", "St James"]
    con = connect(client.path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM applications_view").fetchall() == [(0,)]
    finally:
        con.close()


@pytest.mark.parametrize("name", ["../escape", "a/b", "a\\b", "C:thing", ".hidden", "", "   ",
                                  "---", "con", "x" * 61, "tab\tname"])
def test_create_client_refuses_bad_names(tmp_path, name):
    """Names that look like a path, hold a control character, leave nothing usable, or
    that Windows reserves are refused with a message, and no file is made."""
    with pytest.raises(ValueError, match=r"\w"):
        workspace.create_client(tmp_path / "ws", name)
    assert not list(tmp_path.rglob("*.duckdb"))


def test_create_client_never_overwrites(tmp_path):
    """A client whose file exists (in any letter case) is refused and left as it was."""
    folder = tmp_path / "ws"
    path = _client(folder, "dana-smith", [("offer", "")])
    before = path.read_bytes()
    for typed in ("Dana Smith", "DANA smith", "dana-smith"):
        with pytest.raises(ValueError, match="already exists"):
            workspace.create_client(folder, typed)
    assert path.read_bytes() == before
    assert len(workspace.list_clients(folder)) == 1


def test_cohort_medians_by_hand(cohort_folder):
    """Medians over the four other clients, the current one left out.

    Reach (screen, interview, final, offer): o1 3/4, 2/4, 1/4, 1/4; o2 0, 0, 0, 0; o3 5/5,
    3/5, 3/5, 1/5; o4 1/2, 1/2, 0, 0 → medians 0.625, 0.5, 0.125, 0.1. Rejections naming a
    cancelled role: o1 1/3, o2 1/2, o3 0/4, o4 0/2 → 1/6; naming leadership: 1/3, 0, 2/4, 0
    → 1/6."""
    found = workspace.cohort(cohort_folder, cohort_folder / "me.duckdb")
    assert found is not None and found.others == 4 and found.theme_clients == 4
    assert found.stages == pytest.approx(
        {"screen": 0.625, "interview": 0.5, "final": 0.125, "offer": 0.1})
    medians = dict(zip(found.themes["theme"], found.themes["median_share"], strict=True))
    assert medians["role_cancelled"] == pytest.approx(1 / 6)
    assert medians["leadership"] == pytest.approx(1 / 6)
    assert {k for k, v in medians.items() if v} == {"role_cancelled", "leadership"}


def test_cohort_of_another_client_leaves_that_client_out(cohort_folder):
    """Seen from o2, the cohort is me, o1, o3, o4: me's two offers now count, o2's do not."""
    found = workspace.cohort(cohort_folder, cohort_folder / "o2.duckdb")
    assert found is not None and found.others == 4
    # screen: me 1, o1 3/4, o3 1, o4 1/2 → (3/4 + 1) / 2; offer: 1, 1/4, 1/5, 0 → (1/5 + 1/4) / 2
    assert found.stages["screen"] == pytest.approx(0.875)
    assert found.stages["offer"] == pytest.approx(0.225)
    assert found.theme_clients == 3 and found.themes.empty  # me has no rejection


def test_cohort_is_none_below_five_clients(cohort_folder):
    """Four clients in all, or five with one of them empty, give no cohort."""
    (cohort_folder / "o4.duckdb").unlink()
    assert workspace.cohort(cohort_folder, cohort_folder / "me.duckdb") is None
    _client(cohort_folder, "empty", [])
    assert len(workspace.list_clients(cohort_folder)) == 5
    assert workspace.cohort(cohort_folder, cohort_folder / "me.duckdb") is None
    _client(cohort_folder, "o5", [("screen", "")])
    assert workspace.cohort(cohort_folder, cohort_folder / "me.duckdb").others == 4


def test_cohort_returns_aggregates_only(cohort_folder):
    """No company, title, feedback or application id of another client is anywhere in the
    cohort, nor a theme another client added to their own codebook; its size does not grow
    with their applications."""
    con = connect(cohort_folder / "o1.duckdb")
    con.execute("INSERT INTO themes VALUES ('grudge_secretcorp', 'Secretcorp grudge', TRUE, "
                "NULL, NULL, FALSE)")
    con.execute("INSERT INTO application_themes SELECT application_id, 'grudge_secretcorp', "
                "TRUE, 'x', 'feedback' FROM applications WHERE outcome = 'rejected'")
    ids = [r[0] for r in con.execute("SELECT application_id FROM applications").fetchall()]
    con.close()
    found = workspace.cohort(cohort_folder, cohort_folder / "me.duckdb")
    blob = pickle.dumps(found) + repr(found).encode() + found.themes.to_csv().encode()
    for secret in ("Secreto", "Analyst", "role was cancelled", "lack leadership", "grudge",
                   "Secretcorp", *ids):
        assert secret.encode() not in blob, secret
    assert set(found.stages) == {"screen", "interview", "final", "offer"}
    assert list(found.themes.columns) == ["theme", "label", "controllable", "median_share"]
    from pipelines.derive.themes import default_themes

    assert sorted(found.themes["theme"]) == sorted(t.name for t in default_themes())


def test_cohort_reads_without_writing_even_a_file_the_app_holds_open(cohort_folder):
    """The other clients' files are unchanged after a cohort, also one this process holds
    open for writing (as the app does for a client visited before)."""
    held = connect(cohort_folder / "o3.duckdb")
    try:
        before = {p.name: p.read_bytes() for p in cohort_folder.iterdir()}
        found = workspace.cohort(cohort_folder, cohort_folder / "me.duckdb")
        assert found is not None and found.others == 4
        assert found.stages["final"] == pytest.approx(0.125)
        assert {p.name: p.read_bytes() for p in cohort_folder.iterdir()} == before
        assert held.execute("SELECT count(*) FROM applications").fetchall() == [(5,)]
    finally:
        held.close()


def test_cohort_skips_a_file_that_is_not_a_database(cohort_folder):
    """A damaged file counts as absent: with it as the fourth other client, no cohort."""
    (cohort_folder / "o4.duckdb").write_bytes(b"not a database")
    assert workspace.cohort(cohort_folder, cohort_folder / "me.duckdb") is None


# ── the command ─────────────────────────────────────────────────────────────────────────

class _Server:
    """Stands in for the Streamlit process: records the environment and the command it was
    started with."""

    started: list[dict] = []
    commands: list[list[str]] = []

    def __init__(self, command, **kwargs):
        import os

        _Server.started.append(dict(os.environ))
        _Server.commands.append(list(command))

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return 0  # already finished: nothing to stop


def test_run_with_a_workspace_sets_it_for_the_dashboard(tmp_path, monkeypatch):
    """`run --workspace` hands the folder to the dashboard; with --db as well it is refused."""
    monkeypatch.delenv(workspace.ENV_VAR, raising=False)
    monkeypatch.delenv("SILVERLINING_DB", raising=False)
    monkeypatch.setattr(cli.subprocess, "Popen", _Server)
    _Server.started.clear()
    assert cli.main(["run", "--headless", "--workspace", str(tmp_path / "ws")]) == 0
    assert _Server.started[-1][workspace.ENV_VAR] == str((tmp_path / "ws").resolve())
    code = cli.main(["run", "--headless", "--workspace", "x", "--db", "y.duckdb"])
    assert code == cli.EXIT_BAD_INPUT and len(_Server.started) == 1
    assert cli.main(["run", "--headless", "--db", str(tmp_path / "one.duckdb")]) == 0
    assert workspace.ENV_VAR not in _Server.started[-1]


# ── the app ─────────────────────────────────────────────────────────────────────────────

ALPHA = ("Zyxwarbler Labs", "Quintorex Holdings", "Vellumfar Systems", "Astrolabe Curator")
BETA = ("Plumbrook Outfitters", "Tessavane Foods", "Orrindale Works", "Kelp Cartographer")


def _tracker(names: tuple[str, ...]) -> str:
    a, b, c, title = names
    return ("Company,Job Title,Date Applied,Status,Source,Feedback\n"
            f"{a},{title},2025-03-04,Rejected after phone screen,LinkedIn,{LEADERSHIP}\n"
            f"{b},{title},2025-03-15,Rejected after interview,Referral,{CANCELLED}\n"
            f"{c},Senior {title},2025-04-02,Offer,Website,\n"
            f"{a} Europe,Lead {title},2025-04-20,Applied,LinkedIn,\n"
            f"{b} Asia,{title},2025-05-06,Rejected,Website,We chose someone else.\n")


@pytest.fixture
def two_clients(tmp_path, monkeypatch) -> dict[str, Path]:
    """A workspace of two clients with their own trackers; $SILVERLINING_DB points at a
    file that must stay untouched."""
    folder = tmp_path / "ws"
    folder.mkdir()
    paths = {}
    for key, names in (("alpha", ALPHA), ("beta", BETA)):
        (tmp_path / f"{key}.csv").write_text(_tracker(names))
        paths[key] = folder / f"{key}-client.duckdb"
        con = connect(paths[key])
        ingest_file(con, tmp_path / f"{key}.csv")
        con.close()
    monkeypatch.setenv(workspace.ENV_VAR, str(folder))
    monkeypatch.setenv("SILVERLINING_DB", str(tmp_path / "single.duckdb"))
    paths["single"] = tmp_path / "single.duckdb"
    return paths


def _shown(at: AppTest) -> str:
    """Everything the run put on screen: every element's message (text, labels, options,
    chart specs) and every table's cells."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        if type(node).__name__ == "Dataframe":
            out.append(node.value.to_csv())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


def _visit_every_page(at: AppTest) -> str:
    seen = []
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        seen.append(_shown(at))
    return "\n".join(seen)


def test_switching_client_shows_nothing_of_the_other_client(two_clients):
    """Client A's companies and titles appear on no page, table or chart while B is chosen;
    the filters typed for A are gone for B; neither file got the demo data, and the
    single-file database was not touched."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="client").value == "alpha-client.duckdb"  # the first by name
    assert at.selectbox(key="client").options == ["Alpha Client", "Beta Client"]
    seen_alpha = _visit_every_page(at)
    assert all(name in seen_alpha for name in ALPHA)  # the search does find what is shown
    at.switch_page("views/applications.py").run()
    at.text_input(key="f_search").set_value("Zyxw").run()
    at.multiselect(key="f_outcomes").set_value(["rejected"]).run()
    assert at.query_params["search"] in ("Zyxw", ["Zyxw"])

    at.selectbox(key="client").set_value("beta-client.duckdb").run()
    assert not at.exception, at.exception
    assert at.text_input(key="f_search").value == ""
    assert at.multiselect(key="f_outcomes").value == []
    assert "search" not in at.query_params and "outcomes" not in at.query_params
    seen_beta = _visit_every_page(at)
    assert all(name in seen_beta for name in BETA)
    for name in ALPHA:
        assert name not in seen_beta, name
    assert "Zyxw" not in seen_beta

    at.selectbox(key="client").set_value("alpha-client.duckdb").run()
    seen_alpha_again = _visit_every_page(at)
    assert all(name not in seen_alpha_again for name in BETA)
    for key in ("alpha", "beta"):
        con = connect(two_clients[key])
        try:
            assert demo_import_id(con) is None
            assert con.execute("SELECT count(*) FROM applications").fetchall() == [(5,)]
        finally:
            con.close()
    assert not two_clients["single"].exists()


def test_filters_in_the_url_belong_to_the_client_it_names(two_clients):
    """A bookmark naming a client opens that client with its filters; filters in a URL
    that names no client are not applied to the first client."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"client": "beta-client", "search": "Plum"})
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="client").value == "beta-client.duckdb"
    assert at.text_input(key="f_search").value == "Plum"
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"search": "Zyxw"})
    at.run()
    assert at.selectbox(key="client").value == "alpha-client.duckdb"
    assert at.text_input(key="f_search").value == ""
    assert at.query_params["client"] in ("alpha-client", ["alpha-client"])


def test_two_sessions_at_once_each_see_only_their_own_client(two_clients):
    """Two sessions open side by side, one on each client: re-running either shows its own
    client's applications and none of the other's (no client is shared between sessions)."""
    sessions = {}
    for key in ("alpha", "beta"):
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params["client"] = f"{key}-client"
        sessions[key] = at.run()
    for key, others in (("alpha", BETA), ("beta", ALPHA), ("alpha", BETA)):
        seen = _visit_every_page(sessions[key])
        assert all(name not in seen for name in others), key
        assert all(name in seen for name in (ALPHA if key == "alpha" else BETA)), key


def test_a_url_naming_a_file_outside_the_workspace_opens_the_first_client(two_clients,
                                                                          tmp_path):
    """A client in the URL that names a path (another folder's database) is not opened: the
    session gets the workspace's first client and nothing of that file."""
    outside = tmp_path / "outside.duckdb"
    con = connect(outside)
    (tmp_path / "outside.csv").write_text(_tracker(("Hiddenfirm", "Secretco", "Covert Ltd",
                                                    "Mole")))
    ingest_file(con, tmp_path / "outside.csv")
    con.close()
    for named in ("../outside", str(tmp_path / "outside")):
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params["client"] = named
        at.run()
        assert at.selectbox(key="client").value == "alpha-client.duckdb"
        seen = _visit_every_page(at)
        assert "Hiddenfirm" not in seen and "Secretco" not in seen


def test_no_session_means_no_client_rather_than_the_first(two_clients, monkeypatch):
    """Outside a script run (where a download button's callable runs) the app refuses to
    guess a client instead of falling back to the first one; the path taken during the run
    still opens the right database, and the single-file mode is unchanged."""
    from dashboard import state

    with pytest.raises(RuntimeError, match="Which client"):
        state.db_path()
    with state.cursor(two_clients["beta"]) as cur:
        assert ("Plumbrook Outfitters",) in cur.execute(
            "SELECT company FROM applications").fetchall()
    monkeypatch.delenv(workspace.ENV_VAR)
    assert state.db_path() == two_clients["single"]


def test_new_client_form_creates_and_switches_to_an_empty_client(two_clients):
    """The sidebar form makes a new client's file, chooses it (no demo data, no filters
    carried over), and refuses a name that looks like a path."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_input(key="f_search").set_value("Zyxw").run()
    at.text_input(key="new_client_name").set_value("../evil")  # submitted with the form
    next(b for b in at.button if b.label == "Create").click().run()
    assert any("slash" in e.value for e in at.error)
    assert not (two_clients["alpha"].parent.parent / "evil.duckdb").exists()
    at.text_input(key="new_client_name").set_value("Sam Lee")
    next(b for b in at.button if b.label == "Create").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="client").value == "sam-lee.duckdb"
    assert at.text_input(key="f_search").value == ""
    shown = _visit_every_page(at)
    assert not any(name in shown for name in ALPHA + BETA)
    con = connect(two_clients["alpha"].parent / "sam-lee.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM applications").fetchall() == [(0,)]
    finally:
        con.close()


def test_an_empty_workspace_asks_for_a_first_client(tmp_path, monkeypatch):
    """With no client yet the app says how to create one and draws no page."""
    monkeypatch.setenv(workspace.ENV_VAR, str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert any("no client yet" in i.value for i in at.info)
    assert not at.metric


COHORT_SCRIPT = """
from dashboard import cohort_view
cohort_view.draw_cohort()
"""


def test_draw_cohort_shows_medians_and_no_other_client(cohort_folder, monkeypatch):
    """Beside the chosen client, the medians of the four others with the caption saying so;
    none of their companies is drawn. Below five clients, only a caption."""
    monkeypatch.setenv(workspace.ENV_VAR, str(cohort_folder))
    at = AppTest.from_string(COHORT_SCRIPT, default_timeout=30)
    at.session_state["client"] = "me.duckdb"
    at.run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "median of 4 other clients; no other client's applications are shown" in captions
    assert len(at.get("plotly_chart")) == 2
    shown = _shown(at)
    assert "Secret" not in shown and "Mine" not in shown
    assert "62" in at.get("plotly_chart")[0].proto.spec  # the median reach of the screen
    (cohort_folder / "o1.duckdb").unlink()
    at = AppTest.from_string(COHORT_SCRIPT, default_timeout=30)
    at.session_state["client"] = "me.duckdb"
    at.run()
    assert not at.get("plotly_chart")
    assert any("appears from 5 clients" in c.value for c in at.caption)


def test_an_upload_is_kept_beside_its_own_client_only(two_clients, tmp_path):
    """A file uploaded for client B is written under B's uploads folder in the workspace,
    private to the user, and nowhere another client's session (or the temp folder) looks."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.selectbox(key="client").set_value("beta-client.duckdb").run()
    at.switch_page("views/import_data.py").run()
    at.get("file_uploader")[0].set_value(
        ("extra.csv", _tracker(("Quillon", "Brassica", "Tamarind", "Archivist")).encode(),
         "text/csv")).run()
    assert not at.exception, at.exception
    uploads = two_clients["beta"].parent / ".silverlining-uploads"
    kept = [p for p in uploads.rglob("*") if p.is_file()]
    assert [p.name for p in kept] == ["extra.csv"]
    assert kept[0].relative_to(uploads).parts[0] == "beta-client.duckdb"
    assert kept[0].stat().st_mode & 0o077 == 0  # readable by the user only
    assert [c.key for c in workspace.list_clients(uploads.parent)] == [
        "alpha-client.duckdb", "beta-client.duckdb"]  # the folder is not taken for a client


@pytest.mark.parametrize(("percent", "label"), [(0.0, "0%"), (0.5, "0.5%"), (0.94, "0.9%"),
                                                (0.96, "1%"), (14.5, "14%"), (100.0, "100%")])
def test_cohort_bar_labels_never_call_a_small_share_zero(percent, label):
    """A bar's label shows one decimal below 1%, so a share above nothing never reads 0%."""
    assert cohort_view._percent(percent) == label

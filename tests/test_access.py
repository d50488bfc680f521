"""The password for a dashboard served beyond this computer: the stored hash, `silverlining
password`, `silverlining run --address`, the app's password form (AppTest) and the
middleware that guards Streamlit's HTTP routes. The real browser is in
tests/test_browser_privacy.py."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from dashboard import access, cli, gate
from tests.test_workspace import _Server

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
SECRET = "correct horse battery"


@pytest.fixture
def password_file(tmp_path, monkeypatch) -> Path:
    """$SILVERLINING_PASSWORD_FILE in a fresh folder (no password set yet)."""
    path = tmp_path / "secret" / "password.json"
    monkeypatch.setenv(access.FILE_ENV, str(path))
    monkeypatch.delenv(access.PASSWORD_ENV, raising=False)
    return path


# ── the stored hash ─────────────────────────────────────────────────────────────────────

def test_the_file_holds_a_salted_scrypt_hash_readable_by_its_owner_only(password_file):
    """save_password writes mode 0600 JSON with scrypt's parameters, a salt and a hash, and
    never the password; the right password verifies, another does not."""
    access.save_password(SECRET)
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    text = password_file.read_text()
    assert "horse" not in text and SECRET not in text
    record = json.loads(text)
    assert record["algorithm"] == "scrypt" and (record["n"], record["r"], record["p"]) == (
        2**15, 8, 1)
    assert len(bytes.fromhex(record["salt"])) == 16 and len(bytes.fromhex(record["hash"])) == 32
    assert access.verify(SECRET, access.load_record())
    assert not access.verify(SECRET + "!", access.load_record())
    assert not access.verify("", access.load_record())


def test_each_hash_has_its_own_salt():
    """The same password hashed twice gives two different salts and hashes."""
    one, two = access.hash_password(SECRET), access.hash_password(SECRET)
    assert one["salt"] != two["salt"] and one["hash"] != two["hash"]


def test_a_short_password_is_refused(password_file):
    """A password under eight characters is not stored."""
    with pytest.raises(access.PasswordError, match="at least 8 characters"):
        access.save_password("short")
    assert not password_file.exists()


def test_a_password_file_silverlining_did_not_write_is_refused(password_file):
    """No file means no password; a file that is not a hash record raises PasswordError."""
    assert access.load_record() is None
    password_file.parent.mkdir()
    password_file.write_text('{"password": "plain"}')
    with pytest.raises(access.PasswordError, match="silverlining password"):
        access.load_record()


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False),
    ("my-laptop.local", False), ("", False), (None, False)])
def test_only_loopback_addresses_go_without_a_password(address, loopback):
    """127.0.0.0/8, ::1 and localhost are this computer; wildcards, network addresses, host
    names and Streamlit's unset address (every interface) are not."""
    assert access.is_loopback(address) is loopback


def test_wrong_passwords_make_the_address_wait_longer_each_time():
    """After the k-th wrong password an address waits 2**(k-1) s; tries meanwhile are
    refused unchecked, even the right one; other addresses are not slowed; the right
    password after the wait clears the count."""
    now = [100.0]
    throttle = access.Throttle(clock=lambda: now[0])
    record = access.hash_password(SECRET)
    assert throttle.attempt("a", "nope-nope", record) == (False, 1.0)
    assert throttle.attempt("a", SECRET, record)[0] is False  # too soon: not even checked
    assert throttle.attempt("b", SECRET, record) == (True, 0.0)
    for expected in (2.0, 4.0, 8.0):
        now[0] += 600
        assert throttle.attempt("a", "nope-nope", record) == (False, expected)
    now[0] += 7.5
    right, wait = throttle.attempt("a", SECRET, record)
    assert not right and wait == pytest.approx(0.5)
    now[0] += 1
    assert throttle.attempt("a", SECRET, record) == (True, 0.0)
    assert throttle.attempt("a", "nope-nope", record) == (False, 1.0)  # counted afresh


# ── the command ─────────────────────────────────────────────────────────────────────────

def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_password_command_reads_the_environment_and_stores_only_a_hash(
        password_file, monkeypatch, capsys):
    """$SILVERLINING_PASSWORD sets the password without a prompt; the output names the file
    and never the password."""
    monkeypatch.setenv(access.PASSWORD_ENV, SECRET)
    code, out, err = run(capsys, "password")
    assert code == 0 and not err
    assert str(password_file) in out and SECRET not in out
    assert access.verify(SECRET, access.load_record())


def test_password_command_prompts_twice_and_refuses_a_mismatch(password_file, monkeypatch,
                                                               capsys):
    """Two different answers at the prompt change nothing; two equal ones set it."""
    answers = iter([SECRET, SECRET + "x", SECRET, SECRET])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    code, _, err = run(capsys, "password")
    assert code == cli.EXIT_BAD_INPUT
    assert err == "silverlining: the two passwords differ; nothing was changed.\n"
    assert not password_file.exists()
    assert run(capsys, "password")[0] == 0
    assert access.verify(SECRET, access.load_record())


def test_password_command_without_input_or_with_a_short_password_says_so(
        password_file, monkeypatch, capsys):
    """No input at all, or a short password, is one line on stderr and exit 2."""
    def no_input(prompt):
        raise EOFError

    monkeypatch.setattr(cli.getpass, "getpass", no_input)
    code, _, err = run(capsys, "password")
    assert code == cli.EXIT_BAD_INPUT and "SILVERLINING_PASSWORD" in err
    assert len(err.splitlines()) == 1
    monkeypatch.setenv(access.PASSWORD_ENV, "short")
    code, _, err = run(capsys, "password")
    assert code == cli.EXIT_BAD_INPUT and "at least 8 characters" in err
    assert not password_file.exists()


def test_password_remove_deletes_the_file(password_file, capsys):
    """`password --remove` deletes the stored hash."""
    access.save_password(SECRET)
    assert run(capsys, "password", "--remove")[0] == 0
    assert not password_file.exists()


@pytest.fixture
def fake_server(monkeypatch):
    """`run` starts a stand-in instead of Streamlit (tests.test_workspace._Server)."""
    monkeypatch.setattr(cli.subprocess, "Popen", _Server)
    _Server.started.clear()
    _Server.commands.clear()
    return _Server


def test_run_on_another_address_without_a_password_refuses_in_one_line(
        password_file, fake_server, tmp_path, capsys):
    """`run --address 0.0.0.0` with no password set exits 2 with one line saying how to
    set one, and starts nothing."""
    code, out, err = run(capsys, "run", "--headless", "--address", "0.0.0.0",
                         "--db", tmp_path / "db.duckdb")
    assert code == 2 and not out
    assert err == ("silverlining: --address 0.0.0.0 lets other computers connect, so it needs "
                   "a password and none is set: run `silverlining password` first.\n")
    assert not fake_server.started


def test_run_on_another_address_with_a_password_warns_and_serves_there(
        password_file, fake_server, tmp_path, monkeypatch, capsys):
    """With a password set, `run --address 0.0.0.0` warns who can see the data, serves on
    that address, and hands the server the password file but never a password."""
    access.save_password(SECRET)
    monkeypatch.setenv(access.PASSWORD_ENV, SECRET)  # as after a scripted `password`
    code, out, err = run(capsys, "run", "--headless", "--address", "0.0.0.0",
                         "--db", tmp_path / "db.duckdb")
    assert code == 0
    assert "anyone on your network who has the password can see this data" in err
    command = fake_server.commands[-1]
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert "--server.allowedHosts" not in command
    env = fake_server.started[-1]
    assert env[access.FILE_ENV] == str(password_file.resolve())
    assert access.PASSWORD_ENV not in env
    assert SECRET not in out + err


def test_run_on_loopback_needs_no_password_and_says_nothing_of_one(
        password_file, fake_server, tmp_path, capsys):
    """On 127.0.0.1 (the default) `run` starts as before: no password, no warning."""
    code, out, err = run(capsys, "run", "--headless", "--db", tmp_path / "db.duckdb")
    assert code == 0 and not err
    command = fake_server.commands[-1]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"


def test_the_server_is_told_every_privacy_setting_explicitly():
    """Usage statistics, the agent API and static serving off, CORS and XSRF protection on,
    on any address; on loopback only this computer's host names are served."""
    for address in ("127.0.0.1", "0.0.0.0"):
        command = cli.streamlit_command(8765, address)
        options = dict(zip(command[5::2], command[6::2], strict=True))
        assert options["--server.address"] == address
        assert options["--browser.gatherUsageStats"] == "false"
        assert options["--server.enableAgentApi"] == "false"
        assert options["--server.enableStaticServing"] == "false"
        assert options["--server.enableCORS"] == "true"
        assert options["--server.enableXsrfProtection"] == "true"
    command = cli.streamlit_command(8765)
    hosts = [command[i + 1] for i, a in enumerate(command) if a == "--server.allowedHosts"]
    assert sorted(hosts) == ["127.0.0.1", "localhost"]


# ── the app's password form ─────────────────────────────────────────────────────────────

@pytest.fixture
def served_on_every_address(tmp_path, monkeypatch, password_file):
    """The app as served on 0.0.0.0 with the password SECRET set, on a fresh database, with a
    fresh throttle whose clock the test moves; back on 127.0.0.1 afterwards."""
    access.save_password(SECRET)
    monkeypatch.setenv("SILVERLINING_DB", str(tmp_path / "app.duckdb"))
    now = [0.0]
    monkeypatch.setattr(gate, "_throttle", access.Throttle(clock=lambda: now[0]))
    config.set_option("server.address", "0.0.0.0")
    yield now
    config.set_option("server.address", "127.0.0.1")


def _shows_data(at: AppTest) -> bool:
    return bool(at.metric) or bool(at.sidebar.multiselect) or any(
        "demo data" in info.value for info in at.info)


def _unlock(at: AppTest, password: str) -> AppTest:
    at.text_input(key="_gate_password").input(password)
    return at.button[0].click().run()


def test_a_session_sees_only_the_password_form_until_the_right_password(
        served_on_every_address):
    """Served beyond this computer, a session sees the form and no data; a wrong password
    is refused, a right one too soon after it too; the right one after the wait shows the
    dashboard."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Password"]
    assert not _shows_data(at)
    _unlock(at, "not the password")
    assert "Wrong password" in at.error[0].value and not _shows_data(at)
    _unlock(at, SECRET)  # within the second the wrong one costs: refused unchecked
    assert "Wrong password" in at.error[0].value and not _shows_data(at)
    served_on_every_address[0] += 1.5
    _unlock(at, SECRET)
    assert not at.exception and not at.error
    assert at.metric[0].value == "150"  # the demo data, now shown
    assert not [t for t in at.text_input if t.label == "Password"]


def test_without_a_stored_password_the_app_shows_nothing_but_how_to_set_one(
        served_on_every_address, password_file):
    """Served beyond this computer with no password set (e.g. `streamlit run` on its own),
    the app shows one error naming `silverlining password` and no form, no data."""
    password_file.unlink(missing_ok=True)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert "silverlining password" in at.error[0].value
    assert not at.text_input and not _shows_data(at)


# ── the middleware in front of Streamlit's HTTP routes ─────────────────────────────────

def _request(path: str, cookie: str | None = None) -> tuple[int, list[tuple[bytes, bytes]]]:
    """Send one GET through GateMiddleware to a stand-in app answering 200."""
    sent: list[dict] = []

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"data"})

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    headers = [(b"cookie", f"{gate.COOKIE}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "path": path, "headers": headers, "method": "GET"}
    asyncio.run(gate.GateMiddleware(inner)(scope, receive, send))
    return sent[0]["status"], sent[0]["headers"]


@pytest.fixture
def middleware_on(monkeypatch):
    monkeypatch.setattr(gate, "_unlocked", set())
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", "127.0.0.1")


@pytest.mark.parametrize("path", ["/media/1a2b3c.csv", "/_stcore/upload_file/s/f",
                                  "/_stcore/metrics", "/_stcore/agent/openapi.json",
                                  "/component/x/index.html", "/app/static/a.png"])
def test_data_routes_answer_403_until_the_browser_is_unlocked(middleware_on, path):
    """Media (downloads), uploads, metrics, the agent API, components and static serving
    are refused to a browser whose cookie the password form has not unlocked, and served
    once it has."""
    assert _request(path)[0] == 403
    assert _request(path, "guess")[0] == 403
    gate.unlock("token-1")
    assert _request(path, "token-1")[0] == 200


@pytest.mark.parametrize("path", ["/", "/stages", "/static/js/main.js", "/_stcore/health",
                                  "/_stcore/host-config"])
def test_the_page_its_assets_and_the_health_check_stay_open_and_give_a_cookie(
        middleware_on, path):
    """What carries no data is served before the password (the script shows the form), with
    a random HttpOnly cookie for the form to unlock."""
    status, headers = _request(path)
    cookies = [v.decode() for k, v in headers if k == b"set-cookie"]
    assert status == 200 and len(cookies) == 1
    assert cookies[0].startswith(f"{gate.COOKIE}=") and "HttpOnly" in cookies[0]
    assert len(cookies[0].split(";")[0].split("=", 1)[1]) >= 40
    assert _request(path, "kept")[1] == []  # a browser that has one keeps it


def test_on_loopback_the_middleware_changes_nothing():
    """Served on 127.0.0.1 every route answers as Streamlit's would, with no cookie."""
    assert _request("/media/1a2b3c.csv") == (200, [])

"""The password gate, for a dashboard served on more than this computer (``silverlining run
--address``). On 127.0.0.1 it does nothing.

Two halves that share one list of unlocked browsers:

* ``require_password()``, called by app.py before anything else: a session shows only the
  password form until the right password is entered (checked against the stored hash by
  ``dashboard.access``; wrong ones make that address wait longer each time). No client, no
  filter, no page runs before.
* ``GateMiddleware``, put in front of Streamlit's HTTP routes by serve.py: gives each browser
  a random cookie, which the form unlocks, and answers 403 on the routes that can carry data
  outside the script run (media files such as downloads, uploads, metrics, the agent API,
  components, static serving) until that browser is unlocked. The page itself, its static
  assets, the health check and the WebSocket stay open: the script behind the WebSocket
  shows the form.

The unlocked cookies live in this process's memory: restarting the server locks every
browser again.
"""

from __future__ import annotations

import math
import secrets
import threading
from http.cookies import SimpleCookie

import streamlit as st

from dashboard import access

COOKIE = "silverlining_gate"
UNLOCKED_KEY = "_gate_unlocked"
OPEN_PATHS = ("/_stcore/health", "/_stcore/host-config", "/_stcore/stream")
LOCKED_PREFIXES = ("/_stcore/", "/media/", "/component/", "/app/static/", "/auth/",
                   "/oauth2callback")

_unlocked: set[str] = set()
_unlocked_lock = threading.Lock()
_throttle = access.Throttle()


def served_address() -> str | None:
    """The address Streamlit listens on (None: every interface, Streamlit's default)."""
    return st.get_option("server.address")


def required() -> bool:
    """Whether this server needs the password: it listens on more than this computer."""
    return not access.is_loopback(served_address())


def unlock(token: str | None) -> None:
    if token:
        with _unlocked_lock:
            _unlocked.add(token)


def is_unlocked(token: str | None) -> bool:
    with _unlocked_lock:
        return bool(token) and token in _unlocked


# ── in the script ──────────────────────────────────────────────────────────────────────

def require_password() -> None:
    """Stop the script run at a password form unless this session, or this browser, has
    entered the right password; do nothing on a loopback address."""
    if not required():
        return
    token = st.context.cookies.get(COOKIE)
    if st.session_state.get(UNLOCKED_KEY) or is_unlocked(token):
        st.session_state[UNLOCKED_KEY] = True
        return
    address = served_address() or "every address"
    st.title("Silver Lining")
    try:
        record = access.load_record()
    except access.PasswordError as exc:
        st.error(f"The dashboard is locked: {exc}.", icon="🔒")
        st.stop()
    if record is None:
        st.error(f"This dashboard listens on {address}, so it needs a password, and none is "
                 "set. On the computer that runs it: `silverlining password`, then start it "
                 "again.", icon="🔒")
        st.stop()
    st.info(f"This dashboard is shared on the network ({address}). Enter its password to "
            "see the data.", icon="🔒")
    with st.form("gate", clear_on_submit=True):
        typed = st.text_input("Password", type="password", key="_gate_password")
        submitted = st.form_submit_button("Unlock")
    if submitted:
        address = st.context.ip_address  # None from this computer (Streamlit's choice)
        key = address if isinstance(address, str) else "this computer"
        right, wait = _throttle.attempt(key, typed, record)
        if right:
            st.session_state[UNLOCKED_KEY] = True
            unlock(token)
            st.rerun()
        st.error(f"Wrong password (or a try too soon after one): the next try is possible in "
                 f"{math.ceil(wait)} s.", icon="⛔")
    st.stop()


# ── in front of Streamlit's HTTP routes ───────────────────────────────────────────────

def _cookie(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header: as if absent
                continue
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def locked_path(path: str) -> bool:
    """Whether an HTTP ``path`` is refused until the browser is unlocked."""
    return path not in OPEN_PATHS and path.startswith(LOCKED_PREFIXES)


class GateMiddleware:
    """Pure ASGI middleware (HTTP and WebSocket); passes everything through on a loopback
    address."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not required():
            await self.app(scope, receive, send)
            return
        token = _cookie(scope.get("headers", []))
        if locked_path(scope.get("path", "")) and not is_unlocked(token):
            await _refuse(send)
            return
        if token is None:
            send = _with_cookie(send, secrets.token_urlsafe(32))
        await self.app(scope, receive, send)


def _with_cookie(send, token: str):
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax".encode("latin-1")

    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []),
                                              (b"set-cookie", cookie)]}
        await send(message)

    return sending


async def _refuse(send) -> None:
    body = b"Locked: enter the dashboard's password in the browser first.\n"
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})

"""Who may open the dashboard when it listens on more than this computer: the password.
No streamlit, no argparse here; the CLI sets the password and the app checks it.

* The password is never stored: ``password_path()`` holds a JSON record of a salted scrypt
  hash (a random 16-byte salt, n=2**15, r=8, p=1, 32 bytes), with its parameters, in a file
  readable by its owner only (mode 0600).
* ``is_loopback`` says whether an address reaches this computer only; anything else (a
  wildcard such as 0.0.0.0, a network address, a host name, no address at all) needs the
  password.
* ``Throttle`` slows repeated wrong passwords: each one makes the address it came from wait
  longer before it may try again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import threading
import time
from pathlib import Path

from platformdirs import user_data_dir

PASSWORD_ENV = "SILVERLINING_PASSWORD"   # a new password for `silverlining password`, scripted
FILE_ENV = "SILVERLINING_PASSWORD_FILE"  # where the hash is kept (default: the user data dir)
MIN_LENGTH = 8
SCRYPT = {"n": 2**15, "r": 8, "p": 1}    # 32 MiB and about 0.1 s per check
_MAXMEM = 64 * 1024 * 1024


class PasswordError(ValueError):
    """A password that cannot be set, or a password file that cannot be read."""


def password_path() -> Path:
    """The password file: $SILVERLINING_PASSWORD_FILE, else ``password.json`` in the user
    data dir (beside the default database, ``~/.local/share/silverlining/`` on Linux)."""
    if os.environ.get(FILE_ENV):
        return Path(os.environ[FILE_ENV]).expanduser()
    return Path(user_data_dir("silverlining", appauthor=False)) / "password.json"


def is_loopback(address: str | None) -> bool:
    """Whether ``address`` (as given to ``--address`` / ``server.address``) is reachable from
    this computer only: ``localhost`` or a loopback IP (127.0.0.0/8, ::1). Empty means every
    interface to Streamlit, so it is not."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def hash_password(password: str, salt: bytes | None = None) -> dict:
    """The record stored for ``password``: scrypt's parameters, the salt and the hash."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=_MAXMEM,
                            **SCRYPT)
    return {"algorithm": "scrypt", **SCRYPT, "salt": salt.hex(), "hash": digest.hex()}


def verify(password: str, record: dict) -> bool:
    """Whether ``password`` matches ``record`` (compared in constant time)."""
    try:
        salt, expected = bytes.fromhex(record["salt"]), bytes.fromhex(record["hash"])
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=int(record["n"]),
                                r=int(record["r"]), p=int(record["p"]), dklen=len(expected),
                                maxmem=_MAXMEM)
    except (KeyError, TypeError, ValueError):
        return False
    return hmac.compare_digest(digest, expected)


def check_new_password(password: str) -> None:
    """Raise PasswordError when ``password`` is too short to set."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"a password needs at least {MIN_LENGTH} characters")


def save_password(password: str, path: Path | None = None) -> Path:
    """Store the hash of ``password`` in ``path`` (default ``password_path()``), readable by
    its owner only, replacing the file whole. Raises PasswordError for a short password."""
    check_new_password(password)
    path = path or password_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(hash_password(password), out)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def load_record(path: Path | None = None) -> dict | None:
    """The stored hash record, or None when no password is set. Raises PasswordError when
    the file exists but is not a password record."""
    path = path or password_path()
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise PasswordError(f"the password file {path} cannot be read ({exc}); set the "
                            "password again with: silverlining password") from exc
    if not isinstance(record, dict) or not {"salt", "hash", "n", "r", "p"} <= record.keys():
        raise PasswordError(f"the password file {path} is not one silverlining wrote; set "
                            "the password again with: silverlining password")
    return record


class Throttle:
    """Growing waits after wrong passwords, per key (the address a try comes from): after the
    k-th wrong password in a row, that key's next try is refused unchecked for
    ``min(2 ** (k - 1), MAX_WAIT)`` seconds; a right one clears its count. Tries are checked
    one at a time (``attempt``), so many tries at once wait their turn instead of racing."""

    MAX_WAIT = 300.0
    MAX_KEYS = 10_000

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (count, next try at)

    def attempt(self, key: str, password: str, record: dict) -> tuple[bool, float]:
        """Check ``password`` for ``key``: (True, 0) when right; (False, seconds) when wrong
        or refused unchecked, with how long ``key`` must now wait before its next try."""
        with self._lock:
            count, next_try = self._failures.get(key, (0, 0.0))
            now = self._clock()
            if now < next_try:
                return False, next_try - now
            if verify(password, record):
                self._failures.pop(key, None)
                return True, 0.0
            count += 1
            wait = min(2.0 ** (count - 1), self.MAX_WAIT)
            if len(self._failures) >= self.MAX_KEYS:
                self._failures = {k: v for k, v in self._failures.items() if v[1] > now}
            self._failures[key] = (count, now + wait)
            return False, wait

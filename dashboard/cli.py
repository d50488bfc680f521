"""The ``silverlining`` command: a thin wrapper over the pipeline functions.

Errors from the library become one line on stderr and a non-zero exit code; the
database is left as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dashboard import access
from pipelines.errors import Choice, IngestError, MappingError
from pipelines.ingest.detect.layouts import LAYOUTS
from pipelines.ingest.importer import ingest_file, warm_imports
from pipelines.ingest.read.files import MAX_FILE_MB
from pipelines.ingest.report import format_report
from pipelines.store.db import DatabaseBusy, connect, default_db_path

_DATE_ORDERS = {"dmy": True, "mdy": False, None: None}
EXIT_BAD_INPUT = 2
EXIT_DB = 3
LOOPBACK = "127.0.0.1"
# Seconds to wait for a database another program holds (the dashboard lets go of it within
# seconds of its last page run; an import in another terminal may take longer).
BUSY_WAIT = 60.0


def _say(line: str) -> None:
    print(f"silverlining: {line}…", file=sys.stderr, flush=True)


def say_choice(choice: Choice) -> str:
    """What to type to make a choice the library asks for (``pipelines.errors.Choice``)."""
    if choice.what == "field":
        others = "".join(f" (or ={other})" for other in choice.others)
        return f"Name the column with --map 'Column={choice.field}'{others}."
    if choice.what == "sheet":
        return "Name the one that lists your applications with --sheet NAME."
    return "Give --map the name of a column the file has."


def refusal(error: IngestError) -> str:
    """An error as the one line the CLI prints: what is wrong, then what to type."""
    return f"silverlining: {error}" + (f" {say_choice(error.choice)}" if error.choice else "")


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """'Source column=field' pairs (from --map) → dict. Raises MappingError when malformed."""
    result = {}
    for pair in pairs:
        column, sep, fld = pair.rpartition("=")
        if not sep or not column.strip() or not fld.strip():
            raise MappingError(f"--map {pair!r} is not of the form 'Column name=field'.")
        result[column.strip()] = fld.strip()
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="silverlining",
        description="Silver Lining: learn from job rejections. Import trackers into a local "
                    "database and explore them in the dashboard.")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="import tracker files (CSV, TSV, XLSX, XLS, ODS)")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--db", help=f"database file (default: $SILVERLINING_DB or "
                                     f"{default_db_path()})")
    ingest.add_argument("--sheet", help="the workbook sheet to read (default: detected)")
    ingest.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                        help="map a source column onto a field, e.g. --map 'Role name=job_title'"
                             " (remembered for files with the same columns)")
    ingest.add_argument("--layout", choices=LAYOUTS, help="override the detected layout")
    run = sub.add_parser("run", help="open the dashboard in your browser (on this computer only, "
                                     "unless --address says otherwise)")
    run.add_argument("--db", help="database file (default as for ingest)")
    run.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    run.add_argument("--address", default=LOOPBACK, metavar="ADDR",
                     help="the address to listen on (default 127.0.0.1: this computer only); "
                          "any other, such as 0.0.0.0, lets other computers connect and needs "
                          "a password (silverlining password) that every browser must enter")
    run.add_argument("--headless", action="store_true", help="do not open a browser")
    run.add_argument("--workspace", metavar="FOLDER",
                     help="a coach's workspace: one database file per client in FOLDER "
                          "(instead of --db)")
    report = sub.add_parser("report", help="write a report for your coach: one HTML file that "
                                           "opens offline")
    report.add_argument("--db", help="database file (default as for ingest)")
    report.add_argument("--out", required=True, metavar="FILE.html", help="the file to write")
    report.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only applications sent on or after this day")
    report.add_argument("--title", help="the report's title (default: Job search report)")
    password = sub.add_parser(
        "password", help="set the password that `run --address` asks for (stored as a salted "
                         "hash only)",
        description=f"Prompts twice for the new password, or reads it from ${access.PASSWORD_ENV} "
                    f"when that is set. Stored as a salted scrypt hash in "
                    f"{access.password_path()} (${access.FILE_ENV} chooses another file).")
    password.add_argument("--remove", action="store_true",
                          help="remove the password (run then refuses other addresses)")
    ingest.add_argument("--dates", choices=("dmy", "mdy"),
                        help="how to read dates like 4/3/2025: dmy = 4 March, mdy = April 3 "
                             "(default: proved from the dates, else guessed from the file)")
    return parser


def _ingest(args: argparse.Namespace) -> int:
    warm_imports()  # while the database opens and the first file is read
    overrides = parse_overrides(args.map)
    try:
        con = connect(args.db, wait=BUSY_WAIT, on_wait=_say)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        print(f"silverlining: cannot open the database {args.db or default_db_path()}: {first}",
              file=sys.stderr)
        return EXIT_DB
    status = 0
    with con:
        for name in args.files:
            try:
                report = ingest_file(con, Path(name), sheet=args.sheet, overrides=overrides,
                                     layout=args.layout, dayfirst=_DATE_ORDERS[args.dates])
            except IngestError as exc:
                print(refusal(exc), file=sys.stderr)
                status = EXIT_BAD_INPUT
                continue
            print(format_report(report, say_choice))
    return status


def _report(args: argparse.Namespace) -> int:
    """Write the coach's report from the database opened read-only."""
    try:
        since = dt.date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"silverlining: --since takes a date as YYYY-MM-DD (e.g. 2025-03-01), not "
              f"{args.since!r}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out).expanduser()
    problem = ("it is a folder" if out.is_dir() else
               f"the folder {out.parent} does not exist" if not out.parent.is_dir() else
               f"the folder {out.parent} is not writable" if not os.access(out.parent, os.W_OK)
               else "")
    if problem:
        print(f"silverlining: cannot write the report to {out}: {problem}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    db = Path(args.db).expanduser() if args.db else default_db_path()
    if not db.is_file():
        print(f"silverlining: there is no database at {db}; import a tracker first "
              "(silverlining ingest FILE).", file=sys.stderr)
        return EXIT_DB
    from dashboard.report import build_report  # plotly and pandas: only for this command

    try:
        with connect(db, read_only=True, wait=BUSY_WAIT, on_wait=_say) as con:
            page = build_report(con, since, args.title)
    except DatabaseBusy as exc:
        print(f"silverlining: {exc} (or download the report in the app: Coach review).",
              file=sys.stderr)
        return EXIT_DB
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        reason = ("it was made by an older version: open it once with silverlining run, then "
                  "run this again" if isinstance(exc, duckdb.CatalogException) else first)
        print(f"silverlining: cannot read the database {db}: {reason}.", file=sys.stderr)
        return EXIT_DB
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"silverlining: cannot write the report to {out}: {exc.strerror or exc}.",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Report written to {out} ({len(page.encode()) / 1e6:.1f} MB, opens offline).")
    return 0


def streamlit_command(port: int, address: str = LOOPBACK) -> list[str]:
    """The command that serves the dashboard (dashboard/serve.py: app.py behind the password
    gate) on ``address``, with usage statistics, the agent API and static serving off, no
    developer controls in the toolbar, uploads no larger than an import takes, and headless
    (Streamlit's own first-run e-mail prompt and browser opening are skipped; ``run`` opens
    the browser itself). On a loopback
    address only Host names of this computer are served, so a web page that rebinds its own
    name to 127.0.0.1 (DNS rebinding) cannot read the dashboard."""
    app = Path(__file__).resolve().parents[1] / "dashboard" / "serve.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app),
               "--server.address", address, "--server.port", str(port),
               "--server.maxUploadSize", str(MAX_FILE_MB),
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "minimal", "--global.developmentMode", "false",
               "--server.runOnSave", "false", "--server.fileWatcherType", "none",
               "--server.enableAgentApi", "false", "--server.enableStaticServing", "false",
               "--server.enableCORS", "true", "--server.enableXsrfProtection", "true",
               "--browser.serverAddress", browser_host(address)]
    if access.is_loopback(address):
        for host in sorted({address.strip("[]"), "127.0.0.1", "localhost"}):
            command += ["--server.allowedHosts", host]
    return command


def browser_host(address: str) -> str:
    """Where a browser on this computer reaches a server listening on ``address``."""
    if address in ("0.0.0.0", "::", ""):
        return LOOPBACK
    return f"[{address}]" if ":" in address and not address.startswith("[") else address


def _password_ready(address: str, port: int) -> bool:
    """On a non-loopback ``address``: refuse without a password (one line, False), else warn
    who can see the data. On a loopback address: True, nothing said."""
    if access.is_loopback(address):
        return True
    try:
        record = access.load_record()
    except access.PasswordError as exc:
        print(f"silverlining: {exc}.", file=sys.stderr)
        return False
    if record is None:
        print(f"silverlining: --address {address} lets other computers connect, so it needs a "
              "password and none is set: run `silverlining password` first.", file=sys.stderr)
        return False
    print(f"silverlining: warning: listening on {address}, port {port}: anyone on your "
          "network who has the password can see this data, and the connection is not "
          "encrypted (see SECURITY.md).", file=sys.stderr, flush=True)
    return True


def _run(args: argparse.Namespace) -> int:
    """Serve the dashboard until Ctrl+C; open it in the browser once it answers."""
    import webbrowser  # only for this command: `silverlining ingest` starts sooner

    if args.db and args.workspace:
        print("silverlining: give --db or --workspace, not both.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.db:
        os.environ["SILVERLINING_DB"] = str(Path(args.db).expanduser().resolve())
        os.environ.pop("SILVERLINING_WORKSPACE", None)  # --db means the single-file mode
    if not _password_ready(args.address, args.port):
        return EXIT_BAD_INPUT
    if args.workspace:
        os.environ["SILVERLINING_WORKSPACE"] = str(Path(args.workspace).expanduser().resolve())
    os.environ[access.FILE_ENV] = str(access.password_path().resolve())  # the file checked
    os.environ.pop(access.PASSWORD_ENV, None)  # never handed to the server
    url = f"http://{browser_host(args.address)}:{args.port}"
    signal.signal(signal.SIGTERM, _interrupt)  # 'kill' stops the server too, as Ctrl+C does
    server = subprocess.Popen(streamlit_command(args.port, args.address),
                              stdin=subprocess.DEVNULL)
    print(f"Silver Lining: {url} (Ctrl+C to stop)", flush=True)
    try:
        if not args.workspace:
            _first_run(args.db)
        if not args.headless and _answers(url, server):
            webbrowser.open(url)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _password(args: argparse.Namespace) -> int:
    """Set (or remove) the password `run --address` asks for; only its hash is written."""
    path = access.password_path()
    if args.remove:
        path.unlink(missing_ok=True)
        print(f"Password removed ({path}): silverlining run refuses addresses other than "
              "127.0.0.1 until one is set again.")
        return 0
    new = os.environ.get(access.PASSWORD_ENV)
    if new is None:
        try:
            new, again = getpass.getpass("New password: "), getpass.getpass("Again: ")
        except EOFError:
            print(f"silverlining: no password given: type it at the prompt, or set "
                  f"${access.PASSWORD_ENV}; nothing was changed.", file=sys.stderr)
            return EXIT_BAD_INPUT
        if new != again:
            print("silverlining: the two passwords differ; nothing was changed.",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        access.save_password(new, path)
    except access.PasswordError as exc:
        print(f"silverlining: {exc}; nothing was changed.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"silverlining: cannot write the password file {path}: {exc.strerror or exc}.",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Password set: a salted scrypt hash in {path}, readable by you only. "
          "silverlining run --address ADDR asks every browser for it.")
    return 0


def _first_run(db: str | None) -> None:
    """While the server starts: load the demo tracker into a database that was never
    started (the app waits for the file meanwhile, so its first page shows the demo at once
    instead of loading it first), and redo derived data a migration marked stale. Anything
    in the way is left to the app, which does the same on its first run: a database in use
    elsewhere, one that cannot be opened."""
    from pipelines.derive.refresh import refresh_stale
    from pipelines.edits.demo import first_run_demo

    try:
        with connect(db) as con:
            first_run_demo(con)
            refresh_stale(con)
    except (duckdb.Error, IngestError, OSError):
        return


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _answers(url: str, server: subprocess.Popen, seconds: float = 30) -> bool:
    """Wait until the server answers its health check (False if it stopped or timed out)."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


PRIVATE = 0o077  # what silverlining creates (databases, uploads, reports) is its owner's only


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    umask = os.umask(PRIVATE)  # the dashboard's server inherits it
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "report":
            return _report(args)
        if args.command == "password":
            return _password(args)
    except IngestError as exc:
        print(refusal(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("silverlining: interrupted; the file in progress was not imported.",
              file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("SILVERLINING_DEBUG"):
            raise
        said = " ".join(str(exc).split())  # one line, whatever the library wrote
        print(f"silverlining: unexpected error ({type(exc).__name__}: {said}); nothing was "
              "imported from the file in progress. Run again with SILVERLINING_DEBUG=1 for "
              "details and please report it.", file=sys.stderr)
        return 1
    finally:
        os.umask(umask)
    return 0


if __name__ == "__main__":
    sys.exit(main())

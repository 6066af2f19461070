"""Sample job boards on 127.0.0.1: each board's API, answered from `payloads/`.

    python -m discovery.demo.boards [--port 8001]

Every board answers at the path its real API uses, under a prefix of its name
(`/remotive/api/remote-jobs`, `/greenhouse/v1/boards/<board>/jobs`, …), in its real format,
and does the filtering the real board does: Remotive's `search`, Remote OK's `tag`,
Arbeitnow's pages, Lever's `skip`/`limit`; a company board that has no file here is a 404.
Point JobMate at it with `environment(url)` (the JOBMATE_SOURCE_<NAME>_URL variables) or
`source_urls(url)` (the setting itself).

The payloads were written for 1 December 2026; every date in them is moved by the days
since, so that the offers always look a few days old.

This module must not import Django: `make demo` starts it beside the app's processes.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import json
import re
import signal
import sys
import threading
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PAYLOADS = Path(__file__).resolve().parent / "payloads"
WRITTEN_ON = date(2026, 12, 1)
ARBEITNOW_PAGE_SIZE = 5

# Where each source (settings.JOBMATE_SOURCE_URLS's keys) finds its board on this server.
PATHS = {
    "remotive": "/remotive/api/remote-jobs",
    "remoteok": "/remoteok/api",
    "arbeitnow": "/arbeitnow/api/job-board-api",
    "weworkremotely": "/weworkremotely/remote-jobs.rss",
    "greenhouse": "/greenhouse/v1/boards",
    "lever": "/lever/v0/postings",
    "lever_eu": "/lever-eu/v0/postings",
    "ashby": "/ashby/posting-api/job-board",
}
_DATE_KEYS = {"publication_date", "epoch", "date", "created_at", "updated_at", "first_published", "createdAt",
              "publishedAt", "last_updated"}
_BOARD = re.compile(r"[A-Za-z0-9_-]{1,100}")


def source_urls(base_url: str) -> dict[str, str]:
    """settings.JOBMATE_SOURCE_URLS for boards served at `base_url`."""
    return {name: base_url.rstrip("/") + path for name, path in PATHS.items()}


def environment(base_url: str) -> dict[str, str]:
    """The JOBMATE_SOURCE_<NAME>_URL variables for boards served at `base_url`."""
    return {f"JOBMATE_SOURCE_{name.upper()}_URL": url for name, url in source_urls(base_url).items()}


# --- payloads, with their dates brought forward --------------------------------------------


def _days_since_written() -> int:
    return (date.today() - WRITTEN_ON).days


def _later(value, days: int):
    """`value` (an epoch in seconds or milliseconds, or an ISO 8601 text) moved `days` on."""
    if isinstance(value, bool) or not days:
        return value
    if isinstance(value, int) and value > 0:
        return value + days * 86400 * (1000 if value > 1e11 else 1)
    if isinstance(value, str) and value:
        try:
            moved = datetime.fromisoformat(value) + timedelta(days=days)
        except ValueError:
            return value
        return moved.isoformat(timespec="milliseconds" if "." in value else "seconds")
    return value


def _moved(node, days: int):
    if isinstance(node, list):
        return [_moved(item, days) for item in node]
    if isinstance(node, dict):
        return {key: _later(value, days) if key in _DATE_KEYS else _moved(value, days) for key, value in node.items()}
    return node


def _json(relative: str):
    return _moved(json.loads((PAYLOADS / relative).read_text(encoding="utf-8")), _days_since_written())


def _company_board(source: str, board: str):
    """The payload of a company's board, or None if there is none by that name."""
    if not _BOARD.fullmatch(board):
        return None
    path = PAYLOADS / source / f"{board.lower()}.json"
    return _json(f"{source}/{path.name}") if path.is_file() else None


def _rss_feed() -> bytes:
    days = _days_since_written()

    def later(match):
        when = email.utils.parsedate_to_datetime(match[1]) + timedelta(days=days)
        return f"<pubDate>{email.utils.format_datetime(when)}</pubDate>"

    text = (PAYLOADS / "weworkremotely.rss").read_text(encoding="utf-8")
    return re.sub(r"<pubDate>(.*?)</pubDate>", later, text).encode()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


# --- the boards ---------------------------------------------------------------------------


def _remotive(query: dict, base: str):
    """Remotive searches titles, companies, categories, tags and descriptions."""
    payload = _json("remotive.json")
    words = _fold(query.get("search", "")).split()
    jobs = [job for job in payload["jobs"]
            if all(word in _fold(" ".join([job["title"], job["company_name"], job["category"], " ".join(job["tags"]),
                                           job["description"]])) for word in words)]
    limit = _int(query.get("limit"), default=len(jobs))
    payload["jobs"] = jobs[:limit]
    payload["job-count"] = len(payload["jobs"])
    return 200, payload


def _remoteok(query: dict, base: str):
    """Remote OK filters by one tag ("data-engineer" for "data engineer"); the legal
    notice always comes first."""
    notice, *jobs = _json("remoteok.json")
    tag = query.get("tag", "").strip().lower().replace("-", " ")
    if tag:
        jobs = [job for job in jobs if tag in (t.lower().replace("-", " ") for t in job["tags"])]
    return 200, [notice, *jobs]


def _arbeitnow(query: dict, base: str):
    payload = _json("arbeitnow.json")
    jobs = payload["data"]
    pages = max(1, -(-len(jobs) // ARBEITNOW_PAGE_SIZE))
    page = min(max(1, _int(query.get("page"), default=1)), pages + 1)
    start = (page - 1) * ARBEITNOW_PAGE_SIZE
    payload["data"] = jobs[start:start + ARBEITNOW_PAGE_SIZE]
    payload["links"] = {
        "first": f"{base}?page=1", "last": f"{base}?page={pages}",
        "prev": f"{base}?page={page - 1}" if page > 1 else None,
        "next": f"{base}?page={page + 1}" if page < pages else None,
    }
    payload["meta"].update(current_page=page, path=base, per_page=ARBEITNOW_PAGE_SIZE,
                           **{"from": start + 1 if payload["data"] else None},
                           to=start + len(payload["data"]) if payload["data"] else None)
    return 200, payload


def _greenhouse(board: str, query: dict):
    payload = _company_board("greenhouse", board)
    if payload is None:
        return 404, {"status": 404, "error": "Job not found"}
    if query.get("content") != "true":
        for job in payload["jobs"]:
            job.pop("content", None)
    return 200, payload


def _lever(board: str, query: dict):
    postings = _company_board("lever", board)
    if postings is None:
        return 404, {"ok": False, "error": "Document not found"}
    skip = _int(query.get("skip"), default=0)
    limit = _int(query.get("limit"), default=len(postings))
    return 200, postings[skip:skip + limit]


def _ashby(board: str, query: dict):
    payload = _company_board("ashby", board)
    if payload is None:
        return 404, {"success": False, "errors": [f"Job board {board} not found"]}
    if query.get("includeCompensation") != "true":
        for job in payload["jobs"]:
            job.pop("compensation", None)
    return 200, payload


_KEYWORD_BOARDS = {PATHS["remotive"]: _remotive, PATHS["remoteok"]: _remoteok, PATHS["arbeitnow"]: _arbeitnow}
_COMPANY_BOARDS = [
    (re.compile(rf"^{re.escape(PATHS['greenhouse'])}/([^/]+)/jobs/?$"), _greenhouse),
    (re.compile(rf"^{re.escape(PATHS['lever'])}/([^/]+)/?$"), _lever),
    (re.compile(rf"^{re.escape(PATHS['lever_eu'])}/([^/]+)/?$"), _lever),
    (re.compile(rf"^{re.escape(PATHS['ashby'])}/([^/]+)/?$"), _ashby),
]


def _int(value, *, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def _index(base: str) -> bytes:
    companies = sorted(f"{path.parent.name}: {path.stem}" for path in PAYLOADS.glob("*/*.json"))
    lines = ["JobMate's sample job boards (for `make demo`), each at its real API's path:", ""]
    lines += [f"  {name:<15} {url}" for name, url in source_urls(base).items()]
    lines += ["", "Company boards: " + ", ".join(companies), ""]
    return "\n".join(lines).encode()


def app(environ, start_response):
    """The WSGI application: every board, read-only."""
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    base = f"http://{host}"
    path = environ.get("PATH_INFO") or "/"
    query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}

    def answer(status: int, body: bytes, content_type: str):
        reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}[status]
        start_response(f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
        return answer(405, b"read-only\n", "text/plain; charset=utf-8")
    if path == "/":
        return answer(200, _index(base), "text/plain; charset=utf-8")
    if path == PATHS["weworkremotely"]:
        return answer(200, _rss_feed(), "application/rss+xml; charset=utf-8")
    if path in _KEYWORD_BOARDS:
        status, payload = _KEYWORD_BOARDS[path](query, base + path)
        return answer(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")
    for pattern, board in _COMPANY_BOARDS:
        if match := pattern.match(path):
            status, payload = board(match[1], query)
            return answer(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")
    return answer(404, b"not found\n", "text/plain; charset=utf-8")


# --- serving -------------------------------------------------------------------------------


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        # One short line per request (`make demo` prefixes the time and the process name).
        sys.stderr.write((format % args) + "\n")


class _SilentHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def make(port: int = 0, *, log: bool = True) -> WSGIServer:
    """The server, bound to 127.0.0.1:`port` (0: a free port), not yet serving."""
    return make_server("127.0.0.1", port, app, server_class=_Server,
                       handler_class=_QuietHandler if log else _SilentHandler)


@contextlib.contextmanager
def running():
    """Serve the boards on a free loopback port in a thread of this process; yields the URL."""
    server = make(0, log=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="sample-boards")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m discovery.demo.boards", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001, help="port on 127.0.0.1 (default 8001; 0: any free port)")
    args = parser.parse_args(argv)
    try:
        server = make(args.port)
    except OSError as exc:
        print(f"Cannot serve the sample boards on 127.0.0.1:{args.port}: {exc.strerror or exc}. "
              "Pick another port with --port.", file=sys.stderr)
        return 2
    # Stopped by a signal (make demo's Ctrl-C sends SIGTERM): end without a traceback.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"Sample job boards at http://127.0.0.1:{server.server_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Sample job boards on 127.0.0.1: each board's API, answered from `payloads/`.

    python -m discovery.demo.boards [--port 8001]

Every board answers at the path its real API uses, under a prefix of its name
(`/remotive/api/remote-jobs`, `/greenhouse/v1/boards/<board>/jobs`, …), in its real format,
and does the filtering the real board does: Remotive's `search`, Remote OK's `tag`,
Himalayas' `q`, Jobicy's `tag`, Monster's `q`, APEC's `motsCles`, France Travail's `motsCles`
and `departement`, Arbeitnow's pages, Lever's `skip`/`limit`; a company board that has no file
here is a 404 (but on SmartRecruiters, which answers any company name with an empty list).
A board whose real address puts the company in the host name (acme.recruitee.com) has it as
the path segment after its prefix (`/recruitee/acme/api/offers/`).
APEC's search and France Travail's token are POSTs; France Travail's token endpoint gives
a token for any client id and secret, and its search wants one of those tokens.
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
import html
import json
import re
import secrets
import signal
import sys
import threading
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PAYLOADS = Path(__file__).resolve().parent / "payloads"
WRITTEN_ON = date(2026, 12, 1)
ARBEITNOW_PAGE_SIZE = 5
MAX_BODY = 64 * 1024  # a POST's body, read at most

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
    # {board} stands for the company's name where the real address has it (base.board_address).
    "smartrecruiters": "/smartrecruiters/v1/companies/{board}/postings",
    "teamtailor": "/teamtailor/{board}/jobs.rss",
    "workable": "/workable/api/v1/widget/accounts",
    "recruitee": "/recruitee/{board}/api/offers/",
    "personio": "/personio/{board}/xml",
    "himalayas": "/himalayas/jobs/api/search",
    "jobicy": "/jobicy/api/v2/remote-jobs",
    "francetravail": "/francetravail/partenaire/offresdemploi/v2/offres/search",
    "francetravail_token": "/francetravail/connexion/oauth2/access_token?realm=/partenaire",
    "apec": "/apec/cms/webservices/rechercheOffre",
    "monster": "/monster/rssquery.ashx",
}
_DATE_KEYS = {"publication_date", "epoch", "date", "created_at", "updated_at", "first_published", "createdAt",
              "publishedAt", "last_updated", "releasedDate", "published_on", "published_at", "pubDate", "expiryDate",
              "updatedAt", "lastUpdate", "dateCreation", "dateActualisation", "datePublication", "dateValidation"}
_BOARD = re.compile(r"[A-Za-z0-9_-]{1,100}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")


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
    """`value` (an epoch in seconds or milliseconds, or a text that starts with an ISO 8601
    day) moved `days` on. Whole days leave the time of day as it is, so a text keeps the
    board's own way of writing it: "2026-11-16 10:30:00 UTC", "2026-11-18T09:12:00.000+0000",
    "2026-11-17"."""
    if isinstance(value, bool) or not days:
        return value
    if isinstance(value, int) and value > 0:
        return value + days * 86400 * (1000 if value > 1e11 else 1)
    if isinstance(value, str) and (day := _ISO_DAY.match(value)):
        try:
            moved = date.fromisoformat(day[0]) + timedelta(days=days)
        except ValueError:
            return value
        return moved.isoformat() + value[day.end():]
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


def _company_feed(source: str, board: str, suffix: str) -> bytes | None:
    """The XML or RSS feed of a company's board, or None if there is none by that name."""
    if not _BOARD.fullmatch(board):
        return None
    path = PAYLOADS / source / f"{board.lower()}.{suffix}"
    return _feed(f"{source}/{path.name}").encode() if path.is_file() else None


def _feed(relative: str) -> str:
    """An XML payload with its dates brought forward: RSS's RFC 822 <pubDate>s and
    Personio's ISO 8601 <createdAt>s."""
    days = _days_since_written()

    def later(match):
        when = email.utils.parsedate_to_datetime(match[1]) + timedelta(days=days)
        return f"<pubDate>{email.utils.format_datetime(when, usegmt=match[1].endswith('GMT'))}</pubDate>"

    text = (PAYLOADS / relative).read_text(encoding="utf-8")
    text = re.sub(r"<pubDate>(.*?)</pubDate>", later, text)
    return re.sub(r"<createdAt>(.*?)</createdAt>", lambda m: f"<createdAt>{_later(m[1], days)}</createdAt>", text)


def _rss_feed() -> bytes:
    return _feed("weworkremotely.rss").encode()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _has_words(keyword: str, *fields) -> bool:
    """Whether every word of `keyword` is in one of the texts (or lists of texts) `fields`,
    entities decoded, case and accents aside: roughly what the keyword boards search."""
    texts = [" ".join(field) if isinstance(field, list) else field or "" for field in fields]
    haystack = _fold(html.unescape(" ".join(texts)))
    return all(word in haystack for word in _fold(keyword).split())


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


def _smartrecruiters(board: str, query: dict):
    """SmartRecruiters pages with `offset`/`limit` (100 at most), and answers a company it
    does not know with an empty list, not a 404."""
    payload = _company_board("smartrecruiters", board) or {"offset": 0, "limit": 100, "totalFound": 0, "content": []}
    postings = payload["content"]
    offset, limit = _int(query.get("offset"), default=0), min(_int(query.get("limit"), default=10), 100)
    payload.update(offset=offset, limit=limit, totalFound=len(postings), content=postings[offset:offset + limit])
    return 200, payload


def _workable(board: str, query: dict):
    """Workable's widget leaves each job's description out unless asked `details=true`."""
    payload = _company_board("workable", board)
    if payload is None:
        return 404, {"error": "Not found"}
    if query.get("details") != "true":
        for job in payload["jobs"]:
            job.pop("description", None)
    return 200, payload


def _recruitee(board: str, query: dict):
    payload = _company_board("recruitee", board)
    if payload is None:
        return 404, {"error": ["Not found"]}
    return 200, payload


def _himalayas(query: dict, base: str):
    """Himalayas searches titles, excerpts, descriptions, categories and companies; pages of
    at most 20 jobs with `offset`/`limit`."""
    payload = _json("himalayas.json")
    keyword = query.get("q", "")
    jobs = [job for job in payload["jobs"] if _has_words(keyword, job["title"], job["excerpt"], job["description"],
                                                           job["categories"], job["companyName"])]
    offset, limit = _int(query.get("offset"), default=0), min(_int(query.get("limit"), default=20) or 20, 20)
    payload.update(offset=offset, limit=limit, totalCount=len(jobs), jobs=jobs[offset:offset + limit])
    return 200, payload


def _jobicy(query: dict, base: str):
    """Jobicy's `tag` searches titles and descriptions; `count` (50 at most) caps the answer."""
    payload = _json("jobicy.json")
    keyword = query.get("tag", "")
    jobs = [job for job in payload["jobs"] if _has_words(keyword, job["jobTitle"], job["jobDescription"],
                                                           job["jobIndustry"])]
    payload["jobs"] = jobs[:min(_int(query.get("count"), default=50) or 50, 50)]
    payload["jobCount"] = len(payload["jobs"])
    return 200, payload


def _monster(query: dict) -> bytes:
    """Monster's feed: the items whose title or description hold every word of `q`."""
    keyword = query.get("q", "")

    def kept(match):
        item = match[0]
        title, description = (re.search(rf"<{tag}>(.*?)</{tag}>", item, re.S) for tag in ("title", "description"))
        return item if _has_words(keyword, title and title[1], description and description[1]) else ""

    return re.sub(r"[ \t]*<item>.*?</item>\n?", kept, _feed("monster.rss"), flags=re.S).encode()


# The fields of APEC's search body its site sends (discovery/sources/apec.py): APEC refuses
# a body with any other one.
_APEC_FIELDS = {"motsCles", "lieux", "fonctions", "statutPoste", "typesContrat", "typesConvention",
                "niveauxExperience", "secteursActivite", "typesTeletravail", "sorts", "pagination", "activeFiltre"}


def _apec(body: dict):
    """APEC's search: every word of `motsCles` in the offer's title, text or company;
    `pagination` says which part of them."""
    if not isinstance(body, dict) or set(body) - _APEC_FIELDS:
        return 500, {"error": "Internal Server Error"}
    payload = _json("apec.json")
    keyword = body.get("motsCles") if isinstance(body.get("motsCles"), str) else ""
    found = [job for job in payload["resultats"]
             if _has_words(keyword, job["intitule"], job["texteOffre"], job["nomCommercial"])]
    pagination = body.get("pagination") if isinstance(body.get("pagination"), dict) else {}
    start, size = _int(pagination.get("startIndex"), default=0), _int(pagination.get("range"), default=20)
    payload.update(totalCount=len(found), resultats=found[start:start + size])
    return 200, payload


_TOKENS: set[str] = set()  # the France Travail tokens given since the server started


def _francetravail_token(form: dict):
    """France Travail's token endpoint (OAuth2 client credentials): any client id and secret
    will do here, as long as there are some."""
    if form.get("grant_type") != "client_credentials":
        return 400, {"error": "unsupported_grant_type"}
    if not form.get("client_id") or not form.get("client_secret"):
        return 401, {"error": "invalid_client", "error_description": "client authentication failed"}
    token = secrets.token_urlsafe(24)
    _TOKENS.add(token)
    return 200, {"scope": form.get("scope", ""), "expires_in": 1499, "token_type": "Bearer", "access_token": token}


def _francetravail(query: dict, authorization: str):
    """France Travail's search: every word of `motsCles` (comma- or space-separated) in the
    offer's title, text, company or trade; `departement` keeps that département's offers;
    `range` says which of them (206 when not all); 204 when none matches."""
    if authorization.removeprefix("Bearer ") not in _TOKENS:
        return 401, {"message": "Invalid access token"}
    payload = _json("francetravail.json")
    keyword = query.get("motsCles", "").replace(",", " ")
    departement = query.get("departement", "")
    found = [job for job in payload["resultats"]
             if _has_words(keyword, job["intitule"], job["description"], job["entreprise"].get("nom", ""),
                           job.get("romeLibelle", ""))
             and (not departement or job["lieuTravail"]["libelle"].startswith(f"{departement} - "))]
    if not found:
        return 204, None
    first, _, last = query.get("range", "0-149").partition("-")
    first, last = _int(first, default=0), _int(last, default=149)
    contracts = sorted({job["typeContrat"] for job in found})
    payload["resultats"] = found[first:last + 1]
    payload["filtresPossibles"] = [{"filtre": "typeContrat", "agregation": [
        {"valeurPossible": code, "nbResultats": sum(job["typeContrat"] == code for job in found)}
        for code in contracts]}]
    return (206 if len(payload["resultats"]) < len(found) else 200), payload


def _path(name: str) -> str:
    return PATHS[name].split("?", 1)[0]


def _board_route(name: str) -> re.Pattern:
    """The paths of a company's board: {board} where PATHS puts it, else the segment after."""
    path = PATHS[name] if "{board}" in PATHS[name] else PATHS[name] + "/{board}"
    before, after = path.split("{board}")
    return re.compile(rf"^{re.escape(before)}([^/]+){re.escape(after.rstrip('/'))}/?$")


_KEYWORD_BOARDS = {PATHS["remotive"]: _remotive, PATHS["remoteok"]: _remoteok, PATHS["arbeitnow"]: _arbeitnow,
                   PATHS["himalayas"]: _himalayas, PATHS["jobicy"]: _jobicy}
_COMPANY_BOARDS = [
    (re.compile(rf"^{re.escape(PATHS['greenhouse'])}/([^/]+)/jobs/?$"), _greenhouse),
    (re.compile(rf"^{re.escape(PATHS['lever'])}/([^/]+)/?$"), _lever),
    (re.compile(rf"^{re.escape(PATHS['lever_eu'])}/([^/]+)/?$"), _lever),
    (re.compile(rf"^{re.escape(PATHS['ashby'])}/([^/]+)/?$"), _ashby),
    (_board_route("smartrecruiters"), _smartrecruiters),
    (_board_route("workable"), _workable),
    (_board_route("recruitee"), _recruitee),
]
# Company boards that answer XML: their route, source, file suffix and content type.
_COMPANY_FEEDS = [
    (_board_route("teamtailor"), "teamtailor", "rss", "application/rss+xml; charset=utf-8"),
    (_board_route("personio"), "personio", "xml", "text/xml; charset=utf-8"),
]
_POSTS = {_path("apec"), _path("francetravail_token")}


def _int(value, *, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


def _index(base: str) -> bytes:
    companies = sorted(f"{path.parent.name}: {path.stem}" for path in PAYLOADS.glob("*/*.*"))
    lines = ["JobMate's sample job boards (for `make demo`), each at its real API's path:", ""]
    lines += [f"  {name:<19} {url}" for name, url in source_urls(base).items()]
    lines += ["", "Company boards: " + ", ".join(companies), ""]
    return "\n".join(lines).encode()


def app(environ, start_response):
    """The WSGI application: every board, read-only."""
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    base = f"http://{host}"
    path = environ.get("PATH_INFO") or "/"
    query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}

    def answer(status: int, body: bytes, content_type: str):
        reason = {200: "OK", 204: "No Content", 206: "Partial Content", 400: "Bad Request", 401: "Unauthorized",
                  404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}[status]
        start_response(f"{status} {reason}", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    def answer_json(status: int, payload):
        if payload is None:
            return answer(status, b"", "application/json")
        return answer(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")

    # Only APEC's search and France Travail's token are POSTs; the rest is read-only.
    method = environ["REQUEST_METHOD"]
    if method not in ("GET", "HEAD", "POST") or (method == "POST") != (path in _POSTS):
        return answer(405, b"POST only\n" if path in _POSTS else b"read-only\n", "text/plain; charset=utf-8")
    if method == "POST":
        body = environ["wsgi.input"].read(min(_int(environ.get("CONTENT_LENGTH"), default=0), MAX_BODY))
        if path == _path("francetravail_token"):
            form = {key: values[-1] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
            return answer_json(*_francetravail_token(form))
        try:
            search = json.loads(body)
        except ValueError:
            return answer_json(400, {"error": "Bad Request"})
        return answer_json(*_apec(search))
    if path == "/":
        return answer(200, _index(base), "text/plain; charset=utf-8")
    if path == PATHS["weworkremotely"]:
        return answer(200, _rss_feed(), "application/rss+xml; charset=utf-8")
    if path == PATHS["monster"]:
        return answer(200, _monster(query), "application/rss+xml; charset=utf-8")
    if path == PATHS["francetravail"]:
        return answer_json(*_francetravail(query, environ.get("HTTP_AUTHORIZATION", "")))
    if path in _KEYWORD_BOARDS:
        return answer_json(*_KEYWORD_BOARDS[path](query, base + path))
    for pattern, board in _COMPANY_BOARDS:
        if match := pattern.match(path):
            return answer_json(*board(match[1], query))
    for pattern, source, suffix, content_type in _COMPANY_FEEDS:
        if match := pattern.match(path):
            feed = _company_feed(source, match[1], suffix)
            if feed is None:
                return answer(404, b"<!DOCTYPE html><title>Page not found</title>\n", "text/html; charset=utf-8")
            return answer(200, feed, content_type)
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

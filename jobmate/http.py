"""The one way JobMate talks to the web, for every app.

`make_client()` builds an httpx client whose transport holds the limits, so that whoever
holds the client gets them: `request()` and `fetch()` below, and an SDK given the client
(`openai.OpenAI(http_client=make_client(guarded=False), max_retries=0)`):

- connect and read timeouts, at most 5 redirects, an honest User-Agent (on the client);
- retries with exponential backoff on 429, 5xx, connection errors and timeouts, honouring
  Retry-After up to a minute (an answer asking for longer is returned, not waited for);
- a 5 MB cap on what is read: Content-Length is checked first, then the body is counted as
  it streams in;
- a bound on concurrent requests per host, shared by every process through Redis
  (jobmate/hostslots.py), and on this process's connections overall;
- `guarded=True`, for addresses people give (add by link, the bookmarklet, the API): every
  hop's host must resolve to public addresses only, and the connection goes to the address
  that was checked (jobmate/urlsafety.py).

Endpoints the operator configures (the boards' base URLs in JOBMATE_SOURCE_URLS,
LLM_BASE_URL) are trusted: unguarded, they may be on this machine (a local mirror, Ollama).

A stall after the answer's headers arrived is not retried: by then the body belongs to
whoever reads it.
"""

from __future__ import annotations

import email.utils
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import httpx
import tenacity
from django.conf import settings

from jobmate import hostslots
from jobmate.urlsafety import check_url, public_addresses, resolve

logger = logging.getLogger(__name__)

USER_AGENT = "JobMate/0.1 (self-hosted job-search assistant; +https://github.com/jobmate)"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0
IDEMPOTENT_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"}
# Request extensions: how many attempts a request may take (set by `request()`), and how
# many its answer took (set by the transport).
ATTEMPTS = "jobmate.attempts"
ATTEMPTS_MADE = "jobmate.attempts_made"


class FetchError(Exception):
    """A request failed for good; `str()` is a short reason fit for a task's log, `reason`
    what happened in a word: "unreachable", "timeout", "status" (an error answer),
    "redirects" or "unreadable"."""

    def __init__(self, message: str, *, reason: str = "unreachable", status: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.status = status


class ResponseTooLarge(FetchError):
    """An answer over the size cap: the server was reached, its answer is not read."""

    def __init__(self, message: str):
        super().__init__(message, reason="unreadable")


@dataclass
class Fetched:
    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.content.decode(self._encoding(), errors="replace")

    def json(self):
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise FetchError(f"invalid JSON from {self.url}: {exc}", reason="unreadable") from exc

    def _encoding(self) -> str:
        content_type = self.headers.get("content-type", "")
        if "charset=" in content_type:
            return content_type.split("charset=")[-1].split(";")[0].strip() or "utf-8"
        return "utf-8"


# --- concurrency bounds -------------------------------------------------------------------

_slots_lock = threading.Lock()
_all_slots: threading.BoundedSemaphore | None = None


def _take_slot(host: str) -> Callable[[], None]:
    """Wait for a free slot for `host` ("name:port"; shared by every process: jobmate/hostslots.py), then
    for one of this process's connections; the host's first, so that a request waiting on
    a busy host holds none of the process's. Returns the function that frees both, once."""
    global _all_slots
    with _slots_lock:
        if _all_slots is None:
            _all_slots = threading.BoundedSemaphore(settings.JOBMATE_HTTP_MAX_CONNECTIONS)
        overall = _all_slots
    release_host = hostslots.take(host)
    try:
        overall.acquire()
    except BaseException:
        release_host()
        raise
    held = True

    def release():
        nonlocal held
        if held:
            held = False
            overall.release()
            release_host()

    return release


class _CappedStream(httpx.SyncByteStream):
    """An answer's body as it arrives, refused past MAX_BYTES; closing it frees the slot
    its request held."""

    def __init__(self, stream: httpx.SyncByteStream, release: Callable[[], None]):
        self._stream = stream
        self._release = release

    def __iter__(self):
        size = 0
        for chunk in self._stream:
            size += len(chunk)
            if size > MAX_BYTES:
                raise ResponseTooLarge(f"response is over the {MAX_BYTES:,}-byte limit")
            yield chunk

    def close(self):
        try:
            self._stream.close()
        finally:
            self._release()


# --- retries ------------------------------------------------------------------------------

# Errors raised before the request left this machine: repeating it is safe whatever it does.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Errors after it may have reached the server: repeated only for idempotent methods.
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _retry_policy(request: httpx.Request) -> Callable[[tenacity.RetryCallState], bool]:
    """When to send `request` again.

    GET and the other idempotent methods: after any 429 or 5xx answer, connection error or
    timeout. POST and PATCH may have had an effect on the server (an application sent, an
    LLM call billed), so they are repeated only when the server cannot have acted on them:
    the connection was never made, or the answer is 429 or 503 with a Retry-After (the
    server says it turned the request away and when to come back). A body that cannot be
    read twice (a stream) is never sent twice."""
    idempotent = request.method in IDEMPOTENT_METHODS
    replayable = isinstance(request.stream, httpx.ByteStream)

    def should_retry(state: tenacity.RetryCallState) -> bool:
        if not replayable:
            return False
        if state.outcome.failed:
            error = state.outcome.exception()
            return isinstance(error, _NOT_SENT) or (idempotent and isinstance(error, _TRANSIENT))
        response = state.outcome.result()
        if response.status_code not in RETRY_STATUSES:
            return False
        wait = _retry_after(response.headers.get("retry-after"))
        if wait is not None and wait > MAX_RETRY_AFTER:
            return False  # waiting less than asked would be ignoring it
        return idempotent or (response.status_code in (429, 503) and wait is not None)

    return should_retry


def _wait(state: tenacity.RetryCallState) -> float:
    if not state.outcome.failed:
        asked = _retry_after(state.outcome.result().headers.get("retry-after"))
        if asked is not None:
            return asked
    return settings.JOBMATE_HTTP_BACKOFF * (2 ** (state.attempt_number - 1))


def _before_retry(state: tenacity.RetryCallState) -> None:
    request = state.args[0]
    if state.outcome.failed:
        why = type(state.outcome.exception()).__name__
    else:
        response = state.outcome.result()
        why = f"HTTP {response.status_code}"
        response.close()
    logger.warning("%s %s: %s; attempt %d failed, next in %.1f s", request.method, request.url.host, why,
                   state.attempt_number, state.upcoming_sleep)


def _last_outcome(state: tenacity.RetryCallState) -> httpx.Response:
    """Out of attempts: the last answer (a 503, say) goes to the caller; an error is raised."""
    return state.outcome.result()


# --- transports ---------------------------------------------------------------------------


class LimitedTransport(httpx.BaseTransport):
    """Wraps the transport that connects with JobMate's limits: retries, the size cap and
    the concurrency bounds."""

    def __init__(self, connect: httpx.BaseTransport):
        self._connect = connect

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(request.extensions.get(ATTEMPTS) or settings.JOBMATE_HTTP_ATTEMPTS),
            wait=_wait,
            retry=_retry_policy(request),
            before_sleep=_before_retry,
            retry_error_callback=_last_outcome,
        )
        response = retrying(self._send_once, request)
        response.extensions = {**response.extensions, ATTEMPTS_MADE: retrying.statistics["attempt_number"]}
        return response

    def _send_once(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        release = _take_slot(f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}")
        try:
            response = self._connect.handle_request(request)
        except BaseException:
            release()
            raise
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BYTES:
            response.close()
            release()
            raise ResponseTooLarge(f"response of {int(declared):,} bytes is over the {MAX_BYTES:,}-byte limit")
        response.stream = _CappedStream(response.stream, release)
        return response

    def close(self) -> None:
        self._connect.close()


class _GuardedTransport(httpx.HTTPTransport):
    """Checks the host of every request (each redirect hop included) and connects to a
    public address it checked, not to whatever a second DNS lookup would say. The request
    keeps its host name (Host header, TLS server name, the URL people see)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        if f"{host}:{port}" in settings.JOBMATE_FETCH_ALLOWED_HOSTS:
            check_url(str(request.url))
            addresses = resolve(host, port)
        else:
            addresses = public_addresses(str(request.url))
        # The host's other addresses are tried if one refuses the connection (an IPv6
        # address on a host without IPv6, say).
        for address in addresses[:-1]:
            try:
                return super().handle_request(self._pinned(request, address))
            except httpx.ConnectError:
                pass
        return super().handle_request(self._pinned(request, addresses[-1]))

    @staticmethod
    def _pinned(request: httpx.Request, address: str) -> httpx.Request:
        extensions = dict(request.extensions)
        if request.url.scheme == "https":
            extensions["sni_hostname"] = request.url.host
        return httpx.Request(request.method, request.url.copy_with(host=address), headers=request.headers,
                             stream=request.stream, extensions=extensions)


# --- clients and requests -----------------------------------------------------------------

_clients: dict[bool, httpx.Client] = {}
_clients_lock = threading.Lock()


def shared_client(*, guarded: bool) -> httpx.Client:
    """One client per process and kind, shared by threads: building a client loads the CA
    bundle into a new SSL context (tens of milliseconds of CPU), and a shared one keeps
    its connections alive between requests to the same board."""
    with _clients_lock:
        if guarded not in _clients:
            _clients[guarded] = make_client(guarded=guarded)
        return _clients[guarded]


def make_client(*, guarded: bool) -> httpx.Client:
    """A client with JobMate's limits in its transport (see the top of this module);
    `guarded=True` for addresses people give."""
    return httpx.Client(
        timeout=httpx.Timeout(settings.JOBMATE_HTTP_TIMEOUT, connect=min(5.0, settings.JOBMATE_HTTP_TIMEOUT)),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT, "Accept-Language": "en, fr;q=0.8, *;q=0.5"},
        transport=LimitedTransport(_GuardedTransport() if guarded else httpx.HTTPTransport()),
    )


def _read(response: httpx.Response) -> bytes:
    """The decoded body. The transport caps the bytes on the wire; a compressed body is
    capped again once decoded, so that a small gzip bomb cannot fill the memory."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise ResponseTooLarge(f"response is over the {MAX_BYTES:,}-byte limit once decompressed")
        chunks.append(chunk)
    return b"".join(chunks)


def request(method: str, url: str, *, params: dict | None = None, json=None, data: dict | None = None,
            headers: dict | None = None, guarded: bool = False, client: httpx.Client | None = None,
            attempts: int | None = None) -> Fetched:
    """Send `method` to `url` (with `json` as its body, or `data` as a form, if given) and
    read the answer.
    Raises UnsafeURL (guarded only) or FetchError with a short reason.

    A 4xx answer other than 429 is returned, not raised: callers decide what it means."""
    client = client or shared_client(guarded=guarded)
    try:
        with client.stream(method, url, params=params, json=json, data=data, headers=headers,
                           extensions={ATTEMPTS: attempts} if attempts else None) as response:
            if response.status_code in RETRY_STATUSES:
                made = response.extensions.get(ATTEMPTS_MADE, 1)
                raise FetchError(
                    f"HTTP {response.status_code} from {response.url.host}"
                    + (f" after {made} attempts" if made > 1 else ""),
                    reason="status", status=response.status_code)
            return Fetched(url=str(response.url), status_code=response.status_code, headers=response.headers,
                           content=_read(response))
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", reason="redirects") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out ({httpx.URL(url).host})", reason="timeout") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from exc


def fetch(url: str, *, params: dict | None = None, headers: dict | None = None, guarded: bool = False,
          client: httpx.Client | None = None, attempts: int | None = None) -> Fetched:
    """GET `url`: see request()."""
    return request("GET", url, params=params, headers=headers, guarded=guarded, client=client, attempts=attempts)

"""The one way JobMate talks to the web.

Every request goes through `fetch()`: connect and read timeouts, a 5 MB cap on what is
read, at most 5 redirects, an honest User-Agent, retries with exponential backoff on 429,
5xx and timeouts (honouring Retry-After), and a bound on concurrent requests per host and
overall. `guarded=True` (for URLs a person gave) also refuses any hop whose host is not
public and connects to the address it checked (discovery/urlsafety.py).
"""

from __future__ import annotations

import email.utils
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

import httpx
import tenacity
from django.conf import settings

from discovery.urlsafety import UnsafeURL, public_addresses

USER_AGENT = "JobMate/0.1 (self-hosted job-search assistant; +https://github.com/jobmate)"
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


class FetchError(Exception):
    """A request failed for good; `str()` is a short reason fit for a task's log, `reason`
    what happened in a word: "unreachable", "timeout", "status" (an error answer),
    "redirects" or "unreadable"."""

    def __init__(self, message: str, *, reason: str = "unreachable", status: int | None = None):
        super().__init__(message)
        self.reason = reason
        self.status = status


class ResponseTooLarge(FetchError):
    pass


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


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


class _GuardedTransport(httpx.HTTPTransport):
    """Checks the host of every request (each redirect hop included) and connects to the
    public address it checked, not to whatever a second DNS lookup would say."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        if f"{host}:{port}" in settings.JOBMATE_FETCH_ALLOWED_HOSTS:
            return super().handle_request(request)
        address = public_addresses(str(request.url))[0]
        request.url = request.url.copy_with(host=address)
        if request.url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)


# --- concurrency bounds -------------------------------------------------------------------

_slots_lock = threading.Lock()
_host_slots: dict[str, threading.BoundedSemaphore] = {}
_all_slots: threading.BoundedSemaphore | None = None


@contextmanager
def _slot(host: str):
    global _all_slots
    with _slots_lock:
        if _all_slots is None:
            _all_slots = threading.BoundedSemaphore(settings.JOBMATE_HTTP_MAX_CONNECTIONS)
        per_host = _host_slots.get(host)
        if per_host is None:
            per_host = _host_slots[host] = threading.BoundedSemaphore(settings.JOBMATE_HTTP_PER_HOST)
    with _all_slots, per_host:
        yield


# --- requests -----------------------------------------------------------------------------


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
    return httpx.Client(
        timeout=httpx.Timeout(settings.JOBMATE_HTTP_TIMEOUT, connect=min(5.0, settings.JOBMATE_HTTP_TIMEOUT)),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT, "Accept-Language": "en, fr;q=0.8, *;q=0.5"},
        transport=_GuardedTransport() if guarded else httpx.HTTPTransport(),
    )


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


def _wait(state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _RetryableStatus) and exc.retry_after is not None:
        return min(exc.retry_after, MAX_RETRY_AFTER)
    return settings.JOBMATE_HTTP_BACKOFF * (2 ** (state.attempt_number - 1))


def _read_capped(response: httpx.Response) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise ResponseTooLarge(f"response of {int(declared):,} bytes is over the {MAX_BYTES:,}-byte limit")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise ResponseTooLarge(f"response is over the {MAX_BYTES:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _fetch_once(client: httpx.Client, url: str, params, headers) -> Fetched:
    with _slot(httpx.URL(url).host):
        with client.stream("GET", url, params=params, headers=headers) as response:
            if response.status_code in RETRY_STATUSES:
                raise _RetryableStatus(response.status_code, _retry_after(response.headers.get("retry-after")))
            return Fetched(url=str(response.url), status_code=response.status_code,
                           headers=response.headers, content=_read_capped(response))


def fetch(url: str, *, params: dict | None = None, headers: dict | None = None, guarded: bool = False,
          client: httpx.Client | None = None, attempts: int | None = None) -> Fetched:
    """GET `url`. Raises UnsafeURL (guarded only) or FetchError with a short reason.

    A 4xx answer other than 429 is returned, not raised: callers decide what it means."""
    attempts = attempts or settings.JOBMATE_HTTP_ATTEMPTS
    client = client or shared_client(guarded=guarded)
    try:
        for attempt in tenacity.Retrying(
            stop=tenacity.stop_after_attempt(attempts),
            wait=_wait,
            retry=tenacity.retry_if_exception_type((_RetryableStatus, httpx.TimeoutException, httpx.NetworkError)),
            reraise=True,
            sleep=time.sleep,
        ):
            with attempt:
                return _fetch_once(client, url, params, headers)
    except UnsafeURL:
        raise
    except _RetryableStatus as exc:
        raise FetchError(f"HTTP {exc.status} from {httpx.URL(url).host} after {attempts} attempts",
                         reason="status", status=exc.status) from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", reason="redirects") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {attempts} attempts ({httpx.URL(url).host})", reason="timeout") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from exc
    raise AssertionError("unreachable")

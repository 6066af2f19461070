"""Is a URL safe to fetch on a person's behalf?

A URL a person gives us (add by URL, the bookmarklet, the API) is untrusted: it may point
at this machine, the local network or a cloud metadata service. Only http(s) URLs whose
host resolves exclusively to public addresses are fetched, and the HTTP client checks
every hop of a redirect chain again (see jobmate/http.py), connecting to the very
address it checked so that a second DNS answer cannot swap it.

Addresses the operator configures (job boards' base URLs, LLM_BASE_URL) are trusted and
not checked here: they may well be on this machine (a local mirror, Ollama).

Whatever spelling a host uses (decimal 2130706433, octal 0177.0.0.1, hex 0x7f.1,
IPv4-mapped IPv6 ::ffff:127.0.0.1), it is judged by the addresses it resolves to.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy

from jobmate.tasks.messages import Message, define

ALLOWED_SCHEMES = {"http", "https"}


class UnsafeURL(ValueError):
    """The URL must not be fetched; `message` says why, in words a person understands (a
    Message: a page renders it now, a task's outcome when someone reads it)."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


NOT_FOUND = define("urlsafety.not_found", gettext_lazy("The address “%(host)s” could not be found."))
NOT_AN_ADDRESS = define("urlsafety.invalid", gettext_lazy("This is not a valid web address."))
SCHEME = define("urlsafety.scheme", gettext_lazy("Only http:// and https:// addresses can be fetched."))
NO_HOST = define("urlsafety.no_host", gettext_lazy("This web address has no host name."))
CREDENTIALS = define("urlsafety.credentials",
                     gettext_lazy("Web addresses with a user name or password are not fetched."))
PRIVATE = define("urlsafety.private", gettext_lazy(
    "%(host)s points to a private or local address (%(address)s); JobMate only fetches public web pages."))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    # IPv4-compatible (deprecated) ::a.b.c.d
    if int(address) >> 32 == 0 and int(address) > 1:
        return ipaddress.IPv4Address(int(address))
    return None


def is_public_address(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(embedded)
    return ip.is_global and not ip.is_multicast and not ip.is_reserved and not ip.is_unspecified


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (raises UnsafeURL if it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(NOT_FOUND(host=host)) from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_url(url: str) -> tuple[str, int]:
    """Check the form of `url`; return its host and port. Raises UnsafeURL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(NOT_AN_ADDRESS()) from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise UnsafeURL(SCHEME())
    if not parts.hostname:
        raise UnsafeURL(NO_HOST())
    if parts.username or parts.password:
        raise UnsafeURL(CREDENTIALS())
    return parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80)


def public_addresses(url: str) -> list[str]:
    """The addresses to connect to for `url`, all of them public. Raises UnsafeURL."""
    host, port = check_url(url)
    addresses = resolve(host, port)
    for address in addresses:
        if not is_public_address(address):
            raise UnsafeURL(PRIVATE(host=host, address=address))
    return addresses

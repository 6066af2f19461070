"""Slowing down password guessing and reset-mail floods, with counters in the cache (Redis).

The rule, for the site's log-in and the admin's:

- A failed log-in counts against the pair (account, client address): after 5 failures
  within 15 minutes, that pair waits 15 minutes, during which even the right password is
  refused (unchecked). A successful log-in clears the pair's count.
- It also counts against the client address alone, but only 50 failures within 15 minutes
  make the address wait: people behind one address (an office, a family's router) do not
  lock each other out with a few typos, while one address trying many accounts is stopped.
- A wait always ends by itself; nothing locks an account for good.

Password-reset mail: at most 3 per email address and hour. Beyond that the form answers as
usual ("if an account uses this address, a mail is on its way") and sends nothing, so the
page reveals no account and cannot flood a mailbox.

The client address is REMOTE_ADDR, or the last entry of X-Forwarded-For when
TRUST_X_FORWARDED_FOR says a proxy in front sets it. An IPv6 address counts by its /64:
one host commonly holds a whole /64 and could otherwise change address at every attempt.

When Redis does not answer, everything here lets people through (and logs a warning):
being unable to log in is worse than an hour without throttling. A request finds that
out once: its later steps skip Redis, so a hung Redis costs one REDIS_TIMEOUT, not three.

Counters expire in Redis; a wait is stored as the time it ends, compared with our clock.
"""

import hashlib
import ipaddress
import logging
import math
import time

import redis
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PAIR_LIMIT = 5
ADDRESS_LIMIT = 50
PERIOD = 15 * 60  # seconds: the window failures are counted in, and the wait that follows
RESET_MAIL_LIMIT = 3
RESET_MAIL_PERIOD = 60 * 60


def client_address(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TRUST_X_FORWARDED_FOR:
        # The proxy appends the address it saw; the entries before it are the client's word.
        address = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip() or address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _account(username: str) -> str:
    # Hashed: any length, any characters, and no email address in Redis. Counted whether
    # or not such an account exists, so the answers tell nobody which ones do.
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


def _scopes(request, username: str) -> dict[str, tuple[str, int]]:
    """The counters a log-in attempt touches: name → (key, limit)."""
    address = client_address(request)
    return {
        "pair": (f"login:pair:{_account(username)}:{address}", PAIR_LIMIT),
        "address": (f"login:address:{address}", ADDRESS_LIMIT),
    }


def _unreachable(request) -> None:
    logger.warning("Log-in throttle: Redis is unreachable, letting the attempt through", exc_info=True)
    request.login_throttle_off = True


def login_wait(*, request, username: str) -> int:
    """Seconds this attempt must wait before a password is checked; 0 when it may go on."""
    keys = [f"{key}:wait" for key, _ in _scopes(request, username).values()]
    try:
        ends = cache.get_many(keys).values()
    except redis.RedisError:
        _unreachable(request)
        return 0
    return max([math.ceil(end - time.time()) for end in ends] + [0])


def login_failed(*, request, username: str) -> int:
    """Counts a failure; returns the seconds to wait if it was the one too many, else 0."""
    if getattr(request, "login_throttle_off", False):
        return 0
    wait = 0
    try:
        for key, limit in _scopes(request, username).values():
            if _count(key, PERIOD) >= limit:
                cache.set(f"{key}:wait", time.time() + PERIOD, PERIOD)
                # After the wait, a fresh count: the next failure is not one over the limit.
                cache.delete(key)
                wait = PERIOD
    except redis.RedisError:
        _unreachable(request)
    return wait


def login_succeeded(*, request, username: str) -> None:
    if getattr(request, "login_throttle_off", False):
        return
    # The address's count stays: one real account must not let its owner reset the count
    # between guesses at others.
    key, _ = _scopes(request, username)["pair"]
    try:
        cache.delete(key)
    except redis.RedisError:
        _unreachable(request)


def reset_mail_allowed(*, email: str) -> bool:
    """Whether a password-reset mail may go to `email` now (counts this request)."""
    try:
        return _count(f"reset-mail:{_account(email)}", RESET_MAIL_PERIOD) <= RESET_MAIL_LIMIT
    except redis.RedisError:
        logger.warning("Reset-mail throttle: Redis is unreachable, letting the mail go", exc_info=True)
        return True


def _count(key: str, period: int) -> int:
    """Adds one to the count at `key`, which starts at the first and lasts `period` seconds."""
    cache.add(key, 0, period)
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls
        cache.set(key, 1, period)
        return 1

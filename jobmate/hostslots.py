"""How many requests JobMate has under way to one host, counted across every process.

Each scrape runs its board searches in a thread pool, and several workers scrape at once:
a limit held in each process would let N workers send N times the requests a board is
meant to get from one client. So the per-host slots live in Redis, shared by every
process that reaches the same Redis (the web processes and every worker).

A slot is a member of a sorted set per host (`jobmate:http:slots:<host>`), scored with the
time its lease ends. Taking a slot is one Lua script, atomic in Redis: drop the members
whose lease has ended, then add ours if fewer than the limit are left. A process killed
while it holds a slot (a worker's work-horse killed for its timeout, the OOM killer) never
frees it: its lease ends and the next taker drops it. The lease (JOBMATE_HTTP_SLOT_LEASE,
a minute) is longer than a request takes under JobMate's timeouts; one that outlives it
merely lets one more in, and a short lease keeps a lost slot from holding a host long.

Times are Redis's own clock (TIME in the script), so that processes on machines whose
clocks disagree share one notion of "the lease has ended".

Redis unreachable: the request is not held back for it. The process falls back to slots
of its own (the limit per process, as before this module) until Redis answers again.
Nothing here is a maintained library's: redis-py offers locks but no counting semaphore,
and the few semaphore packages on PyPI are unmaintained.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

import httpx
import redis
from redis.commands.core import Script
from django.conf import settings

from jobmate.redis_connection import get_connection, recently_unreachable

logger = logging.getLogger(__name__)

KEY = "jobmate:http:slots:{host}"
# A list a freed slot pushes to, for a waiting process to wake at once instead of polling.
FREED = "jobmate:http:freed:{host}"
WAKE_AFTER = 0.5

# KEYS[1]: the host's set; ARGV: limit, lease (seconds), token. 1 if the slot was taken.
_TAKE = """
local now = redis.call('TIME')
local now_s = tonumber(now[1]) + tonumber(now[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_s)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now_s + tonumber(ARGV[2]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 60)
  return 1
end
return 0
"""

_local_lock = threading.Lock()
_local_slots: dict[str, threading.BoundedSemaphore] = {}
_take_script: Script | None = None


class NoSlot(httpx.PoolTimeout):
    """No slot for the host freed within JOBMATE_HTTP_SLOT_WAIT seconds. A PoolTimeout: the
    request never left this machine, so the transport may try again."""


def take(host: str) -> Callable[[], None]:
    """Wait for one of the host's JOBMATE_HTTP_PER_HOST slots; returns the function that
    frees it (once, whatever happens)."""
    if not recently_unreachable():
        try:
            return _take_shared(host)
        except redis.RedisError as exc:
            logger.warning("Redis unreachable (%s): %s gets this process's own request slots", exc, host)
    return _take_local(host)


def _take_shared(host: str) -> Callable[[], None]:
    global _take_script
    connection = get_connection()
    if _take_script is None:
        # Sent by its SHA1 (the whole script only to a Redis that has not seen it).
        _take_script = connection.register_script(_TAKE)
    key, token = KEY.format(host=host), uuid.uuid4().hex
    limit, lease = settings.JOBMATE_HTTP_PER_HOST, settings.JOBMATE_HTTP_SLOT_LEASE
    deadline = time.monotonic() + settings.JOBMATE_HTTP_SLOT_WAIT
    while not _take_script(keys=[key], args=[limit, lease, token], client=connection):
        left = deadline - time.monotonic()
        if left <= 0:
            raise NoSlot(f"no request slot for {host} freed within {settings.JOBMATE_HTTP_SLOT_WAIT} s")
        # Woken by the next slot freed (one waiter per slot); at the latest after a moment,
        # since a dead holder's lease ends without a word.
        connection.blpop([FREED.format(host=host)], timeout=min(left, WAKE_AFTER))
    freed = False

    def release():
        nonlocal freed
        if freed:
            return
        freed = True
        freed_list = FREED.format(host=host)
        for attempt in (1, 2):  # once more after a blip: else the slot stays taken until its lease ends
            try:
                with connection.pipeline() as pipe:
                    pipe.zrem(key, token).rpush(freed_list, 1).expire(freed_list, 60)
                    pipe.ltrim(freed_list, -limit, -1).execute()
                return
            except redis.RedisError as exc:
                if attempt == 2:
                    logger.warning("could not free a request slot for %s (its lease will): %s", host, exc)

    return release


def _take_local(host: str) -> Callable[[], None]:
    with _local_lock:
        slots = _local_slots.get(host)
        if slots is None:
            slots = _local_slots[host] = threading.BoundedSemaphore(settings.JOBMATE_HTTP_PER_HOST)
    if not slots.acquire(timeout=settings.JOBMATE_HTTP_SLOT_WAIT):
        raise NoSlot(f"no request slot for {host} freed within {settings.JOBMATE_HTTP_SLOT_WAIT} s")
    freed = False

    def release():
        nonlocal freed
        if not freed:
            freed = True
            slots.release()

    return release

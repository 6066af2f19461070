"""The one way JobMate reaches Redis: the queues (django-rq), the cache, undo, /healthz.

Every connection has a connect timeout and a socket timeout of REDIS_TIMEOUT seconds, and
no retry: redis-py retries a failed command ten times by default, so a hung Redis (a
stopped process, a dropped network) would hold a request for ten timeouts instead of one.
Callers catch `redis.RedisError` and say what they could not do.

The queues have a pool of their own: an RQ Worker raises the socket timeout of the
connection it is given above its blocking dequeue (`rq.Worker._set_connection`), which in
a worker process must not reach the cache, undo or the throttle. (Nothing else builds an
RQ Worker: lifecycle reads worker registrations itself.)
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

_pools: dict[tuple[str, float, str], redis.ConnectionPool] = {}
# When Redis last failed to answer this thread (time.monotonic()): what may wait for it
# later rather than now asks `recently_unreachable()` first, so that one request never
# waits for a hung Redis twice.
_seen = threading.local()


def recently_unreachable() -> bool:
    """Redis failed to answer this thread within the last two REDIS_TIMEOUTs (in a web
    process: during this request, see `forget_failures`)."""
    failed_at = getattr(_seen, "failed_at", None)
    return failed_at is not None and time.monotonic() - failed_at < 2 * float(settings.REDIS_TIMEOUT)


def forget_failures(**kwargs) -> None:
    """A new request starts with a clean slate (connected to `request_started`)."""
    _seen.failed_at = None


class _Connection(redis.Connection):
    """A connection that notes, for `recently_unreachable`, when Redis does not answer."""

    def connect(self):
        try:
            return super().connect()
        except (redis.ConnectionError, redis.TimeoutError):
            _seen.failed_at = time.monotonic()
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            _seen.failed_at = time.monotonic()
            raise


def connection_pool(purpose: str = "default") -> redis.ConnectionPool:
    """The pool for settings.REDIS_URL (read at call time, so tests may point it away);
    `purpose` "queues" for django-rq's."""
    key = (settings.REDIS_URL, float(settings.REDIS_TIMEOUT), purpose)
    pool = _pools.get(key)
    if pool is None:
        url, timeout, _purpose = key
        plain = urlsplit(url).scheme == "redis"  # rediss:// and unix:// keep redis-py's own class
        pool = _pools[key] = redis.ConnectionPool.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
            **({"connection_class": _Connection} if plain else {}),
        )
    return pool


def get_connection() -> redis.Redis:
    return redis.Redis(connection_pool=connection_pool())


def queue_connection() -> redis.Redis:
    """For the queues (django-rq), on a pool of their own."""
    return redis.Redis(connection_pool=connection_pool("queues"))


class _CacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        return get_connection()


class RedisCache(DjangoRedisCache):
    """Django's Redis cache over the connection above (its LOCATION is not used: the
    cache lives where REDIS_URL says). django-rq reaches Redis through it too
    (`RQ_QUEUES[…]["USE_REDIS_CACHE"]` asks the cache for `get_master_client()`), on the
    queues' pool."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _CacheClient

    def get_master_client(self) -> redis.Redis:
        return queue_connection()

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

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

_pools: dict[tuple[str, float, str], redis.ConnectionPool] = {}


def connection_pool(purpose: str = "default") -> redis.ConnectionPool:
    """The pool for settings.REDIS_URL (read at call time, so tests may point it away);
    `purpose` "queues" for django-rq's."""
    key = (settings.REDIS_URL, float(settings.REDIS_TIMEOUT), purpose)
    pool = _pools.get(key)
    if pool is None:
        url, timeout, _purpose = key
        pool = _pools[key] = redis.ConnectionPool.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
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

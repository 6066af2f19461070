"""The person's last triage decisions, for "undo".

Kept in the shared cache (Redis), one short list per person, not in the session: a
decision then commits once (the session would be a second write and a second commit on
every click), and "undo" on the phone takes back what was decided on the laptop. It is a
convenience: if Redis cannot be reached, decisions still go through, without undo.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

DEPTH = 20
KEEP_SECONDS = 24 * 3600


def _key(user_id: int) -> str:
    return f"inbox-undo:{user_id}"


def stack(user_id: int) -> list[dict]:
    try:
        return cache.get(_key(user_id)) or []
    except RedisError:
        logger.warning("undo: the cache is unreachable")
        return []


def push(user_id: int, entry: dict) -> list[dict]:
    entries = [*stack(user_id), entry][-DEPTH:]
    try:
        cache.set(_key(user_id), entries, KEEP_SECONDS)
    except RedisError:
        logger.warning("undo: the cache is unreachable; this decision cannot be undone")
        return []
    return entries


def pop(user_id: int) -> dict | None:
    entries = stack(user_id)
    if not entries:
        return None
    entry = entries.pop()
    try:
        cache.set(_key(user_id), entries, KEEP_SECONDS)
    except RedisError:
        logger.warning("undo: the cache is unreachable")
        return None
    return entry

"""The person's last triage decisions, for "undo".

Kept in Redis, one short list per person, not in the session: a decision then commits
once (the session would be a second write and a second commit on every click), and
"undo" on the phone takes back what was decided on the laptop. Each change is one Redis
list operation, so two tabs pushing and popping at once neither lose an entry nor undo
one twice. It is a convenience: if Redis cannot be reached, decisions still go through,
without undo.
"""

from __future__ import annotations

import json
import logging

import redis

from jobmate.redis_connection import get_connection

logger = logging.getLogger(__name__)

DEPTH = 20
KEEP_SECONDS = 24 * 3600

def _redis() -> redis.Redis:
    return get_connection()


def _key(user_id: int) -> str:
    return f"jobmate:inbox-undo:{user_id}"


def last(user_id: int) -> dict | None:
    """The decision "undo" would take back now."""
    try:
        raw = _redis().lindex(_key(user_id), -1)
    except redis.RedisError:
        logger.warning("undo: Redis is unreachable")
        return None
    return json.loads(raw) if raw else None


def push(user_id: int, entry: dict) -> dict | None:
    """Remember a decision; returns it, or None if it could not be remembered."""
    key = _key(user_id)
    try:
        with _redis().pipeline() as pipe:  # MULTI … EXEC
            pipe.rpush(key, json.dumps(entry)).ltrim(key, -DEPTH, -1).expire(key, KEEP_SECONDS).execute()
    except redis.RedisError:
        logger.warning("undo: Redis is unreachable; this decision cannot be undone")
        return None
    return entry


def pop(user_id: int) -> dict | None:
    try:
        raw = _redis().rpop(_key(user_id))
    except redis.RedisError:
        logger.warning("undo: Redis is unreachable")
        return None
    return json.loads(raw) if raw else None

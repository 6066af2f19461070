"""Scheduled upkeep of the project itself (jobs for RQ's cron scheduler, see jobmate/cron.py)."""

from django.core.management import call_command


def clear_expired_sessions() -> None:
    """Delete expired login sessions so the session table does not grow forever."""
    call_command("clearsessions")

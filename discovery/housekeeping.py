"""Discovery's scheduled jobs (registered in jobmate/cron.py)."""

from django.core.management import call_command

from discovery import health, scheduling


def start_due_scrapes() -> int:
    return len(scheduling.start_due_scrapes())


def purge_stale_offers() -> None:
    call_command("purge_offers", older_than="30d")


def purge_source_calls() -> None:
    """The sources' health reads a week back: older calls are only weight."""
    health.purge()

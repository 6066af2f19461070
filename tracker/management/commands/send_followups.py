"""`manage.py send_followups`: remind each person whose morning it is of what is due.

Hourly on RQ's cron scheduler (jobmate/cron.py); safe to run by hand or from the host's
cron at any time: no one is reminded twice the same local day (tracker/reminders.py)."""

from django.core.management.base import BaseCommand

from tracker.reminders import MORNING, send_followups


class Command(BaseCommand):
    help = (f"Remind everyone whose local time has passed {MORNING:%H:%M} of their follow-ups and "
            "interviews due (bell and email), once a day.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count who would be reminded; send nothing")

    def handle(self, *args, dry_run, **options):
        report = send_followups(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{report.reminded} people would be reminded.")
            return
        self.stdout.write(f"{report.reminded} people reminded, {report.emailed} by email.")
        for email in report.failed:
            self.stderr.write(f"Email to {email} not sent; it will be tried again on the next run.")

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from discovery.models import Offer


def age(value: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([dhw])", value.strip())
    if not match:
        raise ValueError(value)
    amount, unit = int(match[1]), match[2]
    return {"d": timedelta(days=amount), "h": timedelta(hours=amount), "w": timedelta(weeks=amount)}[unit]


class Command(BaseCommand):
    help = "Delete pending, rejected and filtered offers older than an age (never approved ones)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", default="30d", help="age such as 30d, 12h or 6w (default 30d)")

    def handle(self, *args, older_than, **options):
        try:
            cutoff = timezone.now() - age(older_than)
        except ValueError:
            raise CommandError(f"--older-than {older_than!r}: use a number and d, h or w, e.g. 30d") from None
        stale = Offer.objects.filter(created_at__lt=cutoff).exclude(status=Offer.Status.APPROVED)
        counts = {status: stale.filter(status=status).count()
                  for status in (Offer.Status.PENDING, Offer.Status.REJECTED, Offer.Status.FILTERED)}
        deleted, _ = stale.delete()
        self.stdout.write(
            f"Deleted {sum(counts.values())} offer(s) older than {older_than}: "
            + ", ".join(f"{n} {status}" for status, n in counts.items())
        )

"""Notifications do not pile up forever: read ones go after READ_DAYS, any after KEEP_DAYS."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from jobmate.notifications.models import Notification

READ_DAYS = 30
KEEP_DAYS = 180


def purge_old_notifications() -> int:
    """The daily cron entry (jobmate/cron.py): how many were deleted."""
    now = timezone.now()
    deleted, _ = Notification.objects.filter(
        Q(read_at__lt=now - timedelta(days=READ_DAYS)) | Q(created_at__lt=now - timedelta(days=KEEP_DAYS))).delete()
    return deleted

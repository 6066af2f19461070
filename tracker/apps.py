from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = gettext_lazy("Tracker")

    def ready(self):
        from django.db.models import Q

        # What the reminders say is read on the bell in every process, not only the cron's.
        from tracker import reminders  # noqa: F401

        from jobmate.notifications.outbox import register_activity
        from tracker.models import Application

        # An open application with a follow-up date or an interview may come due.
        register_activity(lambda user: Application.objects.filter(user=user, status__in=Application.OPEN).filter(
            Q(follow_up_on__isnull=False) | Q(interviews__isnull=False)).exists())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "jobmate.notifications"
    label = "notifications"
    verbose_name = gettext_lazy("Notifications")

    def ready(self):
        from jobmate.notifications.outbox import register_activity
        from jobmate.tasks.models import Task

        # A task under way may fail.
        register_activity(lambda user: Task.objects.filter(user=user, status__in=Task.ACTIVE).exists())

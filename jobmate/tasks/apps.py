from django.apps import AppConfig
from django.utils.translation import gettext_lazy
from django.utils.module_loading import autodiscover_modules


class TasksConfig(AppConfig):
    name = "jobmate.tasks"
    label = "tasks"
    verbose_name = gettext_lazy("Background tasks")

    def ready(self):
        # Task kinds live in each app's tasks.py; import them in every process (web and
        # workers) so that a worker knows every kind it may be handed.
        from django.core.signals import request_started

        from jobmate.redis_connection import forget_failures
        from jobmate.tasks import diagnostics  # noqa: F401

        request_started.connect(forget_failures, dispatch_uid="jobmate.redis_connection.forget_failures")

        autodiscover_modules("tasks")

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
        from jobmate.tasks import diagnostics  # noqa: F401

        autodiscover_modules("tasks")

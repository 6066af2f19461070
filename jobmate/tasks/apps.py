from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "jobmate.tasks"
    label = "tasks"
    verbose_name = "Background tasks"

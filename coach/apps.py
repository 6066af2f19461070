from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CoachConfig(AppConfig):
    name = "coach"
    verbose_name = gettext_lazy("Coach")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = gettext_lazy("Accounts and profiles")

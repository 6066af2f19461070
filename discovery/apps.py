from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = gettext_lazy("Discovery")

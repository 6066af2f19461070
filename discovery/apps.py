from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = gettext_lazy("Discovery")

    def ready(self):
        from discovery.models import SearchConfig
        from jobmate.notifications.outbox import register_activity

        # A scheduled search may find offers.
        register_activity(lambda user: SearchConfig.objects.filter(user=user, is_active=True).exclude(
            frequency=SearchConfig.Frequency.OFF).exists())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # The search index follows every save and delete of a curated item.
        from portal.search import connect_signals

        connect_signals()

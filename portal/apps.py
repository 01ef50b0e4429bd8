from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # The search index follows every save and delete of a curated item.
        from portal import page_cache, search

        search.connect_signals()
        # Any change to curated content makes every cached public response stale.
        page_cache.connect_signals()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import history, page_cache, search

        # modeltranslation's columns exist by now (its app is listed first): version them too.
        history.register_history()
        # The search index follows every save and delete of a curated item.
        search.connect_signals()
        # Any change to curated content makes every cached public response stale.
        page_cache.connect_signals()

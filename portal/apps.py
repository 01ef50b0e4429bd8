from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import generation, history, search

        # modeltranslation's columns exist by now (its app is listed first): version them too.
        history.register_history()
        # Each app's search.py declares what of it is searched; then the index follows every
        # save and delete of those models.
        autodiscover_modules("search")
        search.connect_signals()
        # Any change to curated content makes every cached public response stale.
        generation.connect_signals()

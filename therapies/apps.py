from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TherapiesConfig(AppConfig):
    name = "therapies"
    verbose_name = _("Therapies")

    def ready(self):
        """Contribute to the base without the base importing this app: home, about, API root."""
        from portal import curated, pages
        from portal.api import resources
        from therapies import selectors, signals
        from therapies.api.urls import resources as api_resources
        from therapies.models import Therapy

        pages.register(home=selectors.home_context, dated_models=(Therapy,))
        resources.register(api_resources)
        signals.connect()
        curated.register_summary(selectors.regulator_coverage_lines)

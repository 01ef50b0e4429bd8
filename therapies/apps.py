from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TherapiesConfig(AppConfig):
    name = "therapies"
    verbose_name = _("Therapies")

    def ready(self):
        from portal import pages
        from therapies import selectors
        from therapies.models import Therapy

        pages.register(home=selectors.home_context, dated_models=(Therapy,))

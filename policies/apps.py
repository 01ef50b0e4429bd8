from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = _("Policies")

    def ready(self):
        from policies import selectors
        from policies.models import PolicyDocument
        from portal import pages

        pages.register(home=selectors.home_context, dated_models=(PolicyDocument,))

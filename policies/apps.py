from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = _("Policies")

    def ready(self):
        """Contribute to the base without the base importing this app: home, about, API root."""
        from policies import selectors
        from policies.api.urls import resources as api_resources
        from policies.models import PolicyDocument
        from portal import pages
        from portal.api import resources

        pages.register(home=selectors.home_context, dated_models=(PolicyDocument,))
        resources.register(api_resources)

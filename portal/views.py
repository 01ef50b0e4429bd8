"""Cross-site pages."""

from django.views.generic import TemplateView

from policies.models import PolicyDocument
from therapies.models import TherapyCategory


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["root_categories"] = (
            TherapyCategory.objects.published().roots().with_published_children()
        )
        context["latest_policies"] = PolicyDocument.objects.published().order_by("-issued_on", "title")[:10]
        return context

"""Public pages of policy documents and authorities; queries live in `policies.selectors`."""

from django.views.generic import ListView

from policies import selectors
from policies.forms import PolicyFilterForm
from policies.models import Authority, PolicyDocument
from portal.views import PAGE_SIZE, PublicDetailView, paginate


class PolicyListView(ListView):
    """Facets (jurisdiction, authority, type, legal status, year) as a list or a timeline.

    Five queries: authority choices, year choices, count, page, authorities of the page.
    """

    template_name = "policies/policy_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.form = PolicyFilterForm(
            self.request.GET, authorities=selectors.authority_choices(), years=selectors.policy_years()
        )
        return selectors.filter_policies(**self.form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        return context


class PolicyDetailView(PublicDetailView):
    model = PolicyDocument
    template_name = "policies/policy_detail.html"

    def base_queryset(self):
        return selectors.policy_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["supersedes_chain"] = selectors.supersedes_chain(self.object)
        return context


class AuthorityListView(ListView):
    template_name = "policies/authority_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Authority.objects.published().order_by("jurisdiction", "name", "id")


class AuthorityDetailView(PublicDetailView):
    model = Authority
    template_name = "policies/authority_detail.html"

    def base_queryset(self):
        return selectors.authority_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(self.request, selectors.policies_of_authority(self.object))
        return context

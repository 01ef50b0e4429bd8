"""Public pages of policy documents and authorities; queries live in `policies.selectors`."""

from policies import selectors
from policies.filtersets import PolicyDocumentFilterSet
from policies.forms import PolicyFilterForm
from policies.models import Authority, PolicyDocument
from portal.generic import PublicDetailView, PublicListView, paginate
from therapies.selectors import approvals_of_regulator


class PolicyListView(PublicListView):
    """Facets (jurisdiction, authority, type, legal status, year) as a list or a timeline.

    Two queries: the page and the authorities on it. The facet choices and the count of
    each filter set are computed once per content generation.
    """

    template_name = "policies/policy_list.html"

    def get_queryset(self):
        self.form = PolicyFilterForm(
            self.request.GET, authorities=selectors.authority_choices(), years=selectors.policy_years()
        )
        queryset = PolicyDocument.objects.published()
        filters = self.form.filters()
        if filters:
            # As in the API, a request naming no filter skips the FilterSet (building its form
            # costs more than the page's query). No request: the page lists published documents
            # only, so related filters match published authorities only, for staff too.
            queryset = PolicyDocumentFilterSet(filters, queryset=queryset).qs
        return selectors.policy_cards(queryset).order_by(*selectors.NEWEST_FIRST)

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

    def get_object(self, queryset=None):
        return selectors.load_policy_links(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["supersedes_chain"] = selectors.supersedes_chain(self.object)
        return context


class AuthorityListView(PublicListView):
    template_name = "policies/authority_list.html"

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
        context["approvals"] = approvals_of_regulator(self.object) if self.object.is_regulator else []
        return context

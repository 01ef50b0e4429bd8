"""Public pages of categories, therapies, mechanisms, molecules and conditions.

Views only wire URLs to selectors and templates; the queries live in `therapies.selectors`.
"""

from django.views.generic import TemplateView

from portal.generic import PublicDetailView, PublicListView, paginate
from therapies import selectors
from therapies.models import Condition, Mechanism, Molecule, Therapy, TherapyCategory


class CategoryListView(TemplateView):
    """The whole published tree in one query (categories are few and read as a tree)."""

    template_name = "therapies/category_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tree=selectors.category_tree(), **kwargs)


class CategoryDetailView(PublicDetailView):
    model = TherapyCategory
    template_name = "therapies/category_detail.html"

    def get_object(self, queryset=None):
        # The (cached) tree already holds every published category: most requests need no query.
        self.tree = selectors.category_tree()
        return self.tree.find(self.kwargs[self.slug_url_kwarg]) or super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subtree = self.tree.subtree_ids(self.object)
        ancestors = self.tree.ancestors(self.object)
        context.update(
            ancestors=ancestors,
            children=self.tree.node_for(self.object).children,
            page_obj=paginate(self.request, selectors.therapies_in_categories(subtree)),
            mechanisms=selectors.mechanisms_of_categories(self.object, subtree),
            policies=selectors.policies_for_categories(self.object, [*subtree, *(a.pk for a in ancestors)]),
        )
        return context


class TherapyListView(PublicListView):
    template_name = "therapies/therapy_list.html"

    def get_queryset(self):
        return selectors.published_therapies()


class TherapyDetailView(PublicDetailView):
    model = Therapy
    template_name = "therapies/therapy_detail.html"
    public_rows = selectors.THERAPY_PAGE

    def base_queryset(self):
        return selectors.therapy_detail_queryset()

    def get_object(self, queryset=None):
        return selectors.load_therapy_links(super().get_object(queryset))


class MechanismListView(PublicListView):
    template_name = "therapies/mechanism_list.html"

    def get_queryset(self):
        return Mechanism.objects.published().order_by("name", "id")


class MechanismDetailView(PublicDetailView):
    model = Mechanism
    template_name = "therapies/mechanism_detail.html"

    def base_queryset(self):
        return selectors.mechanism_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(self.request, selectors.therapy_links_of_mechanism(self.object))
        return context


class MoleculeListView(PublicListView):
    template_name = "therapies/molecule_list.html"

    def get_queryset(self):
        return Molecule.objects.published().order_by("symbol", "id")


class MoleculeDetailView(PublicDetailView):
    model = Molecule
    template_name = "therapies/molecule_detail.html"

    def base_queryset(self):
        return selectors.molecule_detail_queryset()


class ConditionListView(PublicListView):
    template_name = "therapies/condition_list.html"

    def get_queryset(self):
        return Condition.objects.published().order_by("name", "id")


class ConditionDetailView(PublicDetailView):
    model = Condition
    template_name = "therapies/condition_detail.html"

    def base_queryset(self):
        return selectors.condition_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["answer"] = selectors.condition_answer(self.object)
        context["narrower"] = selectors.condition_tree().children.get(self.object.pk, [])
        return context

"""Public pages of categories, therapies, mechanisms, molecules and conditions.

Views only wire URLs to selectors and templates; the queries live in `therapies.selectors`.
"""

from django.views.generic import ListView, TemplateView

from portal.views import PAGE_SIZE, PublicDetailView, paginate
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tree = selectors.category_tree()
        subtree = tree.subtree_ids(self.object)
        therapies = selectors.therapies_in_categories(subtree)
        context.update(
            ancestors=tree.ancestors(self.object),
            children=tree.node_for(self.object).children,
            page_obj=paginate(self.request, therapies),
            mechanisms=selectors.mechanisms_of_therapies(therapies),
            policies=selectors.policies_for_categories([*subtree, *(a.pk for a in tree.ancestors(self.object))]),
        )
        return context


class TherapyListView(ListView):
    template_name = "therapies/therapy_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.published_therapies()


class TherapyDetailView(PublicDetailView):
    model = Therapy
    template_name = "therapies/therapy_detail.html"

    def base_queryset(self):
        return selectors.therapy_detail_queryset()


class MechanismListView(ListView):
    template_name = "therapies/mechanism_list.html"
    paginate_by = PAGE_SIZE

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


class MoleculeListView(ListView):
    template_name = "therapies/molecule_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Molecule.objects.published().order_by("symbol", "id")


class MoleculeDetailView(PublicDetailView):
    model = Molecule
    template_name = "therapies/molecule_detail.html"

    def base_queryset(self):
        return selectors.molecule_detail_queryset()


class ConditionListView(ListView):
    template_name = "therapies/condition_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Condition.objects.published().order_by("name", "id")


class ConditionDetailView(PublicDetailView):
    model = Condition
    template_name = "therapies/condition_detail.html"

    def base_queryset(self):
        return selectors.condition_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["condition_therapies"] = selectors.therapies_for_condition(self.object)
        return context

"""Read-side queries of the public site for therapies, categories, mechanisms and conditions.

Every function starts from `published()` and loads relations through `Prefetch` (or
`load_links`) with a published-only queryset, so a draft never reaches a public page, and
each returns in a fixed number of queries whatever the amount of data. Values that only
change with the content (the category tree, the home page's figures) are computed once per
content generation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.functional import cached_property
from django.utils.translation import get_language

from portal.choices import EditorialStatus
from portal.generation import cached_for_generation
from portal.models import Reference
from portal.selectors import Links, Rows, cited_by, load_links, load_rows, set_prefetched
from therapies.choices import Agency, ApprovalStatus
from therapies.models import (
    Approval,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
)

# The policies app sits above this one (its documents link to therapies and categories), so
# its model is reached through the reverse relation it adds, never imported from here.
PolicyDocument = Therapy._meta.get_field("policies").related_model


def visible_approvals() -> QuerySet[Approval]:
    """Approvals are shown exactly when their therapy is published."""
    return Approval.objects.filter(therapy__in=Therapy.objects.published())


def _approvals_prefetch() -> Prefetch:
    # Indications that are not published are kept out; the approval falls back to its text.
    return Prefetch(
        "approvals",
        queryset=Approval.objects.order_by("decided_on", "id"),
    )


def therapy_cards(queryset: QuerySet[Therapy]) -> QuerySet[Therapy]:
    """Therapies for lists, with their approvals for the badges (one extra query)."""
    return queryset.prefetch_related(_approvals_prefetch())


def published_therapies() -> QuerySet[Therapy]:
    return therapy_cards(Therapy.objects.published()).order_by("name", "id")


def therapy_detail_queryset() -> QuerySet[Therapy]:
    """The therapy with its category and modality; `load_therapy_links` adds the rest."""
    return Therapy.objects.select_related("category", "modality")


REFERENCE_FIELDS = ("slug", "status", "title", "authors", "publisher", "year", "doi", "pmid", "url")


# A therapy page for the public: the therapy with its category and modality, then the rest
# below, each read by one prepared statement.
THERAPY_PAGE = Rows(
    lambda slug: Therapy.objects.published().filter(slug=slug), Therapy,
    tuple(f.attname for f in Therapy._meta.concrete_fields),
    {"category": ("slug", "status", "name"), "modality": ("slug", "status", "name")},
)
THERAPY_APPROVALS = Rows(
    lambda pk: Approval.objects.filter(therapy=pk), Approval,
    tuple(f.attname for f in Approval._meta.concrete_fields),
    {"indication": ("slug", "status", "name"), "reference": REFERENCE_FIELDS},
)
THERAPY_MECHANISMS = Rows(
    lambda pk: TherapyMechanism.objects.filter(therapy=pk, mechanism__in=Mechanism.objects.published()),
    TherapyMechanism, ("therapy_id", "mechanism_id", "role", "position"), {"mechanism": ("slug", "status", "name")},
)
# The published molecules of every mechanism of the therapy; only the shown mechanisms get theirs.
THERAPY_MECHANISM_MOLECULES = Rows(
    lambda pk: MechanismMolecule.objects.filter(mechanism__therapy_links__therapy=pk,
                                                molecule__in=Molecule.objects.published()),
    MechanismMolecule, ("mechanism_id", "molecule_id", "role", "position"), {"molecule": ("slug", "status", "symbol")},
)
THERAPY_REFERENCES = Rows(lambda pk: cited_by(Therapy, pk, Reference.objects.published()), Reference,
                          REFERENCE_FIELDS)
THERAPY_LINKS = [
    Links("published_conditions", Condition, "therapies", ("name",)),
    Links("published_targets", Molecule, "targeted_by", ("symbol",)),
    Links("published_policies", PolicyDocument, "therapies", ("title",)),
    Links("published_products", Therapy, "modality", ("name",)),
]


def load_therapy_links(therapy: Therapy) -> Therapy:
    """Approvals, mechanisms with their molecules, references, and the conditions, targets,
    policies and products in one query: five prepared statements whatever the therapy."""
    approvals = load_rows("therapy-approvals", THERAPY_APPROVALS, therapy.pk)
    for approval in approvals:
        approval._state.fields_cache["therapy"] = therapy
    set_prefetched(therapy, "approvals", approvals)
    molecules = defaultdict(list)
    for molecule_link in load_rows("therapy-mechanism-molecules", THERAPY_MECHANISM_MOLECULES, therapy.pk):
        molecules[molecule_link.mechanism_id].append(molecule_link)
    therapy.published_mechanism_links = load_rows("therapy-mechanisms", THERAPY_MECHANISMS, therapy.pk)
    for link in therapy.published_mechanism_links:
        link.mechanism.published_molecule_links = molecules[link.mechanism_id]
    therapy.published_references = load_rows("therapy-references", THERAPY_REFERENCES, therapy.pk)
    load_links(therapy, THERAPY_LINKS, name="therapy")
    return therapy


def _published_references() -> QuerySet[Reference]:
    return Reference.objects.published()


# --- categories -----------------------------------------------------------------------
@dataclass
class CategoryNode:
    category: TherapyCategory
    children: list[CategoryNode] = field(default_factory=list)


@dataclass
class CategoryTree:
    """All published categories; a category under an unpublished parent is hidden."""

    roots: list[CategoryNode]
    by_id: dict[int, CategoryNode]
    parent_of: dict[int, int | None]

    def ancestors(self, category: TherapyCategory) -> list[TherapyCategory]:
        chain, parent_id = [], self.parent_of.get(category.pk, category.parent_id)
        while parent_id is not None and parent_id in self.by_id:
            chain.append(self.by_id[parent_id].category)
            parent_id = self.parent_of[parent_id]
        return list(reversed(chain))

    def node_for(self, category: TherapyCategory) -> CategoryNode:
        return self.by_id.get(category.pk) or CategoryNode(category)

    def find(self, slug: str) -> TherapyCategory | None:
        """The published, reachable category with this slug, if any (no query)."""
        return next((node.category for node in self.by_id.values() if node.category.slug == slug), None)

    def subtree_ids(self, category: TherapyCategory) -> list[int]:
        found, stack = [], [self.node_for(category)]
        while stack:
            node = stack.pop()
            found.append(node.category.pk)
            stack.extend(node.children)
        return found


def category_tree() -> CategoryTree:
    """One query per content generation and language (siblings sort by the translated name)."""
    return cached_for_generation(f"category-tree:{get_language()}", _build_category_tree)


def _build_category_tree() -> CategoryTree:
    categories = list(TherapyCategory.objects.published().order_by("position", "name", "id"))
    by_id = {c.pk: CategoryNode(c) for c in categories}
    parent_of = {c.pk: c.parent_id for c in categories}
    roots = []
    for category in categories:
        node = by_id[category.pk]
        if category.parent_id is None:
            roots.append(node)
        elif category.parent_id in by_id:
            by_id[category.parent_id].children.append(node)
    # Only what hangs from a published root is reachable.
    reachable: dict[int, CategoryNode] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        reachable[node.category.pk] = node
        stack.extend(node.children)
    return CategoryTree(roots=roots, by_id=reachable, parent_of=parent_of)


def therapies_in_categories(category_ids: list[int]) -> QuerySet[Therapy]:
    return published_therapies().filter(category_id__in=category_ids)


def mechanisms_of_categories(category: TherapyCategory, category_ids: list[int],
                             limit: int = 30) -> list[Mechanism]:
    """Mechanisms of the published therapies in `category_ids` (the category's subtree): a
    join over every therapy there, so computed once per content generation and language."""
    def compute():
        therapies = Therapy.objects.published().filter(category_id__in=category_ids)
        return list(
            Mechanism.objects.published().filter(therapies__in=therapies).distinct().order_by("name", "id")[:limit]
        )

    return cached_for_generation(f"category-mechanisms:{category.pk}:{limit}:{get_language()}", compute)


def policies_for_categories(category: TherapyCategory, category_ids: list[int],
                            limit: int = 30) -> list[PolicyDocument]:
    """Policies about `category_ids` (the category, its subtree and ancestors), cached like
    `mechanisms_of_categories`."""
    def compute():
        return list(
            PolicyDocument.objects.published().filter(categories__in=category_ids).distinct()
            .defer("body", "summary").order_by("-issued_on", "title", "id")[:limit]
        )

    return cached_for_generation(f"category-policies:{category.pk}:{limit}:{get_language()}", compute)


# --- mechanisms, molecules, conditions -------------------------------------------------
def mechanism_detail_queryset() -> QuerySet[Mechanism]:
    return Mechanism.objects.prefetch_related(
        Prefetch(
            "molecule_links",
            queryset=MechanismMolecule.objects.filter(molecule__in=Molecule.objects.published())
            .select_related("molecule"),
            to_attr="published_molecule_links",
        ),
        Prefetch("references", queryset=_published_references(), to_attr="published_references"),
    )


def therapy_links_of_mechanism(mechanism: Mechanism) -> QuerySet[TherapyMechanism]:
    return (
        TherapyMechanism.objects.filter(mechanism=mechanism, therapy__in=Therapy.objects.published())
        .select_related("therapy", "therapy__category")
        .order_by("therapy__name", "therapy_id")
    )


def molecule_detail_queryset() -> QuerySet[Molecule]:
    return Molecule.objects.prefetch_related(
        Prefetch(
            "mechanism_links",
            queryset=MechanismMolecule.objects.filter(mechanism__in=Mechanism.objects.published())
            .select_related("mechanism"),
            to_attr="published_mechanism_links",
        ),
        Prefetch("targeted_by", queryset=Therapy.objects.published().select_related("category"),
                 to_attr="published_targeted_by"),
        Prefetch("references", queryset=_published_references(), to_attr="published_references"),
    )


def condition_detail_queryset() -> QuerySet[Condition]:
    return Condition.objects.prefetch_related(
        Prefetch("references", queryset=_published_references(), to_attr="published_references"),
    )


@dataclass
class ConditionTherapies:
    """Answers "is there an approved cell therapy for this, and where?".

    Each therapy carries `.condition_approvals`: its approvals for this condition.
    """

    approved: list[Therapy]  # at least one approval for the condition still in force
    withdrawn: list[Therapy]  # approved for it once, every such approval since withdrawn
    investigational: list[Therapy]  # linked to the condition, never approved for it

    @property
    def regulators(self) -> list[str]:
        seen = {a.agency for t in self.approved for a in t.condition_approvals if a.status == ApprovalStatus.ACTIVE}
        return [label for value, label in Agency.choices if value in seen]


def therapies_for_condition(condition: Condition) -> ConditionTherapies:
    """Two queries: linked or indicated published therapies, then their approvals for it."""
    therapies = list(
        Therapy.objects.published()
        .filter(Q(conditions=condition) | Q(approvals__indication=condition))
        .distinct()
        .select_related("category")
        .prefetch_related(Prefetch(
            "approvals",
            queryset=Approval.objects.filter(indication=condition).order_by("decided_on", "id"),
            to_attr="condition_approvals",
        ))
        .order_by("name", "id")
    )
    groups: dict[str, list[Therapy]] = {"approved": [], "withdrawn": [], "investigational": []}
    for therapy in therapies:
        statuses = {approval.status for approval in therapy.condition_approvals}
        if ApprovalStatus.ACTIVE in statuses:
            groups["approved"].append(therapy)
        elif statuses:
            groups["withdrawn"].append(therapy)
        else:
            groups["investigational"].append(therapy)
    return ConditionTherapies(**groups)


# --- home page figures ----------------------------------------------------------------
@dataclass
class ApprovalStats:
    products_by_agency: list[tuple[str, str, int]]  # (agency, label, products approved and active)
    years: list[int]
    agencies: list[tuple[str, str]]  # agencies present in the chart, in a fixed order
    per_year: dict[int, dict[str, int]]  # year -> agency -> approvals granted that year

    @property
    def max_per_year(self) -> int:
        return max((sum(counts.values()) for counts in self.per_year.values()), default=0)

    @cached_property
    def rows(self) -> list[tuple[int, list[int], int]]:
        """Table rows: year, count per agency (in `agencies` order), total."""
        rows = []
        for year in self.years:
            counts = [self.per_year.get(year, {}).get(code, 0) for code, _label in self.agencies]
            rows.append((year, counts, sum(counts)))
        return rows


def approval_stats() -> ApprovalStats:
    """Active products per regulator and approvals granted per year.

    Two grouped counts over every approval: computed once per content generation.
    """
    products, per_year = cached_for_generation("approval-stats", _approval_counts)
    labels = dict(Agency.choices)
    present = {agency for counts in per_year.values() for agency in counts}
    return ApprovalStats(
        products_by_agency=[(code, labels[code], products[code]) for code, _ in Agency.choices if code in products],
        years=list(range(min(per_year), max(per_year) + 1)) if per_year else [],
        agencies=[(code, label) for code, label in Agency.choices if code in present],
        per_year=per_year,
    )


def _approval_counts() -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    products = dict(
        visible_approvals().filter(status=ApprovalStatus.ACTIVE)
        .values_list("agency").annotate(n=Count("therapy", distinct=True)).order_by()
    )
    per_year: dict[int, dict[str, int]] = defaultdict(dict)
    for agency, year, n in (
        visible_approvals().annotate(year=ExtractYear("decided_on"))
        .values_list("agency", "year").annotate(n=Count("id")).order_by()
    ):
        per_year[year][agency] = n
    return products, dict(per_year)


def latest_approvals(limit: int = 6) -> list[Approval]:
    """Newest decisions with their therapy (home page, feed): once per content generation."""
    def compute():
        return list(visible_approvals().select_related("therapy").order_by("-decided_on", "-id")[:limit])

    return cached_for_generation(f"latest-approvals:{limit}", compute)


def status_is_published(obj) -> bool:
    return getattr(obj, "status", None) == EditorialStatus.PUBLISHED


def home_context() -> dict:
    """The therapies app's part of the home page (registered in `TherapiesConfig.ready`)."""
    return {
        "category_tree": category_tree(),
        "approval_stats": approval_stats(),
        "latest_approvals": latest_approvals(),
    }

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

from django.db.models import Count, F, FilteredRelation, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.functional import cached_property
from django.utils.translation import get_language

from portal import i18n
from portal.choices import EditorialStatus
from portal.generation import cached_for_generation
from portal.models import Reference
from portal.selectors import Links, Nested, Rows, cited_by, load_links, load_rows, set_prefetched
from therapies.choices import SAFETY_EVENTS, ApprovalStatus
from therapies.models import (
    Approval,
    ApprovalEvent,
    Condition,
    Mechanism,
    MechanismMolecule,
    Molecule,
    Therapy,
    TherapyCategory,
    TherapyMechanism,
    TherapyName,
)

# The policies app sits above this one (its documents link to therapies and categories), so
# its model is reached through the reverse relation it adds, never imported from here.
PolicyDocument = Therapy._meta.get_field("policies").related_model


def visible_approvals() -> QuerySet[Approval]:
    """Approvals are shown exactly when their therapy (and regulator) is published."""
    return Approval.objects.published()


def _approvals_prefetch() -> Prefetch:
    # Each with its derived status and its regulator, for the "approved by" badges.
    return Prefetch("approvals", queryset=Approval.objects.published().select_related("regulator"))


def therapy_cards(queryset: QuerySet[Therapy]) -> QuerySet[Therapy]:
    """Therapies for lists, with their approvals for the badges (one extra query)."""
    return queryset.prefetch_related(_approvals_prefetch())


def published_therapies() -> QuerySet[Therapy]:
    return therapy_cards(Therapy.objects.published()).order_by("name", "id")


def therapy_detail_queryset() -> QuerySet[Therapy]:
    """The therapy with its category and modality; `load_therapy_links` adds the rest."""
    return Therapy.objects.select_related("category", "modality")


REFERENCE_FIELDS = (
    "slug", "status", "kind", "title", "authors", "publisher", "year", "doi", "pmid", "url", "accessed_on",
)


# A therapy page for the public: the therapy with its category and modality, then the rest
# below, each read by one prepared statement.
THERAPY_PAGE = Rows(
    lambda slug: Therapy.objects.published().filter(slug=slug), Therapy,
    tuple(f.attname for f in Therapy._meta.concrete_fields),
    {"category": ("slug", "status", "name"), "modality": ("slug", "status", "name")},
)
THERAPY_APPROVALS = Rows(
    lambda pk: Approval.objects.published().filter(therapy=pk).order_by(F("decided_on").asc(nulls_last=True), "id"),
    Approval,
    tuple(f.attname for f in Approval._meta.concrete_fields if f.name != "internal_note"),
    {"condition": ("slug", "status", "name"), "regulator": ("slug", "status", "name", "abbreviation", "jurisdiction"),
     "reference": REFERENCE_FIELDS},
    annotations=("status",),
    nested=Nested("events", "listed_events", ApprovalEvent,
                  ("approval_id", "kind", "date", "date_precision", "details", "position"),
                  {"reference": REFERENCE_FIELDS}),
)
# Each mechanism link with the product's own published molecules in it (never the
# mechanism's every molecule), in one query.
THERAPY_MECHANISMS = Rows(
    lambda pk: TherapyMechanism.objects.filter(therapy=pk, mechanism__in=Mechanism.objects.published())
    .annotate(published_molecules=FilteredRelation(
        "molecules", condition=Q(molecules__status=EditorialStatus.PUBLISHED))),
    TherapyMechanism, ("therapy_id", "mechanism_id", "role", "position"), {"mechanism": ("slug", "status", "name")},
    nested=Nested("published_molecules", "product_molecules", Molecule, ("slug", "status", "symbol")),
)
THERAPY_REFERENCES = Rows(lambda pk: cited_by(Therapy, pk, Reference.objects.published()), Reference,
                          REFERENCE_FIELDS)
THERAPY_NAMES = Rows(lambda pk: TherapyName.objects.filter(therapy=pk), TherapyName,
                     ("therapy_id", "name", "kind", "position"))
THERAPY_LINKS = [
    Links("published_conditions", Condition, "therapies", ("name",)),
    Links("published_targets", Molecule, "targeted_by", ("symbol",)),
    Links("published_policies", PolicyDocument, "therapies", ("title",)),
    Links("published_products", Therapy, "modality", ("name",)),
]


def load_therapy_links(therapy: Therapy) -> Therapy:
    """Approvals with their events, mechanisms with the product's molecules, references, other
    names, and the conditions, targets, policies and products in one query: five prepared
    statements whatever the therapy."""
    approvals = load_rows("therapy-approvals", THERAPY_APPROVALS, therapy.pk)
    for approval in approvals:
        approval._state.fields_cache["therapy"] = therapy
        approval.listed_events.sort(key=lambda event: (event.date, event.position, event.pk))
    set_prefetched(therapy, "approvals", approvals)
    therapy.safety_events = sorted(
        ((approval, event) for approval in approvals for event in approval.listed_events
         if event.kind in SAFETY_EVENTS),
        key=lambda pair: (pair[1].date, pair[1].pk),
    )
    therapy.published_mechanism_links = load_rows("therapy-mechanisms", THERAPY_MECHANISMS, therapy.pk)
    for link in therapy.published_mechanism_links:
        link.product_molecules.sort(key=lambda molecule: molecule.symbol)
    therapy.published_references = load_rows("therapy-references", THERAPY_REFERENCES, therapy.pk)
    therapy.published_other_names = load_rows("therapy-names", THERAPY_NAMES, therapy.pk)
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
    return Condition.objects.select_related("parent").prefetch_related(
        Prefetch("references", queryset=_published_references(), to_attr="published_references"),
    )


@dataclass(frozen=True)
class ConditionTree:
    """The published conditions' tree (ids and the children to link to), once per content
    generation and language: it is small and changes only with the content."""

    children: dict[int | None, list[Condition]]

    def subtree_ids(self, condition: Condition) -> list[int]:
        found, stack = [], [condition.pk]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.append(pk)
                stack.extend(child.pk for child in self.children.get(pk, []))
        return found


def condition_tree() -> ConditionTree:
    def compute():
        children: dict[int | None, list[Condition]] = defaultdict(list)
        for condition in Condition.objects.published().only("id", "slug", "status", "name", "parent_id"):
            children[condition.parent_id].append(condition)
        return ConditionTree(dict(children))

    return cached_for_generation(f"condition-tree:{get_language()}", compute)


@dataclass
class ProductApprovals:
    """One product's approvals for a condition (or a narrower one), by regulator."""

    therapy: Therapy
    approvals: list[Approval]

    @property
    def by_regulator(self) -> list[tuple[object, list[Approval]]]:
        groups: dict[int, list[Approval]] = {}
        for approval in self.approvals:
            groups.setdefault(approval.regulator_id, []).append(approval)
        return [(approvals[0].regulator, approvals) for approvals in groups.values()]

    @property
    def active(self) -> list[Approval]:
        return [approval for approval in self.approvals if approval.is_active]


@dataclass
class ConditionAnswer:
    """Answers "is there an approved cell therapy for this, and where?".

    `verdict` is one of APPROVED ("Approved in ... for ..."), NO_LONGER ("Was approved, no
    longer"), INVESTIGATIONAL ("Under investigation only") or NOTHING ("Nothing recorded").
    Only an approval in force counts as approved; one with no condition linked counts
    nowhere and is listed in `unlinked` for editors.
    """

    APPROVED = "approved"
    NO_LONGER = "no_longer"
    INVESTIGATIONAL = "investigational"
    NOTHING = "nothing"

    approved: list[ProductApprovals]  # at least one approval in force
    no_longer: list[ProductApprovals]  # approved once, none in force now
    investigational: list[Therapy]  # linked to the condition, never approved for it
    unlinked: list[Approval]  # approvals of those products naming no condition: a data problem

    @property
    def verdict(self) -> str:
        if self.approved:
            return self.APPROVED
        if self.no_longer:
            return self.NO_LONGER
        return self.INVESTIGATIONAL if self.investigational else self.NOTHING

    @property
    def regulators(self) -> list:
        """Regulators with an approval in force, each once, in the order first approved."""
        seen: dict[int, object] = {}
        for product in self.approved:
            for approval in product.active:
                seen.setdefault(approval.regulator_id, approval.regulator)
        return list(seen.values())


def condition_answer(condition: Condition) -> ConditionAnswer:
    """The one function behind every condition page's answer: two queries, the approvals for
    the condition or a narrower one (with those of its products that name no condition), and
    the products linked to it that were never approved for it."""
    subtree = condition_tree().subtree_ids(condition)
    linked = Therapy.objects.published().filter(conditions__in=subtree)
    approvals = list(
        visible_approvals().filter(Q(condition__in=subtree) | Q(condition=None, therapy__in=linked))
        .select_related("therapy", "therapy__category", "regulator", "condition")
        .order_by("therapy__name", "therapy_id", F("decided_on").asc(nulls_last=True), "id")
    )
    by_therapy: dict[int, ProductApprovals] = {}
    unlinked = []
    for approval in approvals:
        if approval.condition_id is None:
            unlinked.append(approval)
            continue
        by_therapy.setdefault(approval.therapy_id, ProductApprovals(approval.therapy, [])).approvals.append(approval)
    investigational = list(
        linked.exclude(pk__in=list(by_therapy)).distinct().select_related("category").order_by("name", "id")
    )
    return ConditionAnswer(
        approved=[product for product in by_therapy.values() if product.active],
        no_longer=[product for product in by_therapy.values() if not product.active],
        investigational=investigational, unlinked=unlinked,
    )


# --- home page figures ----------------------------------------------------------------
@dataclass
class ApprovalStats:
    products_by_regulator: list[tuple[str, str, int]]  # (slug, label, products with an approval in force)
    years: list[int]
    regulators: list[tuple[str, str]]  # regulators present in the chart, in a fixed order
    per_year: dict[int, dict[str, int]]  # year -> regulator slug -> approvals granted that year

    @property
    def max_per_year(self) -> int:
        return max((sum(counts.values()) for counts in self.per_year.values()), default=0)

    @cached_property
    def rows(self) -> list[tuple[int, list[int], int]]:
        """Table rows: year, count per regulator (in `regulators` order), total."""
        rows = []
        for year in self.years:
            counts = [self.per_year.get(year, {}).get(code, 0) for code, _label in self.regulators]
            rows.append((year, counts, sum(counts)))
        return rows


def approval_stats() -> ApprovalStats:
    """Products in force per regulator and approvals granted per year.

    Grouped counts over every approval: computed once per content generation and language.
    """
    return cached_for_generation(f"approval-stats:{get_language()}", _approval_stats)


def _approval_stats() -> ApprovalStats:
    label_columns = [*i18n.columns("abbreviation", "regulator__"), *i18n.columns("name", "regulator__")]
    labels: dict[str, str] = {}
    per_year: dict[int, dict[str, int]] = defaultdict(dict)
    for slug, year, n, *names in (
        visible_approvals().annotate(year=ExtractYear("decided_on")).order_by().rewrite(False)
        .values_list("regulator__slug", "year").annotate(n=Count("id")).values_list(
            "regulator__slug", "year", "n", *label_columns)
    ):
        labels[slug] = _label(names)
        if year is not None:  # a decision whose date no source gives counts in no year
            per_year[year][slug] = n
    products = dict(
        visible_approvals().filter(status=ApprovalStatus.ACTIVE).order_by()
        .values_list("regulator__slug").annotate(n=Count("therapy", distinct=True))
    )
    regulators = sorted(labels.items(), key=lambda item: item[1].casefold())
    return ApprovalStats(
        products_by_regulator=[(slug, label, products[slug]) for slug, label in regulators if slug in products],
        years=list(range(min(per_year), max(per_year) + 1)) if per_year else [],
        regulators=regulators,
        per_year=dict(per_year),
    )


def _label(names) -> str:
    """A regulator's abbreviation in the active language, else in English, else its name."""
    languages = len(i18n.suffixes())
    abbreviations, full_names = names[:languages], names[languages:]
    index = i18n.suffixes().index(i18n.suffix())
    return (abbreviations[index] or abbreviations[0] or full_names[index] or full_names[0] or "")


def regulator_coverage_lines() -> list[str]:
    """Published products and approvals per regulator, and how many approvals are in force,
    as `load_curated` prints them: for curators to hold against each regulator's own list."""
    rows = (
        visible_approvals().order_by().values("regulator__slug")
        .annotate(products=Count("therapy", distinct=True), approvals=Count("id"),
                  in_force=Count("id", filter=Q(status=ApprovalStatus.ACTIVE)))
        .order_by("-approvals", "regulator__slug")
    )
    return ["per regulator (products, approvals, in force):", *(
        f"  {row['regulator__slug']}: {row['products']}, {row['approvals']}, {row['in_force']}" for row in rows)]


def latest_approvals(limit: int = 6) -> list[Approval]:
    """Newest decisions with their therapy (home page, feed): once per content generation."""
    def compute():
        return list(
            visible_approvals().exclude(decided_on=None).select_related("therapy", "regulator", "condition")
            .order_by("-decided_on", "-id")[:limit]
        )

    return cached_for_generation(f"latest-approvals:{limit}", compute)


def approvals_of_regulator(regulator) -> list[Approval]:
    """A regulator's published decisions, newest first, with product and condition: one query."""
    return list(
        visible_approvals().filter(regulator=regulator).select_related("therapy", "condition", "regulator")
        .order_by(F("decided_on").desc(nulls_last=True), "-id")
    )


def status_is_published(obj) -> bool:
    return getattr(obj, "status", None) == EditorialStatus.PUBLISHED


def home_context() -> dict:
    """The therapies app's part of the home page (registered in `TherapiesConfig.ready`)."""
    return {
        "category_tree": category_tree(),
        "approval_stats": approval_stats(),
        "latest_approvals": latest_approvals(),
    }

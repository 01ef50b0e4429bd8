"""Therapy categories, therapies and products, approvals, conditions, mechanisms, molecules."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import DatePrecision
from portal.dates import display_partial_date, iso_partial_date, partial_date_error
from portal.models import EditorialModel, EditorialQuerySet
from portal.validators import validate_hgnc, validate_icd10, validate_mesh, validate_ncbi_gene, validate_uniprot
from therapies.choices import (
    AGENCY_JURISDICTION,
    Agency,
    ApprovalStatus,
    ApprovalType,
    CellSource,
    DevelopmentStage,
    MechanismEffect,
    MoleculeKind,
    TherapyKind,
)


def _references_field():
    return models.ManyToManyField(
        "portal.Reference", blank=True, related_name="+", verbose_name=_("references")
    )


class TherapyCategoryQuerySet(EditorialQuerySet):
    def roots(self):
        return self.filter(parent=None)

    def with_published_children(self):
        """Prefetch published sub-categories into `published_children` (one query)."""
        return self.prefetch_related(
            models.Prefetch("children", queryset=self.model.objects.published(), to_attr="published_children")
        )

    def descendant_ids(self, root) -> list[int]:
        """Ids of `root` and every category below it, in one query for the whole tree."""
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in self.model.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = [], [root.pk]
        while stack:
            pk = stack.pop()
            found.append(pk)
            stack.extend(children.get(pk, []))
        return found


class TherapyCategory(EditorialModel):
    """A node in the tree: Cell therapy > Immune cell therapy > CAR-T."""

    public_url_name = "therapies:category-detail"
    public_list_url_name = "therapies:category-list"
    data_file = "categories.yaml"
    markdown_fields = ("description",)

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Plain-language Markdown."))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order among siblings."))
    mesh_id = models.CharField(_("MeSH ID"), max_length=12, blank=True, validators=[validate_mesh])
    references = _references_field()

    objects = TherapyCategoryQuerySet.as_manager()

    class Meta(EditorialModel.Meta):
        ordering = ["position", "name", "id"]
        verbose_name = _("therapy category")
        verbose_name_plural = _("therapy categories")

    def clean(self):
        super().clean()
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A category cannot be its own parent.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("This parent would make a cycle in the category tree.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Molecule(EditorialModel):
    """A bioactive molecule, antigen or receptor, with the identifiers that pin it down."""

    slug_source_field = "symbol"
    public_url_name = "therapies:molecule-detail"
    public_list_url_name = "therapies:molecule-list"
    data_file = "molecules.yaml"
    markdown_fields = ("description",)

    symbol = models.CharField(_("symbol"), max_length=40, help_text=_("HGNC symbol, e.g. IGF1."))
    name = models.CharField(_("full name"), max_length=200)
    aliases = models.CharField(_("aliases"), max_length=200, blank=True, help_text=_("e.g. IGF-I, VEGF."))
    kind = models.CharField(_("kind"), max_length=24, choices=MoleculeKind.choices, default=MoleculeKind.OTHER)
    description = models.TextField(_("role"), blank=True, help_text=_("What it does, in Markdown."))
    uniprot = models.CharField(_("UniProt accession"), max_length=10, blank=True, validators=[validate_uniprot])
    hgnc_id = models.CharField(_("HGNC ID"), max_length=12, blank=True, validators=[validate_hgnc])
    ncbi_gene_id = models.CharField(_("NCBI Gene ID"), max_length=12, blank=True, validators=[validate_ncbi_gene])
    references = _references_field()

    class Meta(EditorialModel.Meta):
        ordering = ["symbol", "id"]
        verbose_name = _("molecule")
        verbose_name_plural = _("molecules")

    def __str__(self) -> str:
        return self.symbol


class Condition(EditorialModel):
    """A disease or indication, coded in WHO ICD-10, ICD-10-CM and MeSH where known."""

    public_url_name = "therapies:condition-detail"
    public_list_url_name = "therapies:condition-list"
    data_file = "conditions.yaml"
    markdown_fields = ("description",)

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    icd10 = models.CharField(_("ICD-10 (WHO)"), max_length=10, blank=True, validators=[validate_icd10])
    icd10_cm = models.CharField(_("ICD-10-CM"), max_length=10, blank=True, validators=[validate_icd10])
    mesh_id = models.CharField(_("MeSH ID"), max_length=12, blank=True, validators=[validate_mesh])
    references = _references_field()

    class Meta(EditorialModel.Meta):
        ordering = ["name", "id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")


class Mechanism(EditorialModel):
    """How a cell therapy acts: homing, paracrine signalling, targeted killing..."""

    public_url_name = "therapies:mechanism-detail"
    public_list_url_name = "therapies:mechanism-list"
    data_file = "mechanisms.yaml"
    markdown_fields = ("body",)
    inline_children = ("molecule_links",)

    name = models.CharField(_("name"), max_length=200)
    effect = models.CharField(
        _("effect"), max_length=16, choices=MechanismEffect.choices, default=MechanismEffect.THERAPEUTIC
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("For a lay reader."))
    body = models.TextField(_("body"), blank=True, help_text=_("For a specialist, in Markdown."))
    mesh_id = models.CharField(_("MeSH ID"), max_length=12, blank=True, validators=[validate_mesh])
    molecules = models.ManyToManyField(
        Molecule, through="MechanismMolecule", blank=True, related_name="mechanisms", verbose_name=_("molecules")
    )
    references = _references_field()

    class Meta(EditorialModel.Meta):
        ordering = ["name", "id"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")


class MechanismMolecule(models.Model):
    """The part a molecule plays in a mechanism, in words."""

    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="molecule_links")
    molecule = models.ForeignKey(Molecule, on_delete=models.CASCADE, related_name="mechanism_links")
    role = models.CharField(_("role"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("molecule in mechanism")
        verbose_name_plural = _("molecules in mechanism")
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "molecule"],
                name="unique_mechanism_molecule",
                violation_error_message=_("This molecule is already linked to the mechanism."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.molecule} in {self.mechanism}"


class Therapy(EditorialModel):
    """A modality (e.g. autologous CD19 CAR-T) or a named product (e.g. Kymriah)."""

    public_url_name = "therapies:therapy-detail"
    public_list_url_name = "therapies:therapy-list"
    data_file = "therapies.yaml"
    markdown_fields = ("body",)
    inline_children = ("approvals", "mechanism_links")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=TherapyKind.choices, default=TherapyKind.PRODUCT)
    category = models.ForeignKey(
        TherapyCategory, on_delete=models.PROTECT, related_name="therapies", verbose_name=_("category")
    )
    modality = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="products",
        limit_choices_to={"kind": TherapyKind.MODALITY}, verbose_name=_("modality"),
        help_text=_("For a product: the modality it is an instance of."),
    )
    generic_name = models.CharField(_("generic name (INN)"), max_length=200, blank=True)
    developer = models.CharField(_("developer"), max_length=200, blank=True)
    cell_type = models.CharField(_("cell type"), max_length=200, blank=True)
    cell_source = models.CharField(_("cell source"), max_length=16, choices=CellSource.choices, blank=True)
    stage = models.CharField(_("development stage"), max_length=16, choices=DevelopmentStage.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    target_molecules = models.ManyToManyField(
        Molecule, blank=True, related_name="targeted_by", verbose_name=_("target antigens")
    )
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="therapies", verbose_name=_("conditions")
    )
    mechanisms = models.ManyToManyField(
        Mechanism, through="TherapyMechanism", blank=True, related_name="therapies", verbose_name=_("mechanisms")
    )
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    references = _references_field()

    class Meta(EditorialModel.Meta):
        ordering = ["name", "id"]
        # The lists' orders, so a page never sorts the table: by name (modeltranslation sorts
        # by the reader's language), and the API's other `ordering` keys with the id after them.
        indexes = [
            models.Index(fields=["name_en", "id"], name="therapy_list_order"),
            models.Index(fields=["name_zh_hans", "id"], name="therapy_list_order_zh"),
            models.Index(fields=["stage", "id"], name="therapy_stage_order"),
            models.Index(fields=["updated_at", "id"], name="therapy_updated_order"),
        ]
        verbose_name = _("therapy")
        verbose_name_plural = _("therapies")

    def clean(self):
        super().clean()
        if self.modality_id and self.modality_id == self.pk:
            raise ValidationError({"modality": _("A therapy cannot be its own modality.")})
        if self.kind == TherapyKind.MODALITY and self.modality_id:
            raise ValidationError({"modality": _("Only a product belongs to a modality.")})


class TherapyMechanism(models.Model):
    """How one therapy relies on one mechanism, in words."""

    therapy = models.ForeignKey(Therapy, on_delete=models.CASCADE, related_name="mechanism_links")
    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="therapy_links")
    role = models.CharField(_("role"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("mechanism of therapy")
        verbose_name_plural = _("mechanisms of therapy")
        constraints = [
            models.UniqueConstraint(
                fields=["therapy", "mechanism"],
                name="unique_therapy_mechanism",
                violation_error_message=_("This mechanism is already linked to the therapy."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.mechanism} in {self.therapy}"


class Approval(models.Model):
    """A regulator's decision on a therapy. Visible exactly when its therapy is."""

    therapy = models.ForeignKey(Therapy, on_delete=models.CASCADE, related_name="approvals")
    agency = models.CharField(_("agency"), max_length=16, choices=Agency.choices)
    decided_on = models.DateField(_("decision date"))
    decided_on_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    approval_type = models.CharField(_("approval type"), max_length=32, choices=ApprovalType.choices, blank=True)
    indication = models.ForeignKey(
        Condition, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals",
        verbose_name=_("indication"),
    )
    indication_text = models.TextField(_("indication as approved"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.ACTIVE
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_on_precision = models.CharField(
        _("withdrawal date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    reference = models.ForeignKey(
        "portal.Reference", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reference"),
    )

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes = [models.Index(fields=["agency", "decided_on"], name="approval_agency_date")]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} {self.decided_on_display}"

    def clean(self):
        super().clean()
        errors = {}
        for field in ("decided_on", "withdrawn_on"):
            error = partial_date_error(getattr(self, field), getattr(self, f"{field}_precision"))
            if error:
                errors[field] = error
        if self.withdrawn_on and self.decided_on and self.withdrawn_on < self.decided_on:
            errors["withdrawn_on"] = _("The withdrawal cannot come before the decision.")
        if self.status == ApprovalStatus.WITHDRAWN and not self.withdrawn_on:
            errors.setdefault("withdrawn_on", _("Give the withdrawal date (its month or year is enough)."))
        if errors:
            raise ValidationError(errors)

    @property
    def jurisdiction(self) -> str:
        return AGENCY_JURISDICTION[self.agency]

    @property
    def decided_on_iso(self) -> str | None:
        return iso_partial_date(self.decided_on, self.decided_on_precision)

    @property
    def decided_on_display(self) -> str:
        return display_partial_date(self.decided_on, self.decided_on_precision)

    @property
    def withdrawn_on_display(self) -> str:
        return display_partial_date(self.withdrawn_on, self.withdrawn_on_precision)

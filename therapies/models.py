"""Therapy categories, therapies and products, approvals, conditions, mechanisms, molecules."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.choices import DatePrecision
from portal.dates import display_partial_date, machine_partial_date, partial_date_error
from portal.models import EditorialModel, EditorialQuerySet, TextRules, TreeQuerySet, parent_cycle_error
from portal.validators import validate_hgnc, validate_icd10, validate_mesh, validate_ncbi_gene, validate_uniprot
from therapies.choices import (
    STATUS_AFTER_EVENT,
    ApprovalStatus,
    CellSource,
    DevelopmentStage,
    EventKind,
    MechanismEffect,
    MoleculeKind,
    NameKind,
    Pathway,
    TherapyKind,
)


def _references_field():
    return models.ManyToManyField(
        "portal.Reference", blank=True, related_name="+", verbose_name=_("references")
    )


class TherapyCategoryQuerySet(TreeQuerySet):
    def with_published_children(self):
        """Prefetch published sub-categories into `published_children` (one query)."""
        return self.prefetch_related(
            models.Prefetch("children", queryset=self.model.objects.published(), to_attr="published_children")
        )


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
        error = parent_cycle_error(self)
        if error:
            raise ValidationError({"parent": error})


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
    """A disease or indication, coded in WHO ICD-10, ICD-10-CM and MeSH where known.

    Conditions form a tree: an approval for a narrower condition (large B-cell lymphoma)
    counts on its broader parent's page (B-cell lymphoma), never on a sibling's.
    """

    public_url_name = "therapies:condition-detail"
    public_list_url_name = "therapies:condition-list"
    data_file = "conditions.yaml"
    markdown_fields = ("description",)

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("broader condition"),
        help_text=_("The condition this one is a kind of. Approvals here count on its page too."),
    )
    description = models.TextField(_("description"), blank=True)
    icd10 = models.CharField(_("ICD-10 (WHO)"), max_length=10, blank=True, validators=[validate_icd10])
    icd10_cm = models.CharField(_("ICD-10-CM"), max_length=10, blank=True, validators=[validate_icd10])
    mesh_id = models.CharField(_("MeSH ID"), max_length=12, blank=True, validators=[validate_mesh])
    references = _references_field()

    objects = TreeQuerySet.as_manager()

    class Meta(EditorialModel.Meta):
        ordering = ["name", "id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def clean(self):
        super().clean()
        error = parent_cycle_error(self)
        if error:
            raise ValidationError({"parent": error})


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


class MechanismMolecule(TextRules, models.Model):
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
    inline_children = ("approvals", "mechanism_links", "other_names")

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
    stage = models.CharField(
        _("development stage"), max_length=16, choices=DevelopmentStage.choices, blank=True,
        help_text=_("Set from the approvals where the product has any (approved while one is active)."),
    )
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

    def save(self, *args, **kwargs):
        if self.pk:
            self.stage = stage_from_approvals([self.pk]).get(self.pk, self.stage)
        super().save(*args, **kwargs)


def stage_from_approvals(therapy_ids) -> dict[int, str]:
    """The stage each therapy's approvals give it, for those that have any: approved while
    one is active, no longer approved once none is. A regulator still in draft counts for
    nothing yet: its decisions are not public, so neither is what they imply."""
    stages: dict[int, str] = {}
    approvals = Approval.objects.filter(EditorialQuerySet.published_condition("regulator__"), therapy__in=therapy_ids)
    for therapy_id, status in approvals.values_list("therapy_id", "status"):
        if status == ApprovalStatus.ACTIVE or therapy_id not in stages:
            active = status == ApprovalStatus.ACTIVE
            stages[therapy_id] = DevelopmentStage.APPROVED if active else DevelopmentStage.WITHDRAWN
    return stages


def refresh_stages(therapy_ids) -> None:
    """Store the stage the approvals give (after an approval or one of its events changed):
    one update per stage, however many therapies (a regulator's save refreshes all of its)."""
    by_stage: dict[str, list[int]] = {}
    for therapy_id, stage in stage_from_approvals(therapy_ids).items():
        by_stage.setdefault(stage, []).append(therapy_id)
    for stage, ids in by_stage.items():
        Therapy.objects.filter(pk__in=ids).exclude(stage=stage).update(stage=stage)


class TherapyName(TextRules, models.Model):
    """A name readers search a product by besides its trade and generic names: a former
    name or a development code (CTL019, JCAR017, bb2121)."""

    therapy = models.ForeignKey(Therapy, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=NameKind.choices, default=NameKind.CODE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [
            models.UniqueConstraint(
                fields=["therapy", "name"], name="unique_therapy_name",
                violation_error_message=_("This name is already listed for the therapy."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class TherapyMechanism(TextRules, models.Model):
    """How one therapy relies on one mechanism, in words."""

    therapy = models.ForeignKey(Therapy, on_delete=models.CASCADE, related_name="mechanism_links")
    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="therapy_links")
    role = models.CharField(_("role"), max_length=500, blank=True)
    # The product's own molecules in this mechanism (Kymriah: CD19, CD3ζ, 4-1BB), never
    # every molecule the mechanism involves in general.
    molecules = models.ManyToManyField(
        Molecule, blank=True, related_name="therapy_mechanism_links", verbose_name=_("molecules of this product"),
    )
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


# The last day of a partial date's period, roughly (a month as its 28th day): an event known
# only to its year may have happened after another dated within that year, so "latest"
# compares periods by their end, then the editors' order.
PERIOD_LENGTH = {DatePrecision.YEAR: 364, DatePrecision.QUARTER: 89, DatePrecision.MONTH: 27}


def period_end_expression():
    return models.Case(
        *(models.When(date_precision=precision, then=models.ExpressionWrapper(
            models.F("date") + datetime.timedelta(days=days), output_field=models.DateField()))
          for precision, days in PERIOD_LENGTH.items()),
        default=models.F("date"), output_field=models.DateField(),
    )


def status_expression():
    """An approval's status in SQL: what its latest status-setting event made it
    (`STATUS_AFTER_EVENT`), active when there is none. The one place the rule is applied."""
    latest = (
        ApprovalEvent.objects.filter(approval=models.OuterRef("pk"), kind__in=list(STATUS_AFTER_EVENT))
        .annotate(period_end=period_end_expression())
        .order_by("-period_end", "-position", "-id")
        .annotate(after=models.Case(
            *(models.When(kind=kind, then=models.Value(str(status))) for kind, status in STATUS_AFTER_EVENT.items()),
            output_field=models.CharField(),
        ))
        .values("after")[:1]
    )
    return Coalesce(
        models.Subquery(latest, output_field=models.CharField()), models.Value(str(ApprovalStatus.ACTIVE)),
    )


class ApprovalQuerySet(models.QuerySet):
    """Approvals are public exactly when their therapy and their regulator are."""

    def published(self):
        return self.filter(EditorialQuerySet.published_condition("therapy__"),
                           EditorialQuerySet.published_condition("regulator__"))

    def visible_to(self, user):
        return self if Therapy.user_sees_drafts(user) else self.published()


class ApprovalManager(models.Manager.from_queryset(ApprovalQuerySet)):
    def get_queryset(self):
        # Every approval read carries its derived `status`, so it filters and shows like a column.
        return super().get_queryset().annotate(status=status_expression())


class Approval(TextRules, models.Model):
    """One regulator's decision on one therapy for one indication.

    Its status is not stored: it follows from its events (`status_expression`), read as the
    `status` attribute of every approval loaded through `Approval.objects`.
    """

    inline_children = ("events",)
    derived_choices = {"status": ApprovalStatus}
    # Public with its therapy: its history and the change feed read the therapy's status.
    history_parent = "therapy"

    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, blank=True,
        help_text=_("Part of the API URL; made from the therapy, regulator, condition and year when left empty."),
    )
    therapy = models.ForeignKey(Therapy, on_delete=models.CASCADE, related_name="approvals")
    regulator = models.ForeignKey(
        "policies.Authority", on_delete=models.PROTECT, related_name="approvals",
        limit_choices_to={"is_regulator": True}, verbose_name=_("regulator"),
    )
    condition = models.ForeignKey(
        Condition, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals",
        verbose_name=_("condition"),
        help_text=_("The condition of the indication. Without one, the approval counts on no condition page."),
    )
    indication_text = models.TextField(
        _("indication as approved"), blank=True,
        help_text=_("The label's words: population, line of therapy, restrictions."),
    )
    pathway = models.CharField(_("pathway"), max_length=32, choices=Pathway.choices, blank=True, default="")
    decided_on = models.DateField(
        _("decision date"), null=True, blank=True,
        help_text=_("Left empty when no source confirms it; say so in the internal note."),
    )
    decided_on_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    reference = models.ForeignKey(
        "portal.Reference", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reference"), help_text=_("The regulator's own record where there is one."),
    )
    internal_note = models.TextField(_("internal note"), blank=True, default="", help_text=_("For editors only."))

    objects = ApprovalManager()

    class Meta:
        # Undated decisions last, on every database.
        ordering = [models.F("decided_on").asc(nulls_last=True), "id"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        indexes = [models.Index(fields=["regulator", "decided_on"], name="approval_regulator_date")]

    def __str__(self) -> str:
        return f"{self.regulator} {self.decided_on_display}"

    def save(self, *args, **kwargs):
        self.ensure_slug()
        super().save(*args, **kwargs)

    def default_slug(self) -> str:
        parts = [
            self.therapy.slug if self.therapy_id else "approval",
            self.regulator.slug if self.regulator_id else "",
            self.condition.slug if self.condition_id else "",
            str(self.decided_on.year) if self.decided_on else "",
        ]
        return slugify("-".join(part for part in parts if part).replace("_", "-"))[:190]

    def ensure_slug(self, taken: set[str] | None = None) -> None:
        """A slug made from what the approval is. `taken`: slugs of the sibling rows being
        written with it (the loader replaces a therapy's approvals as a whole)."""
        if self.slug:
            return
        others = Approval._base_manager.exclude(pk=self.pk)
        if taken is not None:
            others = others.exclude(therapy=self.therapy_id)
        base = self.default_slug()
        candidate, counter = base, 2
        while (taken is not None and candidate in taken) or others.filter(slug=candidate).exists():
            candidate, counter = f"{base}-{counter}", counter + 1
        self.slug = candidate

    def clean_fields(self, exclude=None):
        if self.therapy_id and self.regulator_id:
            self.ensure_slug()
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        errors = {}
        error = partial_date_error(self.decided_on, self.decided_on_precision)
        if error:
            errors["decided_on"] = error
        if self.regulator_id and not self.regulator.is_regulator:
            errors["regulator"] = _("%(name)s is not marked as a regulator.") % {"name": self.regulator}
        if errors:
            raise ValidationError(errors)

    @property
    def jurisdiction(self) -> str:
        return self.regulator.jurisdiction

    # An approval is seen by whoever sees its therapy (the readers' rules of EditorialModel).
    @classmethod
    def user_sees_drafts(cls, user) -> bool:
        return Therapy.user_sees_drafts(user)

    @property
    def decided_on_iso(self) -> str | None:
        return machine_partial_date(self.decided_on, self.decided_on_precision)

    @property
    def decided_on_display(self) -> str:
        return display_partial_date(self.decided_on, self.decided_on_precision)

    @property
    def is_active(self) -> bool:
        return getattr(self, "status", None) == ApprovalStatus.ACTIVE


def regulator_model():
    """The regulators' model (policies.Authority), through the approval's foreign key: the
    policies app sits above this one, so it is never imported here. Call once apps are ready."""
    return Approval._meta.get_field("regulator").related_model


class ApprovalEvent(TextRules, models.Model):
    """Something that happened to an approval after the decision, dated and cited."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    details = models.TextField(_("details"), blank=True, help_text=_("What changed, for the reader."))
    reference = models.ForeignKey(
        "portal.Reference", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reference"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order among same-day events."))

    class Meta:
        ordering = ["date", "position", "id"]
        verbose_name = _("approval event")
        verbose_name_plural = _("approval events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date_display}"

    def clean(self):
        super().clean()
        errors = {}
        error = partial_date_error(self.date, self.date_precision)
        if error:
            errors["date"] = error
        elif self.date and self.date > timezone.localdate():
            errors["date"] = _("Record an event once it has happened.")
        else:
            # The loader validates an event beside its approval, before either is saved.
            approval = self.approval if self.approval_id or "approval" in self._state.fields_cache else None
            if self.date and approval is not None and approval.decided_on and self.date < approval.decided_on:
                errors["date"] = _("An event cannot come before the decision it follows.")
        if errors:
            raise ValidationError(errors)

    @property
    def date_iso(self) -> str | None:
        return machine_partial_date(self.date, self.date_precision)

    @property
    def date_display(self) -> str:
        return display_partial_date(self.date, self.date_precision)

"""Issuing authorities and the policy documents they publish."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from policies.choices import AuthorityLevel, DocumentType, LegalStatus
from portal.choices import DatePrecision, Jurisdiction
from portal.dates import display_partial_date, machine_partial_date, partial_date_error
from portal.models import EditorialModel, TextRules


class Authority(EditorialModel):
    """A body that issues policy: a ministry, a regulator, a legislature.

    A regulator (`is_regulator`) also decides on products: its approvals and its documents
    are listed on the same page. Adding one is an edit in the admin, not a code change.
    """

    public_url_name = "policies:authority-detail"
    public_list_url_name = "policies:authority-list"
    data_file = "authorities.yaml"
    markdown_fields = ("description",)

    name = models.CharField(_("name"), max_length=255)
    abbreviation = models.CharField(_("abbreviation"), max_length=40, blank=True)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=8, choices=Jurisdiction.choices)
    level = models.CharField(_("level"), max_length=16, choices=AuthorityLevel.choices)
    website = models.URLField(_("website"), blank=True)
    is_regulator = models.BooleanField(
        _("medicines regulator"), default=False,
        help_text=_("Decides on marketing authorisations; approvals can name it."),
    )
    description = models.TextField(_("description"), blank=True)
    references = models.ManyToManyField("portal.Reference", blank=True, related_name="+", verbose_name=_("references"))

    class Meta(EditorialModel.Meta):
        ordering = ["name", "id"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")


class PolicyDocument(EditorialModel):
    """A law, regulation, plan, guideline, standard or notice that governs cell therapy.

    `status` (inherited) is the editorial workflow; `legal_status` says whether the
    document itself is in force.
    """

    slug_source_field = "title"
    public_url_name = "policies:policy-detail"
    public_list_url_name = "policies:policy-list"
    data_file = "policies.yaml"
    markdown_fields = ("body",)
    inline_children = ("provisions",)

    title = models.CharField(_("title"), max_length=500)
    title_original = models.CharField(
        _("original title"), max_length=500, blank=True, help_text=_("As issued, in the original language.")
    )
    document_number = models.CharField(
        _("document number"), max_length=120, blank=True, help_text=_("e.g. 国卫科教发〔2015〕48号")
    )
    authorities = models.ManyToManyField(Authority, related_name="documents", verbose_name=_("issuing authorities"))
    doc_type = models.CharField(_("document type"), max_length=24, choices=DocumentType.choices)
    legal_status = models.CharField(
        _("legal status"), max_length=24, choices=LegalStatus.choices, default=LegalStatus.IN_FORCE
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_on_precision = models.CharField(
        _("issue date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    effective_on_precision = models.CharField(
        _("effective date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    source_url = models.URLField(_("link to the original"), max_length=1000, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    categories = models.ManyToManyField(
        "therapies.TherapyCategory", blank=True, related_name="policies", verbose_name=_("therapy categories")
    )
    therapies = models.ManyToManyField(
        "therapies.Therapy", blank=True, related_name="policies", verbose_name=_("therapies")
    )
    references = models.ManyToManyField("portal.Reference", blank=True, related_name="+", verbose_name=_("references"))

    class Meta(EditorialModel.Meta):
        # Newest first, undated last; the English title breaks ties in both languages, so one
        # index (policy_list_order) serves every list without sorting the table.
        ordering = [models.F("issued_on").desc(nulls_last=True), "title_en", "id"]
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        indexes = [
            models.Index(fields=["issued_on"], name="policy_issued_on"),
            # The API's other `ordering` keys, each with the id after it (StableOrderingFilter).
            models.Index(fields=["title_en", "id"], name="policy_title_order"),
            models.Index(fields=["title_zh_hans", "id"], name="policy_title_order_zh"),
            models.Index(fields=["effective_on", "id"], name="policy_effective_order"),
            models.Index(fields=["updated_at", "id"], name="policy_updated_order"),
            # Meta.ordering is served by "policy_list_order", created on PostgreSQL only by
            # migration 0003 (SQLite cannot index NULLS LAST, and needs no index at its scale).
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_on__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(effective_on__gte=models.F("issued_on")),
                name="policy_effective_not_before_issued",
                violation_error_message=_("The effective date cannot be before the issue date."),
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        for field in ("issued_on", "effective_on"):
            error = partial_date_error(getattr(self, field), getattr(self, f"{field}_precision"))
            if error:
                errors[field] = error
        if self.issued_on and self.effective_on and self.effective_on < self.issued_on:
            errors["effective_on"] = _("The effective date cannot be before the issue date.")
        if self.pk and self.supersedes_id == self.pk:
            errors["supersedes"] = _("A document cannot supersede itself.")
        elif self.pk:
            older, seen = self.supersedes, set()
            while older is not None and older.pk not in seen:
                if older.pk == self.pk:
                    errors["supersedes"] = _("This would make a loop of documents superseding each other.")
                    break
                seen.add(older.pk)
                older = older.supersedes
        if errors:
            raise ValidationError(errors)

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({authority.jurisdiction for authority in self.authorities.all()})

    @property
    def issued_on_iso(self) -> str | None:
        return machine_partial_date(self.issued_on, self.issued_on_precision)

    @property
    def issued_on_display(self) -> str:
        return display_partial_date(self.issued_on, self.issued_on_precision)

    @property
    def effective_on_iso(self) -> str | None:
        return machine_partial_date(self.effective_on, self.effective_on_precision)

    @property
    def effective_on_display(self) -> str:
        return display_partial_date(self.effective_on, self.effective_on_precision)


class KeyProvision(TextRules, models.Model):
    """One provision of a policy that matters for cell therapy, in the document's order."""

    policy = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="provisions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=255, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("key provision")
        verbose_name_plural = _("key provisions")

    def __str__(self) -> str:
        return self.heading or self.text[:60]

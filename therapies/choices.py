"""Kinds, stages and codes of the therapies app, as stable lowercase codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TherapyKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    MODALITY = "modality", _("Modality")


class CellSource(models.TextChoices):
    AUTOLOGOUS = "autologous", _("Autologous (the patient's own cells)")
    ALLOGENEIC = "allogeneic", _("Allogeneic (donor cells)")
    BOTH = "both", _("Autologous or allogeneic")


class DevelopmentStage(models.TextChoices):
    PRECLINICAL = "preclinical", _("Preclinical")
    PHASE_1 = "phase_1", _("Phase 1")
    PHASE_2 = "phase_2", _("Phase 2")
    PHASE_3 = "phase_3", _("Phase 3")
    UNDER_REVIEW = "under_review", _("Under regulatory review")
    APPROVED = "approved", _("Approved")
    WITHDRAWN = "withdrawn", _("No longer approved")


class Pathway(models.TextChoices):
    """The regulatory route of an approval, in each regulator's own terms."""

    STANDARD = "standard", _("Standard (full) approval")
    ACCELERATED = "accelerated", _("Accelerated approval")
    CONDITIONAL = "conditional", _("Conditional approval")
    CONDITIONAL_TIME_LIMITED = "conditional_time_limited", _("Conditional and time-limited approval")
    EXCEPTIONAL_CIRCUMSTANCES = "exceptional_circumstances", _("Approval under exceptional circumstances")
    NOC_WITH_CONDITIONS = "noc_with_conditions", _("Notice of compliance with conditions")
    PRIORITY_REVIEW = "priority_review", _("Priority review approval")
    RESTRICTED = "restricted", _("Limited or restricted approval")


class ApprovalStatus(models.TextChoices):
    """Where an approval stands now; derived from its events (`Approval.objects`), never stored."""

    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXPIRED = "expired", _("Expired")
    LAPSED = "lapsed", _("Lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVOKED = "revoked", _("Revoked")
    DISCONTINUED = "discontinued", _("Marketing discontinued")


class EventKind(models.TextChoices):
    """What happened to an approval after it was granted."""

    GRANTED = "granted", _("Granted")
    INDICATION_EXTENDED = "indication_extended", _("Indication extended")
    INDICATION_NARROWED = "indication_narrowed", _("Indication narrowed")
    CONVERTED_TO_STANDARD = "converted_to_standard", _("Converted to standard approval")
    RENEWED = "renewed", _("Renewed")
    BOXED_WARNING_ADDED = "boxed_warning_added", _("Boxed warning added")
    BOXED_WARNING_CHANGED = "boxed_warning_changed", _("Boxed warning changed")
    REMS_ADDED = "rems_added", _("REMS required")
    REMS_REMOVED = "rems_removed", _("REMS removed")
    RISK_MANAGEMENT_PLAN = "risk_management_plan", _("Risk management plan")
    ADDITIONAL_MONITORING = "additional_monitoring", _("Additional monitoring")
    SUSPENDED = "suspended", _("Suspended")
    REINSTATED = "reinstated", _("Reinstated")
    EXPIRED = "expired", _("Expired")
    LAPSED = "lapsed", _("Lapsed (conditional period ended without full approval)")
    WITHDRAWN = "withdrawn", _("Withdrawn at the holder's request")
    REVOKED = "revoked", _("Revoked")
    DISCONTINUED = "discontinued", _("Marketing discontinued")


# The one rule of an approval's status: the latest of these events sets it; with none of
# them it is active (the decision itself granted it). Events not listed (labelling,
# indication changes) leave the status as it was.
STATUS_AFTER_EVENT = {
    EventKind.GRANTED: ApprovalStatus.ACTIVE,
    EventKind.CONVERTED_TO_STANDARD: ApprovalStatus.ACTIVE,
    EventKind.RENEWED: ApprovalStatus.ACTIVE,
    EventKind.REINSTATED: ApprovalStatus.ACTIVE,
    EventKind.SUSPENDED: ApprovalStatus.SUSPENDED,
    EventKind.EXPIRED: ApprovalStatus.EXPIRED,
    EventKind.LAPSED: ApprovalStatus.LAPSED,
    EventKind.WITHDRAWN: ApprovalStatus.WITHDRAWN,
    EventKind.REVOKED: ApprovalStatus.REVOKED,
    EventKind.DISCONTINUED: ApprovalStatus.DISCONTINUED,
}

# Events that change what the label says about safety: listed on the product's page.
SAFETY_EVENTS = frozenset({
    EventKind.BOXED_WARNING_ADDED, EventKind.BOXED_WARNING_CHANGED, EventKind.REMS_ADDED,
    EventKind.REMS_REMOVED, EventKind.RISK_MANAGEMENT_PLAN, EventKind.ADDITIONAL_MONITORING,
})


class NameKind(models.TextChoices):
    FORMER = "former", _("Former name")
    CODE = "code", _("Development code")
    OTHER = "other", _("Other name")


class MoleculeKind(models.TextChoices):
    GROWTH_FACTOR = "growth_factor", _("Growth factor")
    CYTOKINE = "cytokine", _("Cytokine")
    CHEMOKINE = "chemokine", _("Chemokine")
    RECEPTOR = "receptor", _("Receptor")
    ANTIGEN = "antigen", _("Target antigen")
    ENZYME = "enzyme", _("Enzyme")
    TRANSCRIPTION_FACTOR = "transcription_factor", _("Transcription factor")
    OTHER = "other", _("Other")


class MechanismEffect(models.TextChoices):
    THERAPEUTIC = "therapeutic", _("Therapeutic")
    ADVERSE = "adverse", _("Adverse")

"""Kinds, stages and codes of the therapies app, as stable lowercase codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import Jurisdiction


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
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Agency(models.TextChoices):
    FDA = "fda", _("FDA (United States)")
    EMA = "ema", _("EMA / European Commission")
    NMPA = "nmpa", _("NMPA (China)")
    PMDA = "pmda", _("PMDA / MHLW (Japan)")
    MFDS = "mfds", _("MFDS (South Korea)")
    HEALTH_CANADA = "health_canada", _("Health Canada")
    # Hong Kong and Macao register medicines separately from the mainland NMPA.
    HONG_KONG_DH = "hk_dh", _("Department of Health (Hong Kong)")
    MACAO_ISAF = "macao_isaf", _("ISAF (Macao)")


# Each regulator decides for exactly one jurisdiction, so the jurisdiction is derived.
AGENCY_JURISDICTION = {
    Agency.FDA: Jurisdiction.UNITED_STATES,
    Agency.EMA: Jurisdiction.EUROPEAN_UNION,
    Agency.NMPA: Jurisdiction.CHINA,
    Agency.PMDA: Jurisdiction.JAPAN,
    Agency.MFDS: Jurisdiction.SOUTH_KOREA,
    Agency.HEALTH_CANADA: Jurisdiction.CANADA,
    Agency.HONG_KONG_DH: Jurisdiction.HONG_KONG,
    Agency.MACAO_ISAF: Jurisdiction.MACAO,
}


class ApprovalType(models.TextChoices):
    FULL = "full", _("Full (standard) approval")
    ACCELERATED = "accelerated", _("Accelerated approval")
    CONDITIONAL = "conditional", _("Conditional approval")
    CONDITIONAL_TIME_LIMITED = "conditional_time_limited", _("Conditional and time-limited approval")


class ApprovalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


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

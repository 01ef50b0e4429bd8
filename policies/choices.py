"""Levels, document types and legal statuses of the policies app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorityLevel(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial or state")
    MUNICIPAL = "municipal", _("Municipal")


class DocumentType(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    PLAN = "plan", _("Plan")
    GUIDELINE = "guideline", _("Guideline")
    TECHNICAL_STANDARD = "technical_standard", _("Technical standard")
    NOTICE = "notice", _("Notice")


class LegalStatus(models.TextChoices):
    DRAFT_FOR_COMMENT = "draft_for_comment", _("Draft for comment")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    REPEALED = "repealed", _("Repealed")
    EXPIRED = "expired", _("Expired")

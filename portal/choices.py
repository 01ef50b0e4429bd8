"""Choices shared by every app: editorial workflow, date precision, jurisdictions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Moving into or out of these statuses changes what the public sees, so only a Publisher may.
PUBLISHER_STATUSES = frozenset({EditorialStatus.PUBLISHED, EditorialStatus.ARCHIVED})


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Jurisdiction(models.TextChoices):
    """ISO 3166 codes (with subdivisions such as CN-HI), plus EU and international."""

    INTERNATIONAL = "INT", _("International")
    CHINA = "CN", _("China")
    HAINAN = "CN-HI", _("China (Hainan)")
    HONG_KONG = "CN-HK", _("China (Hong Kong SAR)")
    MACAO = "CN-MO", _("China (Macao SAR)")
    UNITED_STATES = "US", _("United States")
    EUROPEAN_UNION = "EU", _("European Union")
    JAPAN = "JP", _("Japan")
    SOUTH_KOREA = "KR", _("South Korea")
    CANADA = "CA", _("Canada")
    UNITED_KINGDOM = "GB", _("United Kingdom")
    AUSTRALIA = "AU", _("Australia")
    INDIA = "IN", _("India")
    SWITZERLAND = "CH", _("Switzerland")


class ReferenceKind(models.TextChoices):
    """What a source is, shown beside it: a reader weighs a regulator's record above news."""

    REGULATOR_DECISION = "regulator_decision", _("Regulator's decision")
    LABEL = "label", _("Label or product information")
    OFFICIAL_TEXT = "official_text", _("Official text")
    ARTICLE = "article", _("Peer-reviewed article")
    REVIEW = "review", _("Review")
    COMPANY_RELEASE = "company_release", _("Company release")
    NEWS = "news", _("News")
    OTHER = "other", _("Other source")

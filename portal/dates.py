"""Dates known only to a month, quarter or year.

Sources often give "2021-09" or "2015"; the portal stores the first day of that period
together with its precision and never shows a day it does not know.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.choices import DatePrecision

_PARTIAL_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|Q(?P<quarter>[1-4])))?$"
)


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """Parse "2017-08-30", "2021-09", "2021-Q3" or "2015" into (first day, precision)."""
    match = _PARTIAL_DATE.match(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a date like 2017-08-30, 2021-09, 2021-Q3 or 2015")
    year = int(match["year"])
    if match["quarter"]:
        return datetime.date(year, 3 * int(match["quarter"]) - 2, 1), DatePrecision.QUARTER
    if match["day"]:
        return datetime.date(year, int(match["month"]), int(match["day"])), DatePrecision.DAY
    if match["month"]:
        return datetime.date(year, int(match["month"]), 1), DatePrecision.MONTH
    return datetime.date(year, 1, 1), DatePrecision.YEAR


def iso_partial_date(value: datetime.date | None, precision: str) -> str | None:
    """ISO 8601 cut to the precision; a quarter gives its first month (API contract)."""
    if value is None:
        return None
    if precision == DatePrecision.DAY:
        return value.isoformat()
    if precision in (DatePrecision.MONTH, DatePrecision.QUARTER):
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def machine_partial_date(value: datetime.date | None, precision: str) -> str | None:
    """For `<time datetime>` and JSON-LD, which know no quarters: a quarter is given as its
    year, never as its first month (which would claim a precision the source lacks)."""
    if precision == DatePrecision.QUARTER and value is not None:
        return f"{value.year:04d}"
    return iso_partial_date(value, precision)


def display_partial_date(value: datetime.date | None, precision: str) -> str:
    """Human form for pages: the quarter is named rather than shown as its first month."""
    if value is None:
        return ""
    if precision == DatePrecision.QUARTER:
        return f"{value.year:04d} Q{(value.month - 1) // 3 + 1}"
    return iso_partial_date(value, precision)


def partial_date_error(value: datetime.date | None, precision: str) -> ValidationError | None:
    """A date stored with a coarse precision must be the first day of its period."""
    if value is None:
        return None
    ok = {
        DatePrecision.DAY: True,
        DatePrecision.MONTH: value.day == 1,
        DatePrecision.QUARTER: value.day == 1 and value.month in (1, 4, 7, 10),
        DatePrecision.YEAR: value.day == 1 and value.month == 1,
    }.get(precision, False)
    if ok:
        return None
    return ValidationError(
        _("With precision “%(precision)s” the date must be the first day of its period."),
        code="partial_date",
        params={"precision": precision},
    )

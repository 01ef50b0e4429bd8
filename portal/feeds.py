"""What the apps' Atom feeds share: their size, dates as feed timestamps, and printable text.

Each app declares its own feed and its URL (`therapies/feeds.py`, `policies/feeds.py`); the
project's URL module includes them by name.
"""

import datetime

from django.utils import feedgenerator

from portal.validators import strip_control_characters

FEED_SIZE = 30


def as_datetime(date: datetime.date | None) -> datetime.datetime | None:
    return datetime.datetime.combine(date, datetime.time(), tzinfo=datetime.UTC) if date else None


def _printable(value):
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(_printable(item) for item in value)
    return value


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 without the control characters XML 1.0 cannot carry (a 500 otherwise). Model
    validation refuses them; this keeps a feed up for text stored before the rule or written
    around it (raw SQL, `QuerySet.update()`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_printable, args), **{name: _printable(value) for name, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_printable, args), **{name: _printable(value) for name, value in kwargs.items()})

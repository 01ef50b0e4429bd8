"""What the apps' Atom feeds share: their size and dates as feed timestamps.

Each app declares its own feed and its URL (`therapies/feeds.py`, `policies/feeds.py`); the
project's URL module includes them by name.
"""

import datetime

FEED_SIZE = 30


def as_datetime(date: datetime.date | None) -> datetime.datetime | None:
    return datetime.datetime.combine(date, datetime.time(), tzinfo=datetime.UTC) if date else None

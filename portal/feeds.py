"""Atom feeds of newly published policy documents and new approvals, per language."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from policies import selectors as policy_selectors
from therapies import selectors as therapy_selectors

FEED_SIZE = 30


def _as_datetime(date: datetime.date | None) -> datetime.datetime | None:
    return datetime.datetime.combine(date, datetime.time(), tzinfo=datetime.UTC) if date else None


class LatestPoliciesFeed(Feed):
    """Two queries: the policies and their published authorities."""

    feed_type = Atom1Feed
    title = _("Cell Therapy Portal: new policy documents")
    subtitle = _("Laws, regulations, plans and guidelines on cell therapy, newest first.")

    def link(self):
        return reverse("policies:policy-list")

    def items(self):
        return policy_selectors.published_policies()[:FEED_SIZE]

    def item_title(self, item):
        return str(item.title)

    def item_description(self, item):
        # Atom sends the description as type="html": plain text must be escaped for readers.
        return escape(item.summary)

    def item_pubdate(self, item):
        return _as_datetime(item.issued_on) or item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(str(a) for a in item.published_authorities) or None


class LatestApprovalsFeed(Feed):
    """One query: approvals of published therapies, newest decision first."""

    feed_type = Atom1Feed
    title = _("Cell Therapy Portal: new approvals")
    subtitle = _("Regulators' decisions on cell therapy products, newest first.")

    def link(self):
        return reverse("therapies:therapy-list")

    def items(self):
        return therapy_selectors.latest_approvals(limit=FEED_SIZE)

    def item_title(self, item):
        return f"{item.therapy}: {item.get_agency_display()} ({item.decided_on_display})"

    def item_description(self, item):
        return escape(item.indication_text or item.get_approval_type_display())

    def item_link(self, item):
        return f"{item.therapy.get_absolute_url()}#approval-{item.pk}"

    def item_guid(self, item):
        return f"approval-{item.pk}"

    def item_pubdate(self, item):
        return _as_datetime(item.decided_on)

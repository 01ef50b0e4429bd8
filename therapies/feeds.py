"""Atom feed of new approvals, per language, at feeds/approvals/."""

from django.contrib.syndication.views import Feed
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from portal.feeds import FEED_SIZE, AtomFeed, as_datetime
from therapies import selectors


class LatestApprovalsFeed(Feed):
    """One query: approvals of published therapies, newest decision first."""

    feed_type = AtomFeed
    title = _("Cell Therapy Portal: new approvals")
    subtitle = _("Regulators' decisions on cell therapy products, newest first.")

    def link(self):
        return reverse("therapies:therapy-list")

    def items(self):
        return selectors.latest_approvals(limit=FEED_SIZE)

    def item_title(self, item):
        regulator = item.regulator.abbreviation or item.regulator.name
        return f"{item.therapy}: {regulator} ({item.decided_on_display})"

    def item_description(self, item):
        return escape(item.indication_text or (item.condition.name if item.condition else item.get_pathway_display()))

    def item_link(self, item):
        return f"{item.therapy.get_absolute_url()}#approval-{item.slug}"

    def item_guid(self, item):
        return f"approval-{item.pk}"

    def item_pubdate(self, item):
        return as_datetime(item.decided_on)


# Included by the project's URL module without a namespace: the name is public.
urlpatterns = [path("feeds/approvals/", LatestApprovalsFeed(), name="feed-approvals")]

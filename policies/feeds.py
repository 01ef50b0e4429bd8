"""Atom feed of newly published policy documents, per language, at feeds/policies/."""

from django.contrib.syndication.views import Feed
from django.urls import path, reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from policies import selectors
from portal.feeds import FEED_SIZE, AtomFeed, as_datetime


class LatestPoliciesFeed(Feed):
    """Two queries: the policies and their published authorities."""

    feed_type = AtomFeed
    title = _("Cell Therapy Portal: new policy documents")
    subtitle = _("Laws, regulations, plans and guidelines on cell therapy, newest first.")

    def link(self):
        return reverse("policies:policy-list")

    def items(self):
        return selectors.published_policies()[:FEED_SIZE]

    def item_title(self, item):
        return str(item.title)

    def item_description(self, item):
        # Atom sends the description as type="html": plain text must be escaped for readers.
        return escape(item.summary)

    def item_pubdate(self, item):
        return as_datetime(item.issued_on) or item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(str(a) for a in item.published_authorities) or None


# Included by the project's URL module without a namespace: the name is public.
urlpatterns = [path("feeds/policies/", LatestPoliciesFeed(), name="feed-policies")]

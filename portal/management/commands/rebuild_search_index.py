"""Rebuild the site search index from the published content."""

from django.core.management.base import BaseCommand

from portal.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from scratch (saves keep it in sync; run this after bulk changes)."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published items."))

"""`manage.py import_content`: restore an `export_content` document into an empty database."""

import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.content_io import ImportRefused, import_content
from portal.generation import content_changed


class Command(BaseCommand):
    help = "Restore curated content from an export_content JSON file. Refuses a non-empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The JSON file written by export_content.")

    def handle(self, *args, path, **options):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            counts = import_content(document)
        except ImportRefused as error:
            raise CommandError(f"Nothing was imported. {error}") from error
        # Relations are set after each item is saved, so the search index is rebuilt once at the end.
        call_command("rebuild_search_index", verbosity=0)
        # The import stamps timestamps and references with update(), which fires no signal.
        content_changed()
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Imported {sum(counts.values())} row(s) from {path}."))

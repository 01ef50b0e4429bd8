"""`manage.py load_curated`: load the curated dataset under data/ (idempotent, atomic)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.curated import CuratedDataError, load_curated, summary_lines
from portal.generation import content_changed


class Command(BaseCommand):
    help = "Load the curated dataset (YAML under data/) into the database. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None, help="Folder to read (default: CURATED_DATA_DIR).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, then roll back.")

    def handle(self, *args, data_dir=None, dry_run=False, **options):
        folder = data_dir or Path(settings.CURATED_DATA_DIR)
        if not folder.is_dir():
            raise CommandError(f"No curated data folder at {folder}.")
        try:
            with transaction.atomic():
                report = load_curated(folder, dry_run=False)
                summary = summary_lines()  # of the content as loaded, before a dry run rolls it back
                if dry_run:
                    transaction.set_rollback(True)
        except CuratedDataError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        if not dry_run:
            # Whatever the loader wrote without a signal (an update(), a bulk write) shows too.
            content_changed()
        for line in report.lines():
            self.stdout.write(f"  {line}")
        for line in summary:
            self.stdout.write(f"  {line}")
        verb = "Would change" if dry_run else "Changed"
        self.stdout.write(self.style.SUCCESS(f"{verb} {report.changed} item(s) from {folder}."))

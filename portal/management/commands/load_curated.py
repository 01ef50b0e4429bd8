"""`manage.py load_curated`: load the curated dataset under data/ (idempotent, atomic).

It never undoes an edit made in the admin or the API since the last load (see
portal/curated.py): by default it stops before writing and lists those records.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.curated import CuratedDataError, load_curated, summary_lines
from portal.generation import content_changed

DIFF_WIDTH = 70


def _short(value) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= DIFF_WIDTH else text[:DIFF_WIDTH - 1] + "…"


class Command(BaseCommand):
    help = ("Load the curated dataset (YAML under data/) into the database. Safe to run again: "
            "it never overwrites an edit made in the portal since the last load unless told to.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None, help="Folder to read (default: CURATED_DATA_DIR).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, then roll back.")
        parser.add_argument("--diff", action="store_true",
                            help="Print every field the load would change (old → new), then roll back.")
        edited = parser.add_mutually_exclusive_group()
        edited.add_argument("--skip-edited", action="store_true",
                            help="Load everything else and leave records edited in the portal as they are.")
        edited.add_argument("--overwrite", action="store_true",
                            help="Replace edits made in the portal with the data (recorded in the history).")
        parser.add_argument("--set-status", action="store_true",
                            help="Also set each item's status from the data (default: published). Without it "
                                 "the loader never publishes, unpublishes or archives an existing item.")

    def handle(self, *args, data_dir=None, dry_run=False, diff=False, skip_edited=False, overwrite=False,
               set_status=False, **options):
        folder = data_dir or Path(settings.CURATED_DATA_DIR)
        if not folder.is_dir():
            raise CommandError(f"No curated data folder at {folder}.")
        dry_run = dry_run or diff
        try:
            with transaction.atomic():
                report = load_curated(folder, skip_edited=skip_edited or diff, overwrite=overwrite,
                                      set_status=set_status)
                summary = summary_lines()  # of the content as loaded, before a dry run rolls it back
                if dry_run or report.conflicts and not skip_edited:
                    transaction.set_rollback(True)
        except CuratedDataError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        if report.conflicts and not (skip_edited or diff):
            lines = "\n".join(f"  {conflict.line()}" for conflict in report.conflicts)
            raise CommandError(
                f"Nothing was loaded: {len(report.conflicts)} record(s) were edited in the portal since the "
                f"last load, and the data would change the same fields:\n{lines}\n"
                "Run with --diff to see every change, --skip-edited to load the rest and keep these edits, "
                "or --overwrite to replace them with the data."
            )
        if not dry_run:
            # Whatever the loader wrote without a signal (an update(), a bulk write) shows too.
            content_changed()
        if diff:
            for where, key, old, new in report.changes:
                self.stdout.write(f"  {where}, {key}: {_short(old)!s} → {_short(new)!s}")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        for line in summary:
            self.stdout.write(f"  {line}")
        for conflict in report.conflicts:
            self.stdout.write(self.style.WARNING(f"  Kept as edited: {conflict.line()}"))
        for conflict in report.overwritten:
            self.stdout.write(self.style.WARNING(f"  Overwritten: {conflict.line()}"))
        for where in report.not_recreated:
            self.stdout.write(self.style.WARNING(
                f"  Not re-created: {where} was deleted in the portal since the last load."))
        verb = "Would change" if dry_run else "Changed"
        self.stdout.write(self.style.SUCCESS(f"{verb} {report.changed} item(s) from {folder}."))

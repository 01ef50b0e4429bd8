"""`manage.py export_content`: write the whole curated state as one versioned JSON document."""

from pathlib import Path

from django.core.management.base import BaseCommand

from portal.content_io import dumps, export_content


class Command(BaseCommand):
    help = "Export every curated item (drafts included, both languages) as JSON keyed by slugs."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, default=None, help="File to write (default: stdout).")

    def handle(self, *args, output=None, **options):
        document = export_content()
        text = dumps(document)
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.write_text(text, encoding="utf-8")
        total = sum(entry["count"] for entry in document["summary"].values())
        self.stderr.write(self.style.SUCCESS(f"Exported {total} curated item(s) to {output}."))

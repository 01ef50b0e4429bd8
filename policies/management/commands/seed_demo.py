"""`manage.py seed_demo`: synthetic content at benchmark scale (see policies/seeding.py)."""

import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from policies.seeding import SeedPlan, clear_seeded, seed_demo
from portal.generation import content_changed


class Command(BaseCommand):
    help = "Generate deterministic synthetic therapies and policies (slugs start with demo-). Not for production."

    def add_arguments(self, parser):
        parser.add_argument("--therapies", type=int, default=SeedPlan.therapies)
        parser.add_argument("--policies", type=int, default=SeedPlan.policies)
        parser.add_argument("--draft-share", type=float, default=SeedPlan.draft_share)
        parser.add_argument("--seed", type=int, default=SeedPlan.seed)
        parser.add_argument("--clear", action="store_true", help="Only remove previously seeded rows.")

    def handle(self, *args, **options):
        if options["clear"]:
            clear_seeded()
            content_changed()
            self.stdout.write("Removed the seeded demo content.")
            return
        plan = SeedPlan(options["therapies"], options["policies"], options["draft_share"], options["seed"])
        started = time.monotonic()
        counts = seed_demo(plan)
        # Bulk inserts bypass model signals: refresh the search index and the page cache by hand.
        content_changed()
        if "rebuild_search_index" in get_commands():
            call_command("rebuild_search_index", stdout=self.stdout)
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} in {time.monotonic() - started:.1f} s."))

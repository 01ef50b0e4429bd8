"""`make explain`: the query plan of every API filter and ordering on the benchmark database.

For each list URL (one per filter and ordering the API offers, with a value that matches
seeded rows) this runs the request in process, takes its SQL and prints the slowest
statement's execution time from EXPLAIN ANALYZE, and whether it read a large table
sequentially. Run it after `make bench` has seeded the database; the notes in
docs/performance.md come from it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LARGE_TABLES = ("therapies_therapy", "policies_policydocument", "portal_searchentry")

URLS = [
    "/api/v1/therapies/", "/api/v1/therapies/?lang=zh-hans",
    "/api/v1/therapies/?ordering=name", "/api/v1/therapies/?ordering=-name&lang=zh-hans",
    "/api/v1/therapies/?ordering=-updated_at", "/api/v1/therapies/?ordering=stage",
    "/api/v1/therapies/?kind=product", "/api/v1/therapies/?stage=phase_2", "/api/v1/therapies/?cell_source=autologous",
    "/api/v1/therapies/?category=car-t", "/api/v1/therapies/?condition={condition}",
    "/api/v1/therapies/?mechanism={mechanism}", "/api/v1/therapies/?molecule={molecule}",
    "/api/v1/therapies/?agency=fda", "/api/v1/therapies/?approved_after=2020-01-01",
    "/api/v1/therapies/?approved_before=2010-01-01", "/api/v1/therapies/?search=autologous",
    "/api/v1/policies/", "/api/v1/policies/?ordering=title", "/api/v1/policies/?ordering=title&lang=zh-hans",
    "/api/v1/policies/?ordering=issued_on", "/api/v1/policies/?ordering=-effective_on",
    "/api/v1/policies/?ordering=-updated_at", "/api/v1/policies/?jurisdiction=CN",
    "/api/v1/policies/?authority={authority}", "/api/v1/policies/?doc_type=notice",
    "/api/v1/policies/?legal_status=in_force", "/api/v1/policies/?issued_after=2021-01-01",
    "/api/v1/policies/?issued_before=2005-01-01",
    "/api/v1/policies/?jurisdiction=CN&issued_after=2021-01-01&issued_before=2021-12-31",
    "/api/v1/policies/?category=car-t", "/api/v1/policies/?therapy={therapy}", "/api/v1/policies/?search=biobank",
    "/api/v1/conditions/", "/api/v1/molecules/", "/api/v1/mechanisms/", "/api/v1/authorities/", "/api/v1/references/",
    "/api/v1/categories/?parent=",
]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from policies.models import Authority
    from therapies.models import Condition, Mechanism, Molecule, Therapy

    if connection.vendor != "postgresql":
        print("make explain needs DATABASE_URL pointing at the benchmark's PostgreSQL database", file=sys.stderr)
        return 2

    def busiest(model, relation):
        return model.objects.published().filter(slug__startswith="demo-").alias(
            n=Count(relation)).order_by("-n").values_list("slug", flat=True).first()

    values = {
        "condition": busiest(Condition, "therapies"), "mechanism": busiest(Mechanism, "therapies"),
        "molecule": busiest(Molecule, "targeted_by"), "authority": busiest(Authority, "documents"),
        "therapy": busiest(Therapy, "policies") or "kymriah",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'URL (page_size=50)':80} {'page ms':>8} {'count ms':>9}  sequential scans (page; count)")
    for template in URLS:
        url = template.format(**values)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url + ("&" if "?" in url else "?") + "page_size=50").status_code
        if status != 200:
            print(f"{url:80} answered {status}")
            continue
        times, scans = {"page": 0.0, "count": 0.0}, {"page": set(), "count": set()}
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                sql = query["sql"]
                if not sql.lstrip("( ").upper().startswith("SELECT"):
                    continue
                # A list total is counted once per content generation; the page on every view.
                kind = "count" if sql.upper().startswith("SELECT COUNT(*)") else "page"
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0][0]
                times[kind] = max(times[kind], plan["Execution Time"])
                scans[kind] |= set(_sequential_scans(plan["Plan"]))
        scanned = "; ".join(", ".join(sorted(scans[kind])) or "-" for kind in ("page", "count"))
        print(f"{url:80} {times['page']:8.2f} {times['count']:9.2f}  {scanned}")
    return 0


def _sequential_scans(node: dict):
    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in LARGE_TABLES:
        yield node["Relation Name"]
    for child in node.get("Plans", ()):
        yield from _sequential_scans(child)


if __name__ == "__main__":
    sys.exit(main())

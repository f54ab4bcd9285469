"""Rebuild the search text and vector of intelligence reports (apps/intel/search.py)."""

from django.core.management.base import BaseCommand

from apps.intel.models import IntelReport
from apps.intel.search import reports_reindex


class Command(BaseCommand):
    help = "Rebuild the search text and vector of every intelligence report (or of the given ids)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="report ids (default: all)")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, ids, batch_size, **options):
        verbosity = options.get("verbosity", 1)
        queryset = IntelReport.objects.all()
        if ids:
            queryset = queryset.filter(pk__in=ids)

        def progress(done, total):
            if verbosity >= 2 or (verbosity and done == total):
                self.stdout.write(f"{done}/{total}")

        count = reports_reindex(queryset, batch_size=batch_size, progress=progress)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Reindexed {count} report(s)."))

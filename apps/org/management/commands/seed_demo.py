from django.core.management.base import BaseCommand

from apps.core import choices
from apps.core.cache_keys import dashboard_changed
from apps.intel.demo import intel_demo_load
from apps.org.demo import DEMO_PASSWORD, DEMO_USERS, demo_data_load


class Command(BaseCommand):
    help = "Load the demo department, people, products, tasks, leave and intelligence desk (safe to run again)."

    def handle(self, *args, **options):
        result = demo_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result['users']} new users, {result['tasks']} new tasks, "
                f"{result['leave']} new leave requests."
            )
        )
        intel = intel_demo_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Intelligence desk: {intel['competitors']} competitors, {intel['products']} products, "
                f"{intel['prices']} prices, {intel['reports']} reports, {intel['plans']} research plans, "
                f"{intel['battlecards']} battlecards (new rows)."
            )
        )
        # The loaders write in bulk, which sends no signal: whatever was cached from those rows is out of date.
        choices.all_changed()
        dashboard_changed()
        names = ", ".join(row[0] for row in DEMO_USERS)
        self.stdout.write(f"Demo logins ({names}) share the password: {DEMO_PASSWORD}")

from django.core.management.base import BaseCommand

from apps.org.demo import DEMO_PASSWORD, DEMO_USERS, demo_data_load


class Command(BaseCommand):
    help = "Load the demo department, people, products and tasks (safe to run again)."

    def handle(self, *args, **options):
        result = demo_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result['users']} new users, {result['tasks']} new tasks, "
                f"{result['leave']} new leave requests."
            )
        )
        names = ", ".join(row[0] for row in DEMO_USERS)
        self.stdout.write(f"Demo logins ({names}) share the password: {DEMO_PASSWORD}")

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.workcalendar.services import calendar_load_year


class Command(BaseCommand):
    help = "Load the state holiday calendar (holidays and make-up working days) for a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        try:
            count = calendar_load_year(year=year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{year}: {count} statutory days loaded."))

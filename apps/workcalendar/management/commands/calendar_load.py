from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.workcalendar.importing import MAX_FILE_BYTES, clean_file_name, kind_label, parse_calendar_file
from apps.workcalendar.selectors import CalendarPreview, DayChange, calendar_import_preview
from apps.workcalendar.services import calendar_import_year, calendar_load_year_from_package, package_days


class Command(BaseCommand):
    help = (
        "Load the state holiday calendar (holidays and make-up working days) for a year: from the "
        "chinesecalendar package, or with --file from an iCalendar (.ics) or CSV (date,kind,name) file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--file", help="An .ics or .csv file with the year's holidays and make-up working days.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; save nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Without --file: replace a year that was imported from a file with the package's data.",
        )

    def handle(self, *args, year, file=None, dry_run=False, force=False, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(_("Give a year between 2000 and 2100."))
        try:
            if file:
                self._from_file(year, Path(file), dry_run)
            else:
                self._from_package(year, dry_run, force)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc

    def _from_file(self, year: int, path: Path, dry_run: bool) -> None:
        try:
            with path.open("rb") as handle:
                content = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}) from exc
        file_name = clean_file_name(path.name)
        days = parse_calendar_file(content=content, file_name=file_name, year=year)
        if dry_run:
            self._show(calendar_import_preview(year=year, days=days))
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        preview = calendar_import_year(actor=None, year=year, days=days, file_name=file_name)
        self._show(preview)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(year)s: %(count)s statutory days imported from %(file)s.")
                % {"year": year, "count": len(days), "file": file_name}
            )
        )

    def _from_package(self, year: int, dry_run: bool, force: bool) -> None:
        if dry_run:
            self._show(calendar_import_preview(year=year, days=package_days(year=year)))
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        preview = calendar_load_year_from_package(year=year, force=force)
        self._show(preview)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(year)s: %(count)s statutory days loaded.") % {"year": year, "count": len(preview.days)}
            )
        )

    def _show(self, preview: CalendarPreview) -> None:
        marks = {DayChange.ADDED: "+", DayChange.CHANGED: "~", DayChange.REMOVED: "-"}
        if preview.current is not None:
            self.stdout.write(
                _("%(year)s is loaded now: %(kind)s, %(source)s.")
                % {
                    "year": preview.year,
                    "kind": preview.current.get_source_kind_display(),
                    "source": preview.current.source,
                }
            )
        self.stdout.write(
            _("%(added)s added, %(changed)s changed, %(removed)s removed, %(unchanged)s unchanged.")
            % {
                "added": len(preview.added),
                "changed": len(preview.changed),
                "removed": len(preview.removed),
                "unchanged": preview.unchanged,
            }
        )
        for change in preview.changes:
            old = f"{kind_label(change.old.is_working)} {change.old.name}".strip() if change.old else "—"
            new = f"{kind_label(change.new.is_working)} {change.new.name}".strip() if change.new else "—"
            note = ""
            if change.override is not None:
                note = "  " + _("(company override decides: %(reason)s)") % {"reason": change.override}
            self.stdout.write(f"{marks[change.action]} {change.date.isoformat()}  {old} → {new}{note}")
        for warning in preview.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if preview.affected:
            self.stdout.write(
                self.style.WARNING(
                    _("Filed leave and field-work notices whose length changes (stored lengths are not recomputed):")
                )
            )
            for row in preview.affected_rows:
                self.stdout.write(
                    _(
                        "%(kind)s #%(pk)s %(person)s %(what)s %(start)s–%(end)s (%(status)s): "
                        "%(old)s → %(new)s working days"
                    )
                    % {
                        **row,
                        "start": row["start_date"],
                        "end": row["end_date"],
                        "old": row["old_days"],
                        "new": row["new_days"],
                    }
                )

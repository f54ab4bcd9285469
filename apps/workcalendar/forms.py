import datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .importing import MAX_FILE_BYTES, CalendarDay, clean_file_name, parse_calendar_file

ALLOWED_EXTENSIONS = (".ics", ".csv", ".txt")
SIGNING_SALT = "workcalendar.import"
# The admin confirms within the hour or uploads again.
TOKEN_MAX_AGE = 60 * 60


class CalendarImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "iCalendar (.ics) with all-day events, or CSV with the columns date, kind, name "
            "(kind: holiday or workday, 休 or 班). At most %(max)s KB."
        )
        % {"max": MAX_FILE_BYTES // 1024},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise ValidationError(_("Upload an .ics or .csv file."), code="bad_extension")
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("The file is too big; a year's calendar fits in %(max)s KB.") % {"max": MAX_FILE_BYTES // 1024},
                code="file_too_big",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        year, upload = cleaned.get("year"), cleaned.get("file")
        if year is None or upload is None:
            return cleaned
        cleaned["file_name"] = clean_file_name(upload.name)
        try:
            cleaned["days"] = parse_calendar_file(
                content=upload.read(MAX_FILE_BYTES + 1), file_name=cleaned["file_name"], year=year
            )
        except ValidationError as exc:
            self.add_error("file", exc)
        return cleaned


def import_token_dumps(*, user_id: int, year: int, file_name: str, fingerprint: str, days: list[CalendarDay]) -> str:
    """Sign what the admin previewed, so that the confirm step saves exactly that and nothing else."""
    payload = {
        "user": user_id,
        "year": year,
        "file": file_name,
        "fingerprint": fingerprint,
        "days": [[day.date.isoformat(), int(day.is_working), day.name] for day in days],
    }
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


class CalendarImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_token(self):
        expired = ValidationError(_("The preview has expired or was altered. Upload the file again."), code="bad_token")
        try:
            payload = signing.loads(self.cleaned_data["token"], salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature:
            raise expired from None
        if payload.get("user") != self.user.pk:
            raise expired
        try:
            payload["days"] = [
                CalendarDay(date=datetime.date.fromisoformat(day), is_working=bool(working), name=name)
                for day, working, name in payload["days"]
            ]
        except (KeyError, TypeError, ValueError):
            raise expired from None
        return payload

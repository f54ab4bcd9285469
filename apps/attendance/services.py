"""Check-in (R-ATT-01) and field-work notices (R-ATT-02)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core.services import client_ip
from apps.leave.services import validate_date_range
from apps.workcalendar.calendar import calendar_for

from .models import CheckIn, FieldWorkNotice


def _invalid(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def checkin_is_late(*, department, at: datetime.datetime) -> bool:
    if department is None:
        return False
    local = timezone.localtime(at)
    limit = datetime.datetime.combine(local.date(), department.office_start) + datetime.timedelta(
        minutes=department.late_grace_minutes
    )
    return local.replace(tzinfo=None) > limit


def checkin_record(*, user, request=None, now: datetime.datetime | None = None) -> CheckIn:
    """Record today's check-in at the server's time; a second one the same day is refused."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    working = calendar_for(today).is_working_day(today)
    try:
        with transaction.atomic():
            return CheckIn.objects.create(
                user=user,
                date=today,
                checked_in_at=now,
                is_late=working and checkin_is_late(department=user.department, at=now),
                on_working_day=working,
                ip_address=client_ip(request),
            )
    except IntegrityError as exc:
        # The database's unique constraint is the rule; this only turns it into a message.
        raise _invalid(_("You have already checked in today."), "already_checked_in") from exc


def field_notice_deadline(*, department, first_day: datetime.date, calendar=None) -> datetime.datetime:
    """Return the deadline for a notice: end of the working day before ``first_day`` (R-ATT-02).

    ``calendar``: a working calendar already read for a range ending on or after ``first_day``.
    """
    if calendar is None or not (calendar.start <= first_day <= calendar.end):
        calendar = calendar_for(first_day)
    previous = calendar.previous_working_day(first_day)
    end_of_day = department.office_end if department else datetime.time(18, 0)
    return timezone.make_aware(datetime.datetime.combine(previous, end_of_day))


@transaction.atomic
def field_notice_file(
    *,
    user,
    start_date: datetime.date,
    end_date: datetime.date,
    destination: str,
    purpose: str,
    customer_name: str = "",
    now: datetime.datetime | None = None,
) -> FieldWorkNotice:
    """File a field-work notice before its deadline; late notices are refused (逾期不补)."""
    now = now or timezone.now()
    if end_date < start_date:
        raise _invalid(_("The last day cannot be before the first day."), "end_before_start", "end_date")
    validate_date_range(start=start_date, end=end_date, today=timezone.localdate(now))
    if not destination.strip():
        raise _invalid(_("Say where you are going."), "destination_required", "destination")
    if not purpose.strip():
        raise _invalid(_("Say what the work is."), "purpose_required", "purpose")
    deadline = field_notice_deadline(department=user.department, first_day=start_date)
    if now >= deadline:
        raise _invalid(
            _(
                "Too late: a notice for %(day)s had to be filed before %(deadline)s "
                "(the end of the previous working day). Late notices cannot be filed."
            )
            % {
                "day": date_format(start_date, "DATE_FORMAT"),
                "deadline": date_format(timezone.localtime(deadline), "DATETIME_FORMAT"),
            },
            "past_deadline",
            "start_date",
        )
    # Lock the person's row so that two filings at once cannot both pass the overlap check.
    get_user_model().objects.select_for_update(of=("self",)).filter(pk=user.pk).first()
    overlapping = FieldWorkNotice.objects.filter(
        user=user, status=FieldWorkNotice.Status.ACTIVE, start_date__lte=end_date, end_date__gte=start_date
    )
    if overlapping.exists():
        raise _invalid(_("You already filed a notice for some of these days."), "overlap", "start_date")
    return FieldWorkNotice.objects.create(
        user=user,
        start_date=start_date,
        end_date=end_date,
        destination=destination.strip(),
        purpose=purpose.strip(),
        customer_name=customer_name.strip(),
        filed_at=now,
        deadline=deadline,
    )


@transaction.atomic
def field_notice_withdraw(*, user, notice: FieldWorkNotice, now: datetime.datetime | None = None) -> FieldWorkNotice:
    """Withdraw one's own notice before its first day; the record stays."""
    now = now or timezone.now()
    notice.refresh_from_db(from_queryset=FieldWorkNotice.objects.select_for_update())
    if notice.user_id != user.pk:
        raise PermissionDenied
    if notice.status != FieldWorkNotice.Status.ACTIVE:
        raise _invalid(_("This notice was already withdrawn."), "not_active")
    if timezone.localdate(now) >= notice.start_date:
        raise _invalid(_("A notice cannot be withdrawn on or after its first day."), "already_started")
    notice.status = FieldWorkNotice.Status.WITHDRAWN
    notice.withdrawn_at = now
    notice.save(update_fields=["status", "withdrawn_at"])
    return notice


@transaction.atomic
def field_notice_receive(*, user, notice: FieldWorkNotice) -> FieldWorkNotice:
    """Administration marks a notice as received."""
    if not user.has_perm("attendance.receive_field_notice"):
        raise PermissionDenied
    notice.refresh_from_db(from_queryset=FieldWorkNotice.objects.select_for_update())
    if notice.received_at is None:
        notice.received_by = user
        notice.received_at = timezone.now()
        notice.save(update_fields=["received_by", "received_at"])
    return notice

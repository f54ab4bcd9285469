"""Every write of the leave workflow (R-ATT-03..09). Each transition locks, checks, writes, records."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.cache_keys import badges_changed
from apps.core.text import join_messages
from apps.core.uploads import upload_display_name, upload_kind, upload_stored_name
from apps.notifications.services import notification_resolve, notification_send
from apps.workcalendar.calendar import Half, calendar_for, validate_period

from .models import (
    ActingApprover,
    CompTimeEntry,
    CompTimeGrantRequest,
    ImportantPeriod,
    LeaveEvent,
    LeaveRequest,
    LeaveType,
    half_day_slot,
)
from .permissions import can_cancel_leave, can_decide_leave, can_withdraw_leave
from .reminders import leave_queue_reminders_resolve
from .selectors import (
    acting_approver_for,
    comp_time_balance,
    comp_time_pending_spend,
    departments_approved_by,
    important_periods_overlapping,
    leave_overlapping,
)

Status = LeaveRequest.Status

# The attachment formats we accept (filetype extensions), recognised by content, not by name.
ATTACHMENT_TYPES = ("pdf", "jpg", "png")


def _invalid(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


# ---------------------------------------------------------------------------------------------
# Routing and timing


def leave_approver_for(*, user, on_date: datetime.date) -> User:
    """Return who decides ``user``'s leave (R-ATT-09).

    A member's leave goes to the department head, or to the acting approver the head named for
    that day. The head's own leave goes to the department's designated approver, else to the
    head of the parent department.
    """
    department = user.department
    if department is None:
        raise _invalid(_("You belong to no department, so there is nobody to approve your leave."), "no_department")
    # A head who has left (inactive) cannot decide anything: route as if there were none.
    head_active = department.head_id is not None and department.head.is_active
    if head_active and department.head_id != user.pk:
        acting = acting_approver_for(department=department, on_date=on_date)
        if acting is not None and acting.pk != user.pk:
            return acting
        return department.head
    if department.leave_approver_id and department.leave_approver_id != user.pk and department.leave_approver.is_active:
        return department.leave_approver
    parent = department.parent
    if parent is not None and parent.head_id and parent.head_id != user.pk and parent.head.is_active:
        return parent.head
    raise _invalid(
        _("No approver is set up for your leave. Ask the administrator to set the department's approver."),
        "no_approver",
    )


def leave_period_start(*, start_date: datetime.date, start_half: str, department) -> datetime.datetime:
    """Return the moment a period begins: office start, or the afternoon start for a half day."""
    if start_half == Half.AFTERNOON:
        hour, minute = (int(part) for part in settings.AFTERNOON_START.split(":"))
        moment = datetime.time(hour, minute)
    else:
        moment = department.office_start if department else datetime.time(9, 0)
    return timezone.make_aware(datetime.datetime.combine(start_date, moment))


def validate_date_range(*, start: datetime.date, end: datetime.date, today: datetime.date) -> None:
    """Refuse absurd dates: more than a year back or beyond the configured reach ahead."""
    earliest = today - datetime.timedelta(days=366)
    latest = today + datetime.timedelta(days=settings.ATTENDANCE_MAX_DAYS_AHEAD)
    if start < earliest or end > latest:
        raise _invalid(
            _("Dates must lie between %(earliest)s and %(latest)s.") % {"earliest": earliest, "latest": latest},
            "date_out_of_range",
            "start_date",
        )


def leave_attachment_validate(upload) -> None:
    """Accept a PDF, JPEG or PNG by its content, within the size limit."""
    if upload.size > settings.LEAVE_ATTACHMENT_MAX_BYTES:
        raise _invalid(
            _("The attachment is too large: at most %(mb)s MB.")
            % {"mb": settings.LEAVE_ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            "attachment_too_large",
            "attachment",
        )
    if upload_kind(upload, allowed=ATTACHMENT_TYPES) is None:
        raise _invalid(_("The attachment must be a PDF, JPEG or PNG file."), "attachment_type", "attachment")


def _attachment_put(leave: LeaveRequest, upload) -> None:
    """Store a validated upload under a generated name; keep its own name for display only."""
    kind = upload_kind(upload, allowed=ATTACHMENT_TYPES)
    leave.attachment_name = upload_display_name(upload.name)
    leave.attachment.save(upload_stored_name(kind), upload, save=False)


def leave_days(
    *, start_date: datetime.date, start_half: str, end_date: datetime.date, end_half: str, today: datetime.date
) -> Decimal:
    """Validate the period and return its length in working days (shown before submitting)."""
    try:
        validate_period(start_date, end_date, start_half, end_half)
    except ValidationError as exc:
        raise ValidationError({"end_date": exc}) from exc
    validate_date_range(start=start_date, end=end_date, today=today)
    return calendar_for(start_date, end_date).count(start_date, end_date, start_half, end_half)


# ---------------------------------------------------------------------------------------------
# Submission


def _check_timing(*, leave_type: LeaveType, start_date, start_half, user, now) -> None:
    today = timezone.localdate(now)
    if leave_type.requires_advance_approval:
        starts = leave_period_start(start_date=start_date, start_half=start_half, department=user.department)
        if now >= starts:
            raise _invalid(
                _("%(type)s must be requested and approved before it starts (严禁先休后报).")
                % {"type": leave_type.display_name},
                "already_started",
                "start_date",
            )
        return
    if start_date >= today:
        return
    elapsed = len(calendar_for(start_date, today).working_days(start_date + datetime.timedelta(days=1), today))
    if elapsed > leave_type.late_filing_days:
        raise _invalid(
            _("%(type)s can be filed at most %(days)s working days after it starts.")
            % {"type": leave_type.display_name, "days": leave_type.late_filing_days},
            "filed_too_late",
            "start_date",
        )


def _check_important_periods(*, leave_type: LeaveType, user, start_date, end_date) -> None:
    if not leave_type.blocked_in_important_periods:
        return
    period = important_periods_overlapping(department=user.department, start=start_date, end=end_date).first()
    if period is not None:
        raise _invalid(
            _("No %(type)s during the important-activity period “%(name)s” (%(start)s – %(end)s).")
            % {
                "type": leave_type.name_in_sentence,
                "name": period.name,
                "start": period.start_date,
                "end": period.end_date,
            },
            "important_period",
            "start_date",
        )


def _check_handover(*, user, handover_to, start_slot: int, end_slot: int, today: datetime.date) -> None:
    if handover_to.pk == user.pk:
        raise _invalid(_("Name a colleague other than yourself."), "handover_self", "handover_to")
    if not handover_to.is_active or (handover_to.employment_end is not None and handover_to.employment_end < today):
        raise _invalid(_("The handover colleague is no longer active."), "handover_inactive", "handover_to")
    # The picker offers only colleagues in a department and never the system administrator
    # (``people_choosable``); a hand-made request is held to the same rule here.
    if handover_to.is_superuser or handover_to.department_id is None:
        raise _invalid(
            _("Hand over to a colleague in a department, not to a technical account."),
            "handover_not_colleague",
            "handover_to",
        )
    if leave_overlapping(user=handover_to, start_slot=start_slot, end_slot=end_slot).exists():
        raise _invalid(
            _("%(name)s is on leave during that time; name another colleague.") % {"name": handover_to.get_full_name()},
            "handover_on_leave",
            "handover_to",
        )
    covered = (
        LeaveRequest.objects.filter(
            handover_to=user,
            status__in=LeaveRequest.ACTIVE_STATUSES,
            start_slot__lte=end_slot,
            end_slot__gte=start_slot,
        )
        .select_related("user")
        .order_by("start_slot")
        .first()
    )
    if covered is not None:
        raise _invalid(
            _("You are covering for %(name)s during that time (%(start)s – %(end)s); you cannot be away then.")
            % {
                "name": covered.user.get_full_name(),
                "start": date_format(covered.start_date, "DATE_FORMAT"),
                "end": date_format(covered.end_date, "DATE_FORMAT"),
            },
            "covering_for_colleague",
            "start_date",
        )


@transaction.atomic
def leave_request_submit(
    *,
    user,
    leave_type: LeaveType,
    start_date: datetime.date,
    start_half: str,
    end_date: datetime.date,
    end_half: str,
    reason: str,
    handover_to,
    handover_notes: str,
    attachment=None,
    now: datetime.datetime | None = None,
) -> LeaveRequest:
    """Submit a leave request if every rule of the regulation allows it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Serialise one person's submissions and approvals: overlaps and balances are checked under it.
    # The named colleague is locked too (in primary-key order, so two people naming each other cannot
    # deadlock): nobody can go on leave while being named to cover, or be named while going on leave.
    locked = {
        u.pk: u
        for u in User.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(pk__in={user.pk, getattr(handover_to, "pk", user.pk)})
        .order_by("pk")
    }
    user = locked[user.pk]
    if not leave_type.is_active:
        raise _invalid(_("This leave type is no longer offered."), "inactive_type", "leave_type")
    days = leave_days(start_date=start_date, start_half=start_half, end_date=end_date, end_half=end_half, today=today)
    if days <= 0:
        raise _invalid(_("The period contains no working day."), "no_working_days", "end_date")
    if not reason.strip():
        raise _invalid(_("Give a reason."), "reason_required", "reason")
    if not handover_notes.strip():
        raise _invalid(_("Write what you hand over to your colleague."), "handover_notes_required", "handover_notes")
    start_slot, end_slot = half_day_slot(start_date, start_half), half_day_slot(end_date, end_half)
    _check_handover(user=user, handover_to=handover_to, start_slot=start_slot, end_slot=end_slot, today=today)
    _check_timing(leave_type=leave_type, start_date=start_date, start_half=start_half, user=user, now=now)
    if leave_type.requires_attachment and not attachment:
        raise _invalid(
            _("%(type)s needs an attachment: %(what)s.")
            % {"type": leave_type.display_name, "what": leave_type.attachment_label or _("attachment")},
            "attachment_required",
            "attachment",
        )
    if attachment:
        leave_attachment_validate(attachment)
    _check_important_periods(leave_type=leave_type, user=user, start_date=start_date, end_date=end_date)
    if leave_type.spends_comp_time:
        available = comp_time_balance(user=user) - comp_time_pending_spend(user=user)
        if days > available:
            raise _invalid(
                _("Not enough comp time: %(days)s days requested, %(available)s available.")
                % {"days": days, "available": available},
                "insufficient_comp_time",
            )
    if leave_overlapping(user=user, start_slot=start_slot, end_slot=end_slot).exists():
        raise _invalid(_("You already have a pending or approved request for this time."), "overlap", "start_date")
    approver = leave_approver_for(user=user, on_date=today)

    leave = LeaveRequest(
        user=user,
        leave_type=leave_type,
        start_date=start_date,
        start_half=start_half,
        end_date=end_date,
        end_half=end_half,
        days=days,
        reason=reason.strip(),
        handover_to=handover_to,
        handover_notes=handover_notes.strip(),
        approver=approver,
    )
    if attachment:
        _attachment_put(leave, attachment)
    leave.save()
    LeaveEvent.objects.create(request=leave, actor=user, from_status="", to_status=Status.PENDING)
    badges_changed()
    _notify(
        leave,
        [approver],
        gettext_lazy("Leave to approve: %(name)s, %(type)s %(start)s – %(end)s"),
        action_key=f"leave-decide:{leave.pk}",
    )
    _notify(
        leave,
        [handover_to],
        gettext_lazy("%(name)s named you to take over their work (%(start)s – %(end)s)"),
        body=gettext_lazy("Handover notes: %(notes)s"),
    )
    return leave


def _notify(leave: LeaveRequest, recipients, title, body="", extra: dict | None = None, action_key: str = "") -> None:
    params = {
        "name": leave.user.get_full_name(),
        "type": leave.leave_type.name_in_sentence,
        "start": leave.start_date,
        "end": leave.end_date,
        "notes": leave.handover_notes,
        **(extra or {}),
    }
    url = reverse("leave:detail", args=[leave.pk])
    for recipient in {r.pk: r for r in recipients if r is not None}.values():
        with_type = dict(params)
        # The leave type's name in the recipient's language, as it reads inside the title's sentence.
        with translation.override(recipient.language):
            with_type["type"] = leave.leave_type.name_in_sentence
        notification_send(recipient=recipient, title=title, body=body, params=with_type, url=url, action_key=action_key)


# ---------------------------------------------------------------------------------------------
# Decisions


def _lock(leave: LeaveRequest) -> LeaveRequest:
    # Fixed order: the requester's row first, then the request.
    User.objects.select_for_update().filter(pk=leave.user_id).first()
    leave.refresh_from_db(from_queryset=LeaveRequest.objects.select_for_update())
    return leave


def _record(leave: LeaveRequest, *, actor, from_status: str, comment: str = "") -> None:
    LeaveEvent.objects.create(
        request=leave, actor=actor, from_status=from_status, to_status=leave.status, comment=comment.strip()
    )
    # Whose approval-queue badge changes is for the badge query to say: mark everyone's.
    badges_changed()


def _require_pending(leave: LeaveRequest) -> None:
    if leave.status != Status.PENDING:
        raise _invalid(
            _("This request has already been decided (%(status)s).") % {"status": leave.get_status_display()},
            "already_decided",
        )


@transaction.atomic
def leave_request_approve(*, actor, leave: LeaveRequest, comment: str = "") -> LeaveRequest:
    leave = _lock(leave)
    if not can_decide_leave(user=actor, obj=leave):
        raise PermissionDenied
    _require_pending(leave)
    # A period may have been declared since the request was made.
    _check_important_periods(
        leave_type=leave.leave_type, user=leave.user, start_date=leave.start_date, end_date=leave.end_date
    )
    if leave.leave_type.spends_comp_time:
        balance = comp_time_balance(user=leave.user)
        if leave.days > balance:
            raise _invalid(
                _("Not enough comp time: %(days)s days requested, %(available)s available.")
                % {"days": leave.days, "available": balance},
                "insufficient_comp_time",
            )
        CompTimeEntry.objects.create(
            user=leave.user,
            kind=CompTimeEntry.Kind.SPEND,
            days=-leave.days,
            leave_request=leave,
            created_by=actor,
            reason=str(leave),
        )
    leave.status = Status.APPROVED
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _record(leave, actor=actor, from_status=Status.PENDING, comment=comment)
    notification_resolve(action_key=f"leave-decide:{leave.pk}")
    leave_queue_reminders_resolve(on_date=timezone.localdate())
    _notify(leave, [leave.user], gettext_lazy("Your %(type)s %(start)s – %(end)s was approved"), body=comment)
    _notify(
        leave,
        [leave.handover_to],
        gettext_lazy("Handover confirmed: %(name)s is away %(start)s – %(end)s"),
        body=gettext_lazy("Handover notes: %(notes)s"),
    )
    return leave


@transaction.atomic
def leave_request_reject(*, actor, leave: LeaveRequest, comment: str) -> LeaveRequest:
    leave = _lock(leave)
    if not can_decide_leave(user=actor, obj=leave):
        raise PermissionDenied
    _require_pending(leave)
    if not comment.strip():
        raise _invalid(_("Say why the request is rejected."), "comment_required", "comment")
    leave.status = Status.REJECTED
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _record(leave, actor=actor, from_status=Status.PENDING, comment=comment)
    notification_resolve(action_key=f"leave-decide:{leave.pk}")
    leave_queue_reminders_resolve(on_date=timezone.localdate())
    _notify(
        leave, [leave.user, leave.handover_to], gettext_lazy("%(name)s's %(type)s %(start)s – %(end)s was rejected")
    )
    return leave


@transaction.atomic
def leave_request_withdraw(*, actor, leave: LeaveRequest, comment: str = "") -> LeaveRequest:
    leave = _lock(leave)
    if leave.user_id != actor.pk:
        raise PermissionDenied
    if not can_withdraw_leave(user=actor, obj=leave):
        raise _invalid(_("Only a pending request can be withdrawn."), "not_pending")
    leave.status = Status.WITHDRAWN
    leave.save(update_fields=["status", "updated_at"])
    _record(leave, actor=actor, from_status=Status.PENDING, comment=comment)
    notification_resolve(action_key=f"leave-decide:{leave.pk}")
    leave_queue_reminders_resolve(on_date=timezone.localdate())
    _notify(
        leave,
        [leave.approver, leave.handover_to],
        gettext_lazy("%(name)s withdrew the %(type)s request %(start)s – %(end)s"),
    )
    return leave


@transaction.atomic
def leave_request_cancel(
    *, actor, leave: LeaveRequest, comment: str = "", now: datetime.datetime | None = None
) -> LeaveRequest:
    """Cancel approved leave that has not started; comp time spent on it is given back."""
    now = now or timezone.now()
    leave = _lock(leave)
    if leave.user_id != actor.pk:
        raise PermissionDenied
    if not can_cancel_leave(user=actor, obj=leave):
        raise _invalid(_("Only approved leave can be cancelled."), "not_approved")
    starts = leave_period_start(
        start_date=leave.start_date, start_half=leave.start_half, department=leave.user.department
    )
    if now >= starts:
        raise _invalid(_("Leave that has started cannot be cancelled."), "already_started")
    if leave.leave_type.spends_comp_time:
        CompTimeEntry.objects.create(
            user=leave.user,
            kind=CompTimeEntry.Kind.REFUND,
            days=leave.days,
            leave_request=leave,
            created_by=actor,
            reason=str(leave),
        )
    leave.status = Status.CANCELLED
    leave.save(update_fields=["status", "updated_at"])
    _record(leave, actor=actor, from_status=Status.APPROVED, comment=comment)
    _notify(
        leave,
        [leave.decided_by or leave.approver, leave.handover_to],
        gettext_lazy("%(name)s cancelled the approved %(type)s %(start)s – %(end)s"),
    )
    return leave


# ---------------------------------------------------------------------------------------------
# Important-activity periods and acting approvers


@transaction.atomic
def important_period_declare(
    *, actor, name: str, start_date: datetime.date, end_date: datetime.date, department=None
) -> tuple[ImportantPeriod, list[LeaveRequest]]:
    """Declare a period without comp leave (R-ATT-06); return already-approved comp leave in it."""
    if not actor.has_perm("leave.declare_important_period"):
        raise PermissionDenied
    if not name.strip():
        raise _invalid(_("Give the period a name."), "name_required", "name")
    if end_date < start_date:
        raise _invalid(_("The end date cannot be before the start date."), "end_before_start", "end_date")
    validate_date_range(start=start_date, end=end_date, today=timezone.localdate())
    period = ImportantPeriod.objects.create(
        name=name.strip(), start_date=start_date, end_date=end_date, department=department, declared_by=actor
    )
    conflicts = LeaveRequest.objects.filter(
        status=Status.APPROVED,
        leave_type__blocked_in_important_periods=True,
        start_date__lte=end_date,
        end_date__gte=start_date,
    ).select_related("user", "leave_type")
    if department is not None:
        conflicts = conflicts.filter(user__department=department)
    return period, list(conflicts.order_by("start_date"))


@transaction.atomic
def acting_approver_name(
    *, actor, department, user, start_date: datetime.date, end_date: datetime.date
) -> ActingApprover:
    """A head names someone to approve leave in their place for a period."""
    if department.head_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied
    if user.pk == actor.pk or not user.is_active:
        raise _invalid(_("Name another active person."), "invalid_acting_approver", "user")
    if end_date < start_date:
        raise _invalid(_("The end date cannot be before the start date."), "end_before_start", "end_date")
    acting = ActingApprover.objects.create(
        department=department, user=user, start_date=start_date, end_date=end_date, created_by=actor
    )
    badges_changed()
    return acting


# ---------------------------------------------------------------------------------------------
# Comp time (R-ATT-08)


def _validate_comp_days(days: Decimal) -> None:
    if days not in (Decimal("0.5"), Decimal("1"), Decimal("1.0")):
        raise _invalid(_("Comp time is earned in half or whole days."), "invalid_comp_days", "days")


@transaction.atomic
def comp_grant_request_submit(*, user, work_date: datetime.date, days: Decimal, reason: str) -> CompTimeGrantRequest:
    """Ask the head for comp time for work on a non-working day."""
    today = timezone.localdate()
    _validate_comp_days(days)
    if work_date > today:
        raise _invalid(_("Comp time is earned for work already done."), "work_date_future", "work_date")
    validate_date_range(start=work_date, end=work_date, today=today)
    if calendar_for(work_date).is_working_day(work_date):
        raise _invalid(
            _("%(date)s is a working day; comp time is earned on non-working days.")
            % {"date": date_format(work_date, "DATE_FORMAT")},
            "working_day",
            "work_date",
        )
    if not reason.strip():
        raise _invalid(_("Describe the work that was done."), "reason_required", "reason")
    if CompTimeGrantRequest.objects.filter(
        user=user,
        work_date=work_date,
        status__in=[CompTimeGrantRequest.Status.PENDING, CompTimeGrantRequest.Status.APPROVED],
    ).exists():
        raise _invalid(_("You already asked for comp time for that day."), "duplicate_grant", "work_date")
    approver = leave_approver_for(user=user, on_date=today)
    grant = CompTimeGrantRequest.objects.create(
        user=user, work_date=work_date, days=days, reason=reason.strip(), approver=approver
    )
    badges_changed()
    notification_send(
        recipient=approver,
        title=gettext_lazy("Comp time to approve: %(name)s worked on %(date)s"),
        params={"name": user.get_full_name(), "date": work_date},
        url=reverse("leave:comp_time"),
        action_key=f"comp-grant-decide:{grant.pk}",
    )
    return grant


def _can_decide_grant(*, user, grant: CompTimeGrantRequest) -> bool:
    if grant.user_id == user.pk or not user.is_active:
        return False
    if grant.approver_id == user.pk:
        return True
    department = grant.user.department
    if department is None or department.head_id == grant.user_id:
        return False
    return department.pk in departments_approved_by(user=user, on_date=timezone.localdate())


@transaction.atomic
def comp_grant_request_decide(
    *, actor, grant: CompTimeGrantRequest, approve: bool, comment: str = ""
) -> CompTimeGrantRequest:
    User.objects.select_for_update().filter(pk=grant.user_id).first()
    grant.refresh_from_db(from_queryset=CompTimeGrantRequest.objects.select_for_update())
    if not _can_decide_grant(user=actor, grant=grant):
        raise PermissionDenied
    if grant.status != CompTimeGrantRequest.Status.PENDING:
        raise _invalid(_("This request has already been decided."), "already_decided")
    if not approve and not comment.strip():
        raise _invalid(_("Say why the request is rejected."), "comment_required", "comment")
    grant.status = CompTimeGrantRequest.Status.APPROVED if approve else CompTimeGrantRequest.Status.REJECTED
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.comment = comment.strip()
    grant.save(update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"])
    badges_changed()
    if approve:
        CompTimeEntry.objects.create(
            user=grant.user,
            kind=CompTimeEntry.Kind.GRANT,
            days=grant.days,
            grant_request=grant,
            created_by=actor,
            reason=_("Work on %(date)s") % {"date": date_format(grant.work_date, "DATE_FORMAT")},
        )
    notification_resolve(action_key=f"comp-grant-decide:{grant.pk}")
    notification_send(
        recipient=grant.user,
        title=gettext_lazy("Comp time for %(date)s: %(status)s"),
        params={"date": grant.work_date, "status": grant.get_status_display()},
        url=reverse("leave:comp_time"),
    )
    return grant


def _may_grant_comp_time(*, actor, user) -> bool:
    """The head of the person's department, or whoever decides their leave today, may grant comp time.

    A role permission is deliberately not enough: a manager must not grant comp time to people
    whose leave they do not decide (another department, or their own superior).
    """
    if not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    department = user.department
    if department is not None and department.head_id == actor.pk:
        return True
    try:
        approver = leave_approver_for(user=user, on_date=timezone.localdate())
    except ValidationError:
        return False
    return approver.pk == actor.pk


@transaction.atomic
def comp_time_grant_direct(*, actor, user, days: Decimal, reason: str) -> CompTimeEntry:
    """The head grants comp time with a reason, without a request."""
    if user.pk == actor.pk or not _may_grant_comp_time(actor=actor, user=user):
        raise PermissionDenied
    if days <= 0 or days > Decimal("10") or (days * 2) % 1 != 0:
        raise _invalid(_("Grant between half a day and 10 days, in half days."), "invalid_comp_days", "days")
    if not reason.strip():
        raise _invalid(_("Give a reason."), "reason_required", "reason")
    User.objects.select_for_update().filter(pk=user.pk).first()
    entry = CompTimeEntry.objects.create(
        user=user, kind=CompTimeEntry.Kind.GRANT, days=days, created_by=actor, reason=reason.strip()
    )
    notification_send(
        recipient=user,
        title=gettext_lazy("You were granted %(days)s days of comp time"),
        body=reason.strip(),
        params={"days": days},
        url=reverse("leave:comp_time"),
    )
    return entry


@dataclass(frozen=True)
class BatchFailure:
    leave: LeaveRequest
    reason: str
    code: str


def leave_requests_approve_batch(
    *, actor, leaves: Iterable[LeaveRequest], comment: str = ""
) -> tuple[list[LeaveRequest], list[BatchFailure]]:
    """Approve each of ``leaves`` with the same comment; return the approved ones and the failures.

    Deliberately not atomic as a whole: each request goes through ``leave_request_approve`` in a
    transaction of its own (a savepoint when called inside one), under its own locks and with its
    own audit event, so a request that fails its checks is reported and the others still go
    through. Requests are taken in primary-key order, so two batches lock in the same order.
    """
    approved: list[LeaveRequest] = []
    failures: list[BatchFailure] = []
    for leave in sorted(leaves, key=lambda item: item.pk):
        try:
            approved.append(leave_request_approve(actor=actor, leave=leave, comment=comment))
        except ValidationError as exc:
            code = getattr(exc, "code", None) or "invalid"
            failures.append(BatchFailure(leave=leave, reason=join_messages(exc.messages), code=code))
        except PermissionDenied:
            failures.append(BatchFailure(leave=leave, reason=_("You do not decide this request."), code="not_approver"))
    return approved, failures

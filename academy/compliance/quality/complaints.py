"""Complaints (réclamations) and improvement actions: the rules of Qualiopi indicators 31 and 32."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.core.audit import record_event
from academy.core.notifications import notify
from academy.core.services import staff_recipients

from ..models import Complaint, ImprovementAction


class QualityError(Exception):
    """A quality record cannot be changed as asked; the message is user-facing."""


def answer_delay_days() -> int:
    """Days within which a complaint is answered (``COMPLAINT_ANSWER_DAYS``, 15 by default)."""
    return int(getattr(settings, "COMPLAINT_ANSWER_DAYS", 15))


def _next_reference(year: int) -> str:
    prefix = "R-%d-" % year
    last = (
        Complaint.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    return "%s%04d" % (prefix, int(last[len(prefix) :]) + 1 if last else 1)


def file_complaint(
    *,
    source: str,
    name: str,
    subject: str,
    description: str,
    email: str = "",
    organisation_name: str = "",
    course_session=None,
    channel: str = Complaint.Channel.WEB_FORM,
    received_at: datetime.datetime | None = None,
    by=None,
) -> Complaint:
    """Record a complaint, acknowledge it by e-mail (when an address is given) and tell staff.

    ``received_at`` (aware, default now) may be earlier for a complaint received by phone or
    letter, never later than now (evidence follows time). The answer is due
    ``answer_delay_days()`` after reception. Raises QualityError for a future reception date.
    """
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise QualityError(_("A complaint cannot be received in the future."))
    tz = course_session.tzinfo if course_session is not None else timezone.get_default_timezone()
    due_on = timezone.localdate(received_at, timezone=tz) + datetime.timedelta(days=answer_delay_days())
    for _attempt in range(3):
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    reference=_next_reference(timezone.localdate(received_at, timezone=tz).year),
                    source=source,
                    channel=channel,
                    name=name.strip()[:200],
                    email=email.strip(),
                    organisation_name=organisation_name.strip()[:200],
                    subject=subject.strip()[:200],
                    description=description.strip(),
                    course_session=course_session,
                    received_at=received_at,
                    answer_due_on=due_on,
                    acknowledged_at=now if email.strip() else None,
                )
                break
        except IntegrityError:  # two complaints took the same number at once: take the next one
            continue
    else:  # pragma: no cover - three collisions in a row
        raise QualityError(_("The complaint could not be numbered; please try again."))
    context = {"complaint": complaint, "due_on": due_on}
    if complaint.email:
        notify(event="compliance.complaint_acknowledged", to=(complaint.name, complaint.email), context=context)
    notify(event="compliance.complaint_received", to=staff_recipients(), context=context)
    record_event(
        "complaint.received",
        obj=complaint,
        data={"reference": complaint.reference, "source": source, "session": getattr(course_session, "pk", None)},
        person_email=complaint.email,
        summary="complaint %s received" % complaint.reference,
        actor=by,
    )
    return complaint


def answer_complaint(*, complaint: Complaint, answer: str, by, send: bool = True) -> Complaint:
    """Store the answer to ``complaint`` and e-mail it to the person (when ``send`` and an address exist).

    Raises QualityError for an empty answer or a closed complaint.
    """
    answer = (answer or "").strip()
    if not answer:
        raise QualityError(_("Write the answer before saving it."))
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status == Complaint.Status.CLOSED:
            raise QualityError(_("This complaint is closed: its answer can no longer change."))
        locked.answer = answer
        locked.answered_at = timezone.now()
        locked.answered_by = by if getattr(by, "is_authenticated", False) else None
        locked.status = Complaint.Status.ANSWERED
        locked.save()
        if send and locked.email:
            notify(event="compliance.complaint_answered", to=(locked.name, locked.email), context={"complaint": locked})
        record_event(
            "complaint.answered",
            obj=locked,
            data={"reference": locked.reference},
            person_email=locked.email,
            summary="complaint %s answered" % locked.reference,
            actor=by,
        )
    return locked


def close_complaint(*, complaint: Complaint, by) -> Complaint:
    """Close ``complaint``. Raises QualityError when it has no answer yet (Qualiopi indicator 31)."""
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not locked.answer.strip() or locked.answered_at is None:
            raise QualityError(_("A complaint cannot be closed without an answer."))
        if locked.status != Complaint.Status.CLOSED:
            locked.status = Complaint.Status.CLOSED
            locked.closed_at = timezone.now()
            locked.save()
            record_event(
                "complaint.closed",
                obj=locked,
                data={"reference": locked.reference},
                summary="complaint %s closed" % locked.reference,
                actor=by,
            )
    return locked


def create_improvement_action(*, by=None, **values) -> ImprovementAction:
    """Create an improvement action from ``values`` (model field names).

    Raises QualityError when the owner or the due date is missing, or when the cause names a
    complaint or watch entry without linking it (Qualiopi indicator 32).
    """
    if not values.get("owner"):
        raise QualityError(_("An improvement action needs an owner."))
    if not values.get("due_on"):
        raise QualityError(_("An improvement action needs a due date."))
    if not (values.get("title") or "").strip():
        raise QualityError(_("Give the action a title."))
    cause = values.get("cause")
    if cause == ImprovementAction.Cause.COMPLAINT and not values.get("complaint"):
        raise QualityError(_("Choose the complaint that caused this action."))
    if cause == ImprovementAction.Cause.WATCH and not values.get("watch_entry"):
        raise QualityError(_("Choose the watch entry that caused this action."))
    action = ImprovementAction.objects.create(**values)
    record_event(
        "improvement_action.created",
        obj=action,
        data={"cause": cause, "complaint": values.get("complaint") and values["complaint"].pk},
        summary="improvement action created",
        actor=by,
    )
    return action


def update_improvement_action(*, action: ImprovementAction, status: str, effect: str, by=None) -> ImprovementAction:
    """Move ``action`` to ``status`` with its ``effect``; "done" needs the effect stated.

    Raises QualityError for an unknown status or a "done" without effect.
    """
    if status not in ImprovementAction.Status.values:
        raise QualityError(_("Unknown status."))
    effect = (effect or "").strip()
    if status == ImprovementAction.Status.DONE and not effect:
        raise QualityError(_("Say what the action changed before marking it done."))
    with transaction.atomic():
        locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
        locked.status = status
        locked.effect = effect
        locked.closed_at = timezone.now() if status in ImprovementAction.CLOSED_STATUSES else None
        locked.save()
        record_event(
            "improvement_action.updated",
            obj=locked,
            data={"status": status},
            summary="improvement action %s" % status,
            actor=by,
        )
    return locked

"""What the attendance app holds about a person (trainee), for access and erasure requests.

Attendance records and signatures are legal evidence kept 3 years after the end of the year of
the last payment (``academy.attendance.retention``): erasure keeps them during that period and
removes them afterwards.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from academy.enrolment.models import Enrolment
from academy.enrolment.personal_data import erased_enrolments
from academy.privacy.registry import PersonalDataProvider

from .models import Attendance, RetainedTraineeName, Signature
from .retention import enrolment_retention_until


def export(email_normalised: str) -> dict:
    """Return the person's attendance and signatures (time, IP, device, drawing)."""
    enrolments = Enrolment.objects.filter(email_normalised=email_normalised)
    attendance = [
        {
            "course": a.slot.course_session.course.title,
            "slot_start": a.slot.starts_at.isoformat(),
            "status": a.status,
            "arrived_at": a.arrived_at.isoformat() if a.arrived_at else None,
            "left_at": a.left_at.isoformat() if a.left_at else None,
            "note": a.note,
        }
        for a in Attendance.objects.filter(enrolment__in=enrolments).select_related("slot__course_session__course")
    ]
    signatures = [
        {
            "course": s.slot.course_session.course.title,
            "slot_start": s.slot.starts_at.isoformat(),
            "method": s.method,
            "signed_at": s.signed_at.isoformat(),
            "ip_address": s.ip_address,
            "user_agent": s.user_agent,
            "drawing": s.strokes,
        }
        for s in Signature.objects.filter(enrolment__in=enrolments).select_related("slot__course_session__course")
    ]
    if not attendance and not signatures:
        return {}
    return {"attendance": attendance, "signatures": signatures}


def erase(email_normalised: str) -> int:
    """Delete the person's attendance records and signatures whose retention period has ended.

    Records still under retention are kept unchanged (listed in ``retained``), with the trainee's
    name copied beside them so the attendance sheet still says who signed once the enrolment is
    anonymised (this provider runs before the enrolment one). Returns how many records were deleted.
    """
    enrolments = Enrolment.objects.filter(email_normalised=email_normalised)
    today = timezone.localdate()
    with transaction.atomic():
        for enrolment in enrolments.filter(Q(attendances__isnull=False) | Q(signatures__isnull=False)).distinct():
            if today <= enrolment_retention_until(enrolment=enrolment):
                RetainedTraineeName.objects.get_or_create(
                    enrolment=enrolment, defaults={"full_name": enrolment.full_name}
                )
        return _delete_past_retention(enrolments, today=today)


def apply_retention(now: datetime) -> int:
    """Delete what an erasure kept (attendance, signatures) once its retention period has ended."""
    return _delete_past_retention(erased_enrolments(), today=timezone.localdate(now))


def _delete_past_retention(enrolments, *, today: date) -> int:
    count = 0
    with transaction.atomic():
        for enrolment in enrolments.filter(Q(attendances__isnull=False) | Q(signatures__isnull=False)).distinct():
            if today <= enrolment_retention_until(enrolment=enrolment):
                continue
            count += Signature.objects.filter(enrolment=enrolment).delete()[0]
            count += Attendance.objects.filter(enrolment=enrolment).delete()[0]
            count += RetainedTraineeName.objects.filter(enrolment=enrolment).delete()[0]
    return count


PROVIDER = PersonalDataProvider(
    app_label="attendance",
    export=export,
    erase=erase,
    apply_retention=apply_retention,
    retained=[
        "Attendance records and signatures, with the trainee's name as printed on the attendance sheet, kept "
        "until 31 December of the third year after the last payment (evidence for funders; Ministry of Labour "
        "certificate of completion model).",
    ],
)

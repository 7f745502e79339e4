"""What the certification app holds about a person, for access and erasure requests.

Certificates of completion are legal evidence kept 3 years after the end of the year of the last
payment (``academy.attendance.retention``): erasure keeps them during that period.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from academy.attendance.retention import enrolment_retention_until
from academy.enrolment.models import Enrolment
from academy.enrolment.personal_data import erased_enrolments
from academy.privacy.registry import ERASED_TEXT, PersonalDataProvider

from .models import Attestation, Certificate, CertificateBatch


def export(email_normalised: str) -> dict:
    """Return the person's certificates (every version, with its status and verification path)."""
    certificates = [
        {
            "holder_name": c.holder_name,
            "course": c.course_title,
            "version": c.version,
            "status": c.status,
            "nature": c.nature,
            "first_date": c.first_date.isoformat(),
            "last_date": c.last_date.isoformat(),
            "hours": str(c.hours),
            "issued_at": c.issued_at.isoformat(),
            "verification_path": c.get_verification_url(),
        }
        for c in Certificate.objects.filter(enrolment__email_normalised=email_normalised).order_by("issued_at")
    ]
    return {"certificates": certificates} if certificates else {}


def erase(email_normalised: str) -> int:
    """Delete the person's certificates and attestations (rows and PDF files) whose retention period has ended.

    Certificates still under retention are kept (listed in ``retained``); the person's lines in
    certificate batch reports lose their name whatever the date (they are not evidence). Returns
    how many certificates were deleted and batch reports changed.
    """
    with transaction.atomic():
        enrolments = list(Enrolment.objects.filter(email_normalised=email_normalised))
        return _erase_from_batch_reports(enrolments) + _delete_past_retention(enrolments, today=timezone.localdate())


def apply_retention(now: datetime) -> int:
    """Delete the certificates an erasure kept (rows and PDF files) once their retention period has ended."""
    enrolments = erased_enrolments().filter(certificates__isnull=False).distinct()
    return _delete_past_retention(list(enrolments), today=timezone.localdate(now))


def _delete_past_retention(enrolments: list[Enrolment], *, today: date) -> int:
    count = 0
    with transaction.atomic():
        for enrolment in enrolments:
            if today <= enrolment_retention_until(enrolment=enrolment):
                continue
            certificates = list(Certificate.objects.filter(enrolment=enrolment))
            names = [c.pdf.name for c in certificates if c.pdf]
            # The end-of-training attestations go with their certificates.
            attestations = Attestation.objects.filter(enrolment=enrolment)
            names += [a.pdf.name for a in attestations if a.pdf]
            attestations.delete()
            Certificate.objects.filter(enrolment=enrolment).update(supersedes=None)
            count += Certificate.objects.filter(enrolment=enrolment).delete()[0]
            for name in names:
                transaction.on_commit(lambda name=name: default_storage.delete(name))
    return count


def _erase_from_batch_reports(enrolments: list[Enrolment]) -> int:
    ids = {e.pk for e in enrolments}
    changed = 0
    batches = CertificateBatch.objects.filter(course_session__in={e.course_session_id for e in enrolments})
    for batch in batches.select_for_update():
        report = [
            {**line, "name": ERASED_TEXT, **({"error": ERASED_TEXT} if "error" in line else {})}
            if line.get("enrolment") in ids
            else line
            for line in batch.report or []
        ]
        if report != batch.report:
            CertificateBatch.objects.filter(pk=batch.pk).update(report=report)
            changed += 1
    return changed


PROVIDER = PersonalDataProvider(
    app_label="certification",
    export=export,
    erase=erase,
    apply_retention=apply_retention,
    retained=[
        "Certificates of completion, kept until 31 December of the third year after the last payment "
        "(Ministry of Labour certificate of completion model, conservation clause).",
        "End-of-training attestations, kept with the certificate they were issued with (Code du travail L6353-1).",
    ],
)

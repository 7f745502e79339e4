"""Sending certificates of completion and attendance sheets to a client organisation and its funders.

Per organisation, ``DocumentSharing`` says whether these documents go to its contacts
(``to_contact``) and to the OPCO or public funders of the booking (``to_funder``, proof of the
training for the funder, Code du travail R.6332-26). Each sending is one e-mail through
``notify`` (event ``clientspace.document_shared``, PDF attached; erased addresses are dropped
there) and one typed audit event. An inter-company attendance sheet names other organisations'
trainees, so it is never sent.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from academy.certification.models import Certificate
from academy.commerce.funding import shares_for
from academy.core.audit import record_event
from academy.core.notifications import notify
from academy.scheduling.models import CourseSession

from .models import DocumentSharing

#: Funders (``FundingShare.payer_kind``) that receive the documents when ``to_funder`` is on.
FUNDER_KINDS = ("opco", "public")

EVENT = "clientspace.document_shared"


class SharingError(ValueError):
    """A document cannot be sent to the client; the message is user-facing."""


def contact_recipients(client_organisation_id: int) -> list[tuple[str, str]]:
    """``(name, address)`` of the active users who are contacts of the organisation."""
    users = get_user_model().objects.filter(
        client_contact__client_organisation_id=client_organisation_id, is_active=True
    )
    return [(user.get_full_name(), user.email) for user in users.order_by("pk") if user.email]


def funder_recipients(bookings) -> list[tuple[str, str]]:
    """``(payer name, address)`` of the OPCO and public funders of ``bookings`` with an address."""
    found = []
    for booking in bookings:
        for share in shares_for(booking):
            if share.payer_kind in FUNDER_KINDS and share.email and (share.payer_name, share.email) not in found:
                found.append((share.payer_name, share.email))
    return found


def _send(*, sharing: DocumentSharing, bookings, context, filename, content, audit, obj, data, language="fr"):
    """Send to the contacts and/or funders ``sharing`` allows; return how many e-mails were queued."""
    groups = []
    if sharing.to_contact:
        groups.append(("contact", contact_recipients(sharing.client_organisation_id)))
    if sharing.to_funder:
        groups.append(("funder", funder_recipients(bookings)))
    sent = 0
    with transaction.atomic():
        for audience, recipients in groups:
            for name, address in recipients:
                message = notify(
                    event=EVENT,
                    to=[(name, address)],
                    context={**context, "name": name},
                    language=language,
                    attachments=[(filename, content, "application/pdf")],
                    category="document_sharing",
                )
                if message is None:
                    continue  # an erased address: nothing was written to it
                sent += 1
                record_event(
                    audit,
                    obj=obj,
                    data={**data, "audience": audience, "client_organisation": sharing.client_organisation_id},
                    person_email=address,
                )
    return sent


def share_certificate(certificate: Certificate) -> int:
    """Send ``certificate``'s PDF to its client organisation's contacts and funders, per its setting.

    Returns the number of e-mails queued: 0 when the trainee's booking has no client organisation
    or the setting sends to nobody.
    """
    booking = certificate.enrolment.booking
    if booking is None or booking.client_organisation_id is None:
        return 0
    with default_storage.open(certificate.pdf.name, "rb") as handle:
        content = handle.read()
    return _send(
        sharing=DocumentSharing.for_organisation(booking.client_organisation_id),
        bookings=[booking],
        context={
            "kind": "certificate",
            "holder": certificate.holder_name,
            "course": certificate.course_title,
            "organisation_name": str(booking.client_organisation),
        },
        filename="certificat-de-realisation-%s.pdf" % certificate.public_id[:8],
        content=content,
        audit="certificate.shared",
        language=booking.language or "fr",
        obj=certificate,
        data={"enrolment": certificate.enrolment_id, "version": certificate.version},
    )


def share_attendance_sheet(course_session: CourseSession) -> int:
    """Send the attendance sheet PDF of a session run for one organisation alone, per its setting.

    Returns the number of e-mails queued. Raises SharingError for an inter-company session: its
    sheet names other organisations' trainees.
    """
    from academy.attendance.documents import render_attendance_sheet

    if course_session.client_organisation_id is None:
        raise SharingError(
            _("The attendance sheet of an inter-company session names other organisations' trainees: it is never sent.")
        )
    bookings = course_session.bookings.filter(client_organisation_id=course_session.client_organisation_id)
    return _send(
        sharing=DocumentSharing.for_organisation(course_session.client_organisation_id),
        bookings=list(bookings),
        context={
            "kind": "attendance_sheet",
            "course": course_session.course.title,
            "organisation_name": str(course_session.client_organisation),
        },
        filename="feuille-emargement-%s-%s.pdf" % (course_session.course.code, course_session.pk),
        content=render_attendance_sheet(course_session=course_session),
        audit="attendance_sheet.shared",
        obj=course_session,
        data={"course_session": course_session.pk},
    )


def on_certificate_issued(sender, *, certificate: Certificate, **kwargs) -> None:
    """Receiver of ``certification.signals.certificate_issued``: share the new certificate."""
    share_certificate(certificate)

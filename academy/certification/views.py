"""Pages of the certification app: public verification, trainee download, staff issuing."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.accounts.access import back_office_required, is_staff_admin
from academy.attendance.services import session_attendance
from academy.core.models import AuditLogEntry, TrainingOrganisation
from academy.core.services import record_audit
from academy.scheduling.models import CourseSession

from .models import Certificate, CertificateBatch
from .services import (
    CertificateError,
    correct_certificate,
    format_hours,
    issue_certificate,
    issuing_blockers,
    read_download_token,
    revoke_certificate,
    start_certificate_batch,
)

_PUBLIC_ID = re.compile(r"^[0-9a-f]{32}$")


def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """Public page: is this certificate valid, superseded or revoked? Unknown or tampered ids give 404.

    Once its holder's data was erased (GDPR art. 17) the page still answers, since the certificate
    is evidence kept for its retention period, but no longer shows the holder's name to the public.
    """
    if not _PUBLIC_ID.match(public_id or ""):
        raise Http404("unknown certificate")
    certificate = Certificate.objects.filter(public_id=public_id).select_related("enrolment").first()
    if certificate is None:
        raise Http404("unknown certificate")
    return render(
        request,
        "certification/verify.html",
        {
            "certificate": certificate,
            "holder_erased": certificate.enrolment.is_erased,
            "hours_text": format_hours(certificate.hours, request.LANGUAGE_CODE or "fr"),
        },
    )


def _pdf_response(certificate: Certificate) -> FileResponse:
    if not certificate.pdf:
        raise Http404("no file")
    handle = default_storage.open(certificate.pdf.name, "rb")
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=False,
        filename="certificat-de-realisation-%s.pdf" % certificate.public_id[:8],
    )


def download(request: HttpRequest, token: str) -> FileResponse:
    """The trainee's signed download link (from their e-mail)."""
    try:
        certificate = read_download_token(token)
    except Certificate.DoesNotExist:
        raise Http404("unknown certificate") from None
    record_audit(action=AuditLogEntry.Action.VIEW, obj=certificate, summary="downloaded by link", request=request)
    return _pdf_response(certificate)


@back_office_required
def certificate_pdf(request: HttpRequest, certificate_id: int) -> FileResponse:
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    record_audit(action=AuditLogEntry.Action.VIEW, obj=certificate, summary="PDF viewed by staff", request=request)
    return _pdf_response(certificate)


@back_office_required
def attestation_pdf(request: HttpRequest, certificate_id: int) -> FileResponse:
    """The end-of-training attestation issued with certificate ``certificate_id`` (staff)."""
    from .attestations import attestation_filename
    from .models import Attestation

    attestation = get_object_or_404(Attestation.objects.select_related("certificate"), certificate_id=certificate_id)
    if not attestation.pdf:
        raise Http404("no file")
    record_audit(action=AuditLogEntry.Action.VIEW, obj=attestation, summary="PDF viewed by staff", request=request)
    return FileResponse(
        default_storage.open(attestation.pdf.name, "rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=attestation_filename(attestation),
    )


@back_office_required
def session_certificates(request: HttpRequest, session_id: int) -> HttpResponse:
    """Staff page: each trainee's credited hours and certificates, issuing buttons, batch progress."""
    course_session = get_object_or_404(CourseSession.objects.select_related("course"), pk=session_id)
    slots, rows = session_attendance(course_session=course_session)
    certificates: dict[int, list[Certificate]] = {}
    for certificate in Certificate.objects.filter(enrolment__course_session=course_session).order_by("-version"):
        certificates.setdefault(certificate.enrolment_id, []).append(certificate)
    lines = [
        {
            "row": row,
            "hours_text": format_hours(row.hours, request.LANGUAGE_CODE or "fr"),
            "certificates": certificates.get(row.enrolment.pk, []),
        }
        for row in rows
    ]
    batch = course_session.certificate_batches.first()
    return render(
        request,
        "certification/session.html",
        {
            "course_session": course_session,
            "lines": lines,
            "batch": batch,
            "natures": Certificate.Nature.choices,
            # Only administrators may change the organisation; planners are told whom to ask.
            "may_change_organisation": is_staff_admin(request.user),
            "blockers": issuing_blockers(
                course_session=course_session, slots=slots, organisation=TrainingOrganisation.for_request(request)
            ),
        },
    )


@back_office_required
@require_POST
def start_batch(request: HttpRequest, session_id: int) -> HttpResponse:
    course_session = get_object_or_404(CourseSession, pk=session_id)
    try:
        start_certificate_batch(course_session=course_session, by=request.user)
    except CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The certificates are being issued and sent; progress is shown below."))
    return redirect("certification:session", session_id=session_id)


@back_office_required
def batch_progress(request: HttpRequest, batch_id: int) -> JsonResponse:
    batch = get_object_or_404(CertificateBatch, pk=batch_id)
    return JsonResponse(
        {
            "status": batch.status,
            "total": batch.total,
            "done": batch.done,
            "skipped": batch.skipped,
            "progress_pct": batch.progress_pct,
        }
    )


@back_office_required
@require_POST
def issue_one(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    from academy.enrolment.models import Enrolment

    enrolment = get_object_or_404(Enrolment, pk=enrolment_id)
    nature = request.POST.get("nature") or Certificate.Nature.TRAINING
    try:
        certificate = issue_certificate(enrolment=enrolment, by=request.user, nature=nature)
    except CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Certificate %(number)s of %(name)s is ready.")
            % {"number": certificate.public_id[:8], "name": certificate.holder_name},
        )
    return redirect("certification:session", session_id=enrolment.course_session_id)


@back_office_required
@require_POST
def correct(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    try:
        new = correct_certificate(
            certificate=certificate,
            by=request.user,
            reason=request.POST.get("reason", ""),
            nature=request.POST.get("nature") or None,
        )
    except CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Version %(version)s issued; the previous one is marked superseded.") % {"version": new.version}
        )
    return redirect("certification:session", session_id=certificate.enrolment.course_session_id)


@back_office_required
@require_POST
def revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    try:
        revoke_certificate(certificate=certificate, by=request.user, reason=request.POST.get("reason", ""))
    except CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("certification:session", session_id=certificate.enrolment.course_session_id)

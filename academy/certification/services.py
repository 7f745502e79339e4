"""Issuing, correcting, revoking and sending certificates of completion.

The certificate follows the Ministry of Labour's model "certificat de réalisation" (2020): legal
representative and organisation, trainee and employer, course title, nature of the action
(Code du travail L.6313-1: training action, skills assessment, VAE, apprenticeship), first and
last attended days, hours actually attended, place, date and signature. Hours come only from
half-days signed by the trainee and countersigned by the trainer
(``academy.attendance.services.session_attendance``).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.attendance.services import trainee_hours
from academy.core import tokens
from academy.core.audit import record_event
from academy.core.models import AuditLogEntry, TrainingOrganisation
from academy.core.notifications import notify
from academy.core.numbers import round_half_up
from academy.core.pdf import render_pdf
from academy.core.services import record_audit
from academy.enrolment.models import Enrolment
from academy.scheduling.models import CourseSession

from .models import Certificate, CertificateBatch
from .signals import certificate_issued

PDF_VARIANT = "pdf/a-3b"
DOWNLOAD_PURPOSE = "certificate-download"
DOWNLOAD_LINK_VALIDITY = timedelta(days=90)


class CertificateError(Exception):
    """A certificate cannot be issued, corrected or revoked; the message is user-facing."""


def format_hours(hours: Decimal, language: str = "fr") -> str:
    """Return ``hours`` without trailing zeros, with the language's decimal mark ("10,5" in French)."""
    text = format(round_half_up(hours, 2), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if language.startswith("fr") else text


def _place(organisation: TrainingOrganisation, course_session: CourseSession) -> str:
    """The "done at" place: the organisation's town (last address line without postcode), else the venue."""
    for address in (organisation.address, course_session.venue_address):
        lines = [line.strip() for line in (address or "").splitlines() if line.strip()]
        if lines:
            words = lines[-1].split()
            town = " ".join(w for w in words if not w.isdigit())
            return (town or lines[-1])[:200]
    return organisation.name[:200]


def verification_url(certificate: Certificate) -> str:
    """Absolute URL of the public verification page (printed and QR-encoded on the PDF)."""
    return settings.SITE_URL + certificate.get_verification_url()


def _qr_data_uri(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=3, border=0, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """Render ``certificate`` to a one-page PDF/A (French, the model's language)."""
    organisation = TrainingOrganisation.current()
    with translation.override("fr"):
        context = {
            "certificate": certificate,
            "organisation": organisation,
            "natures": [(value, label, value == certificate.nature) for value, label in Certificate.Nature.choices],
            "hours_text": format_hours(certificate.hours, "fr"),
            "verification_url": verification_url(certificate),
            "qr_data_uri": _qr_data_uri(verification_url(certificate)),
        }
        return render_pdf("certification/certificate_pdf.html", context, pdf_variant=PDF_VARIANT)


#: The organisation's fields the Ministry of Labour's model prints in its "organisme" block: a
#: certificate missing one of them is not a valid piece of evidence for a funder.
LEGAL_IDENTITY_FIELDS = ("legal_representative", "siret", "declaration_number")


def missing_legal_identity(organisation: TrainingOrganisation | None = None) -> list[str]:
    """Return the labels (translated) of the organisation's legal-identity fields left empty.

    The certificate of completion model names the organisation's legal representative, its SIRET
    and its declaration number (Code du travail L.6351-1). An empty list means issuing may go on.
    """
    organisation = organisation or TrainingOrganisation.current()
    return [
        str(TrainingOrganisation._meta.get_field(name).verbose_name)
        for name in LEGAL_IDENTITY_FIELDS
        if not (getattr(organisation, name) or "").strip()
    ]


def issuing_blockers(
    *, course_session: CourseSession, slots=None, at=None, organisation: TrainingOrganisation | None = None
) -> list[str]:
    """Return why certificates of ``course_session`` cannot be issued at ``at`` (now), each a message.

    A certificate attests hours actually attended, so none exists before the session's last
    half-day has ended; and none while the organisation's legal identity is incomplete. An empty
    list means issuing is allowed. ``slots`` (the session's, already loaded) and ``organisation``
    (already read) save a query each.
    """
    at = at or timezone.now()
    reasons = []
    if slots is not None:
        last_end = max((slot.ends_at for slot in slots), default=None)
    else:
        last_end = course_session.slots.aggregate(end=Max("ends_at"))["end"]
    if last_end is None:
        reasons.append(_("This session has no half-day yet: there is nothing to certify."))
    elif at < last_end:
        local = timezone.localtime(last_end, course_session.tzinfo)
        reasons.append(
            _(
                "The session is not over: certificates can be issued once its last half-day has ended, "
                "on %(date)s at %(time)s."
            )
            % {"date": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")}
        )
    if missing := missing_legal_identity(organisation):
        reasons.append(
            _(
                "The training organisation's legal identity is incomplete: fill in %(missing)s "
                "(administration, training organisation) before issuing certificates."
            )
            % {"missing": ", ".join(missing)}
        )
    return reasons


def ensure_issuing_allowed(*, course_session: CourseSession) -> None:
    """Raise CertificateError, naming every reason, unless ``course_session``'s certificates may be
    issued now (see ``issuing_blockers``). Every path that issues calls it: page, batch, command."""
    if reasons := issuing_blockers(course_session=course_session):
        raise CertificateError(" ".join(reasons))


def _snapshot(enrolment: Enrolment, *, nature: str) -> dict:
    summary = trainee_hours(enrolment=enrolment)
    if summary.hours <= 0 or summary.first_date is None:
        raise CertificateError(
            _("%(name)s has no half-day signed by both the trainee and the trainer yet.")
            % {"name": enrolment.full_name}
        )
    if nature not in Certificate.Nature.values:
        raise CertificateError(_("Unknown nature of the action."))
    course_session = enrolment.course_session
    organisation = TrainingOrganisation.current()
    employer = enrolment.booking.client_organisation
    return {
        "nature": nature,
        "holder_name": enrolment.full_name,
        "employer_name": employer.name if employer else "",
        "employer_address": employer.address if employer else "",
        "course_title": course_session.course.title,
        "issuer_name": organisation.legal_name or organisation.name,
        "first_date": summary.first_date,
        "last_date": summary.last_date,
        "hours": summary.hours,
        "place": _place(organisation, course_session),
    }


def _create_version(
    *, enrolment: Enrolment, by, nature: str, supersedes: Certificate | None = None, reason: str = ""
) -> Certificate:
    data = _snapshot(enrolment, nature=nature)
    version = (enrolment.certificates.aggregate(v=Max("version"))["v"] or 0) + 1
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        version=version,
        issued_at=timezone.now(),
        issued_by=by if getattr(by, "is_authenticated", False) else None,
        supersedes=supersedes,
        correction_reason=reason[:300],
        **data,
    )
    certificate.pdf.save("certificate.pdf", ContentFile(render_certificate_pdf(certificate)), save=True)
    # The end-of-training attestation (L6353-1) is issued with each certificate version.
    from .attestations import issue_attestation

    issue_attestation(certificate=certificate, by=by)
    return certificate


def _announce(certificate: Certificate) -> None:
    # After commit: listeners (the client space) must never see, nor send, a rolled-back certificate.
    transaction.on_commit(lambda: certificate_issued.send(sender=Certificate, certificate=certificate))


def issue_certificate(
    *, enrolment: Enrolment, by=None, nature: str = Certificate.Nature.TRAINING, send: bool = True
) -> Certificate:
    """Return ``enrolment``'s current certificate, issuing (and e-mailing) it when there is none.

    Asking twice, even at the same instant, gives the same certificate (FC-08): the enrolment row
    is locked and the database holds one current certificate per enrolment. Raises
    CertificateError when no half-day has been signed by both the trainee and the trainer, before
    the session's last half-day has ended, or while the organisation's legal identity is
    incomplete (``ensure_issuing_allowed``).
    """
    try:
        with transaction.atomic():
            locked = (
                Enrolment.objects.select_for_update(of=("self",))
                .select_related("course_session__course", "booking__client_organisation")
                .get(pk=enrolment.pk)
            )
            existing = locked.certificates.filter(status=Certificate.Status.CURRENT).first()
            if existing is not None:
                return existing
            if locked.status != Enrolment.Status.CONFIRMED:
                raise CertificateError(_("Only confirmed trainees receive a certificate."))
            ensure_issuing_allowed(course_session=locked.course_session)
            certificate = _create_version(enrolment=locked, by=by, nature=nature)
            record_event(
                "certificate.issued",
                obj=certificate,
                data={"enrolment": locked.pk, "version": certificate.version, "hours": str(certificate.hours)},
                person_email=locked.email,
                summary="certificate issued v%d" % certificate.version,
                actor=by,
            )
            if send:
                send_certificate(certificate=certificate)
                _announce(certificate)
            return certificate
    except IntegrityError:
        # Another transaction issued it between our read and our write (databases without row locks).
        existing = Certificate.objects.filter(enrolment_id=enrolment.pk, status=Certificate.Status.CURRENT).first()
        if existing is None:
            raise
        return existing


def correct_certificate(
    *, certificate: Certificate, by=None, reason: str, nature: str | None = None, send: bool = True
) -> Certificate:
    """Issue a corrected version of ``certificate`` (recomputed from attendance) and supersede it.

    Raises CertificateError unless ``certificate`` is the current version or when ``reason`` is empty.
    """
    if not reason.strip():
        raise CertificateError(_("Say why the certificate is corrected."))
    with transaction.atomic():
        Enrolment.objects.select_for_update().get(pk=certificate.enrolment_id)
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status != Certificate.Status.CURRENT:
            raise CertificateError(_("Only the current version of a certificate can be corrected."))
        ensure_issuing_allowed(course_session=old.enrolment.course_session)
        old.status = Certificate.Status.SUPERSEDED
        old.save(update_fields=["status"])
        new = _create_version(
            enrolment=old.enrolment, by=by, nature=nature or old.nature, supersedes=old, reason=reason
        )
        record_event(
            "certificate.corrected",
            obj=new,
            data={
                "enrolment": old.enrolment_id,
                "supersedes": old.pk,
                "version": new.version,
                "hours": str(new.hours),
            },
            person_email=old.enrolment.email,
            summary="corrected v%d → v%d: %s" % (old.version, new.version, reason),
            actor=by,
        )
        if send:
            send_certificate(certificate=new)
            _announce(new)
    return new


def revoke_certificate(*, certificate: Certificate, by=None, reason: str) -> Certificate:
    """Mark ``certificate`` revoked (the verification page then says so). Raises CertificateError."""
    if not reason.strip():
        raise CertificateError(_("Say why the certificate is revoked."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == Certificate.Status.REVOKED:
            raise CertificateError(_("This certificate is already revoked."))
        locked.status = Certificate.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason[:300]
        locked.save(update_fields=["status", "revoked_at", "revocation_reason"])
        record_event(
            "certificate.revoked",
            obj=locked,
            data={"enrolment": locked.enrolment_id, "version": locked.version},
            person_email=locked.enrolment.email,
            summary="revoked: %s" % reason,
            actor=by,
        )
    return locked


def download_token(certificate: Certificate) -> str:
    """Signed token for the trainee's download link (valid ``DOWNLOAD_LINK_VALIDITY``)."""
    return tokens.make_token(DOWNLOAD_PURPOSE, {"c": certificate.public_id})


def read_download_token(token: str) -> Certificate:
    """Return the certificate named by a download token; raises Certificate.DoesNotExist otherwise.

    The link dies with its holder's erasure (GDPR art. 17), as if it had expired.
    """
    try:
        payload = tokens.read_token(DOWNLOAD_PURPOSE, token, max_age=DOWNLOAD_LINK_VALIDITY)
    except tokens.InvalidToken:
        raise Certificate.DoesNotExist from None
    certificate = Certificate.objects.select_related("enrolment").get(public_id=str(payload.get("c", "")))
    if certificate.enrolment.is_erased:
        raise Certificate.DoesNotExist
    return certificate


def send_certificate(*, certificate: Certificate) -> None:
    """E-mail the certificate to its holder alone, PDF attached, with its verification link."""
    enrolment = certificate.enrolment
    with default_storage.open(certificate.pdf.name, "rb") as handle:
        content = handle.read()
    language = enrolment.booking.language or "fr"
    with translation.override(language):
        context = {
            "name": certificate.holder_name,
            "course": certificate.course_title,
            "hours": format_hours(certificate.hours, language),
            "verify": verification_url(certificate),
            "download": settings.SITE_URL + reverse("certification:download", args=[download_token(certificate)]),
        }
    attachments = [("certificat-de-realisation-%s.pdf" % certificate.public_id[:8], content, "application/pdf")]
    attestation = getattr(certificate, "attestation", None)
    if attestation is not None and attestation.pdf:
        from .attestations import attestation_filename

        with default_storage.open(attestation.pdf.name, "rb") as handle:
            attachments.append((attestation_filename(attestation), handle.read(), "application/pdf"))
    notify(
        event="certificate.issued",
        to=[(certificate.holder_name, enrolment.email)],
        context=context,
        language=language,
        attachments=attachments,
        category="certificate",
    )
    Certificate.objects.filter(pk=certificate.pk).update(emailed_at=timezone.now())


def start_certificate_batch(*, course_session: CourseSession, by=None) -> CertificateBatch:
    """Create a batch issuing every confirmed trainee's certificate and run it in the background.

    Raises CertificateError (see ``ensure_issuing_allowed``) before creating anything when the
    session's certificates cannot be issued yet.
    """
    from .tasks import run_certificate_batch

    ensure_issuing_allowed(course_session=course_session)

    batch = CertificateBatch.objects.create(
        course_session=course_session,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
        total=course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED).count(),
    )
    record_audit(action=AuditLogEntry.Action.CREATE, obj=batch, summary="certificate batch queued", actor=by)
    transaction.on_commit(lambda: run_certificate_batch.enqueue(batch.pk))
    return batch


def issue_in_turn(enrolments, *, by=None, send: bool = True) -> Iterator[tuple[Enrolment, Certificate | None, str]]:
    """Issue the certificate of each of ``enrolments`` in turn (see ``issue_certificate``).

    Yields ``(enrolment, certificate, "")`` for each one issued (or already current) and
    ``(enrolment, None, reason)`` for each one refused with a CertificateError, so a caller can
    report progress after each trainee. One trainee's refusal never stops the others.
    """
    for enrolment in enrolments:
        try:
            certificate = issue_certificate(enrolment=enrolment, by=by, send=send)
        except CertificateError as exc:
            yield enrolment, None, str(exc)
        else:
            yield enrolment, certificate, ""


#: Trainees per background task of a certificate batch: the workers share a big batch.
CERTIFICATES_PER_TASK = 20


def process_certificate_batch(*, batch: CertificateBatch) -> CertificateBatch:
    """Split the batch into parts of ``CERTIFICATES_PER_TASK`` trainees, each issued by its own
    background task, so that every worker takes a share (fonts and templates are loaded once per
    worker process). Progress is saved after each part; the last part marks the batch done.

    A trainee without credited hours is skipped with the reason in ``batch.report``.
    """
    from .tasks import issue_certificate_part

    ids = list(
        batch.course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.RUNNING, total=len(ids), done=0, skipped=0, report=[]
    )
    if not ids:
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.DONE, finished_at=timezone.now()
        )
    for start in range(0, len(ids), CERTIFICATES_PER_TASK):
        issue_certificate_part.enqueue(batch.pk, ids[start : start + CERTIFICATES_PER_TASK])
    batch.refresh_from_db()
    return batch


def process_certificate_part(*, batch_id: int, enrolment_ids: list[int]) -> int:
    """Issue the certificates of ``enrolment_ids`` (one part of batch ``batch_id``); return how many.

    The batch row is locked while the part's results are added, so parts finishing together on
    several workers never lose each other's progress.
    """
    batch = CertificateBatch.objects.select_related("requested_by").get(pk=batch_id)
    enrolments = list(Enrolment.objects.filter(pk__in=enrolment_ids, status=Enrolment.Status.CONFIRMED).order_by("pk"))
    lines: list[dict] = []
    done = skipped = 0
    for enrolment, certificate, error in issue_in_turn(enrolments, by=batch.requested_by):
        if certificate is not None:
            done += 1
            lines.append({"enrolment": enrolment.pk, "name": enrolment.full_name, "certificate": certificate.public_id})
        else:
            skipped += 1
            lines.append({"enrolment": enrolment.pk, "name": enrolment.full_name, "error": error})
    skipped += len(enrolment_ids) - len(enrolments)  # no longer confirmed since the batch started
    with transaction.atomic():
        locked = CertificateBatch.objects.select_for_update().get(pk=batch_id)
        locked.done += done
        locked.skipped += skipped
        locked.report = sorted([*locked.report, *lines], key=lambda line: line["enrolment"])
        fields = ["done", "skipped", "report"]
        if locked.done + locked.skipped >= locked.total:
            locked.status = CertificateBatch.Status.DONE
            locked.finished_at = timezone.now()
            fields += ["status", "finished_at"]
        locked.save(update_fields=fields)
    return done

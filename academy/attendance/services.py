"""Attendance rules: signing windows, signatures, statuses and credited hours.

Why these rules: funders (OPCO, CPF) pay on the hours actually attended, proven by an attendance
sheet signed per half-day by the trainee and by the trainer (funders' general conditions; the
Ministry of Labour's certificate of completion model states "hours actually attended"). Hence a slot's hours are credited only when
both signatures exist, and a signature can only be given while the slot is happening.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.core import tokens
from academy.core.audit import record_event
from academy.core.notifications import notify
from academy.core.numbers import round_half_up
from academy.core.text import normalise_email
from academy.enrolment.models import NOT_ERASED, Enrolment
from academy.scheduling.access import can_manage_session
from academy.scheduling.models import CourseSession, SessionSlot, Trainer

from .exceptions import AttendanceError, SigningRefused
from .models import Attendance, RetainedTraineeName, Signature
from .strokes import InvalidStrokes, validate_strokes

#: How long after its end a slot still accepts trainee signatures (the opening margin is the
#: setting ``ACADEMY_SIGNING_OPENS_MINUTES_BEFORE``, see ``signing_opens_before``).
SIGNING_MARGIN = timedelta(minutes=15)
#: How long after the slot's end the trainer may still countersign it.
COUNTERSIGN_GRACE = timedelta(hours=2)
#: The room's QR code changes every ``QR_ROTATION`` and is accepted for ``QR_MAX_AGE`` (slow phones).
QR_ROTATION = timedelta(seconds=30)
QR_MAX_AGE = timedelta(seconds=90)
#: After a valid scan, the phone has this long to submit the signature.
SCAN_PASS_DURATION = timedelta(minutes=15)

_QR_PURPOSE = "attendance-qr.%d"
_LINK_PURPOSE = "attendance-link.%d"
_HOURS_PLACES = 2


# --- who may run a slot ---------------------------------------------------------------------


def trainer_for(user, course_session: CourseSession) -> Trainer | None:
    """Return the Trainer linked to ``user`` when they deliver ``course_session``, else None."""
    if user is None or not user.is_authenticated:
        return None
    trainer = Trainer.objects.filter(user=user).first()
    if trainer and course_session.trainers.filter(pk=trainer.pk).exists():
        return trainer
    return None


def can_run_session(user, course_session: CourseSession) -> bool:
    """True for back-office staff and for the signed-in trainer of ``course_session`` (least privilege)."""
    if user is None or not user.is_authenticated:
        return False
    return can_manage_session(user, course_session)


# --- signing windows ------------------------------------------------------------------------


def signing_opens_before() -> timedelta:
    """Return how long before a half-day starts its signing opens (setting, 15 minutes by default).

    Evidence follows time: nobody signs, or countersigns, a half-day that has not begun, except
    within this small documented margin for trainees arriving early. A negative setting counts as 0.
    """
    return timedelta(minutes=max(0, int(getattr(settings, "ACADEMY_SIGNING_OPENS_MINUTES_BEFORE", 15))))


def signing_window(slot: SessionSlot) -> tuple[datetime, datetime]:
    """Return ``(opens, closes)``: from ``signing_opens_before()`` before the slot's start until
    ``SIGNING_MARGIN`` after its end (aware, UTC)."""
    return slot.starts_at - signing_opens_before(), slot.ends_at + SIGNING_MARGIN


def slot_is_open(slot: SessionSlot, at: datetime | None = None) -> bool:
    """True when trainees may sign ``slot`` at ``at`` (now by default)."""
    at = at or timezone.now()
    opens, closes = signing_window(slot)
    return opens <= at <= closes


def refuse_signing(
    code: str, message: str, *, slot_id: int | None, request: HttpRequest | None, detail: str = ""
) -> SigningRefused:
    """Write a refused signing attempt to the audit log and return the SigningRefused to raise."""
    record_event(
        "attendance.signing_refused",
        object_type="attendance.sessionslot",
        object_id=str(slot_id or ""),
        data={"code": code},
        summary=("%s: %s" % (code, detail))[:500],
        request=request,
    )
    return SigningRefused(message, code=code)


def _check_open(slot: SessionSlot, at: datetime, request: HttpRequest | None) -> None:
    if not slot_is_open(slot, at):
        opens, closes = signing_window(slot)
        message = (
            _("This half-day has not started yet: signing opens at %(time)s.")
            if at < opens
            else _("This half-day is over: signing closed at %(time)s.")
        ) % {"time": timezone.localtime(opens if at < opens else closes, slot.course_session.tzinfo).strftime("%H:%M")}
        raise refuse_signing("outside_slot", message, slot_id=slot.pk, request=request, detail="at %s" % at.isoformat())


# --- the room's rotating QR code ------------------------------------------------------------


def make_qr_token(*, slot: SessionSlot, at: datetime | None = None) -> str:
    """Return the signed code shown as a QR in the room for ``slot`` at ``at``.

    The payload holds the slot, the issue time (epoch seconds) and a nonce, signed with a salt of
    its own per slot: a code made for one slot is refused for any other. Raises SigningRefused
    (``outside_slot``) when the slot is not open, so no code exists for a future slot.
    """
    at = at or timezone.now()
    _check_open(slot, at, None)
    return tokens.make_token(
        _QR_PURPOSE % slot.pk, {"slot": slot.pk, "t": int(at.timestamp()), "n": secrets.token_hex(4)}
    )


def read_qr_token(
    *, slot: SessionSlot, token: str, at: datetime | None = None, request: HttpRequest | None = None
) -> None:
    """Check a scanned room code for ``slot`` at ``at``; returns None when valid.

    Raises SigningRefused: ``forged_code`` (bad signature or made for another slot),
    ``expired_code`` (older than ``QR_MAX_AGE``: a photo sent to someone outside the room), or
    ``outside_slot``. Every refusal is written to the audit log.
    """
    at = at or timezone.now()
    try:
        payload = tokens.read_token(_QR_PURPOSE % slot.pk, token, max_age=timedelta(days=2))
    except tokens.InvalidToken:
        raise refuse_signing(
            "forged_code",
            _("This code is not valid for this half-day. Scan the code shown in the room."),
            slot_id=slot.pk,
            request=request,
        ) from None
    if not isinstance(payload, dict) or payload.get("slot") != slot.pk or not isinstance(payload.get("t"), int):
        raise refuse_signing(
            "forged_code",
            _("This code is not valid for this half-day. Scan the code shown in the room."),
            slot_id=slot.pk,
            request=request,
        )
    age = at.timestamp() - payload["t"]
    if age > QR_MAX_AGE.total_seconds() or age < -QR_ROTATION.total_seconds():
        raise refuse_signing(
            "expired_code",
            _("This code has expired. Scan the code currently shown in the room."),
            slot_id=slot.pk,
            request=request,
            detail="age %ds" % age,
        )
    _check_open(slot, at, request)


# --- personal signing links (remote sessions) -----------------------------------------------


def make_signing_link_token(*, slot: SessionSlot, enrolment: Enrolment) -> str:
    """Return the signed token of ``enrolment``'s personal link for ``slot`` (usable only during it)."""
    return tokens.make_token(_LINK_PURPOSE % slot.pk, {"slot": slot.pk, "enrolment": enrolment.pk})


def signing_link_url(*, slot: SessionSlot, enrolment: Enrolment) -> str:
    """Return the absolute personal signing URL (``SITE_URL`` based)."""
    path = reverse("attendance:sign_link", args=[slot.pk, make_signing_link_token(slot=slot, enrolment=enrolment)])
    return settings.SITE_URL + path


def read_signing_link_token(
    *, slot_id: int, token: str, request: HttpRequest | None = None
) -> tuple[SessionSlot, Enrolment]:
    """Return ``(slot, enrolment)`` named by a personal link token for slot ``slot_id``.

    Raises SigningRefused (``forged_code``) when the token is tampered with or made for another slot,
    (``expired_code``) once the trainee's data was erased.
    The slot window is checked when signing, not here, so the page can say "not open yet".
    """
    try:
        payload = tokens.read_token(_LINK_PURPOSE % slot_id, token, max_age=timedelta(days=400))
    except tokens.InvalidToken:
        raise refuse_signing(
            "forged_code", _("This signing link is not valid."), slot_id=slot_id, request=request
        ) from None
    slot = SessionSlot.objects.select_related("course_session__course").filter(pk=payload.get("slot")).first()
    enrolment = Enrolment.objects.filter(pk=payload.get("enrolment")).first()
    if slot is None or enrolment is None or slot.pk != slot_id:
        raise refuse_signing("forged_code", _("This signing link is not valid."), slot_id=slot_id, request=request)
    if enrolment.is_erased:
        # The person's links die with the erasure of their data (GDPR art. 17).
        raise refuse_signing("expired_code", _("This signing link has expired."), slot_id=slot_id, request=request)
    return slot, enrolment


def send_signing_links(*, slot: SessionSlot, by=None) -> int:
    """E-mail each confirmed trainee of the slot's session who has not signed it their personal link.

    Returns the number of e-mails queued. Links work only during the slot's signing window (``signing_window``).
    """
    course_session = slot.course_session
    signed = set(slot.signatures.filter(role=Signature.Role.TRAINEE).values_list("enrolment_id", flat=True))
    count = 0
    enrolments = course_session.enrolments.filter(NOT_ERASED, status=Enrolment.Status.CONFIRMED).select_related(
        "booking"
    )
    for enrolment in enrolments:
        if enrolment.pk in signed:
            continue
        with translation.override(enrolment.booking.language or "fr"):
            local = slot.local_start
            context = {
                "name": enrolment.full_name,
                "course": course_session.course.title,
                "date": local.strftime("%d/%m/%Y"),
                "start": local.strftime("%H:%M"),
                "end": slot.local_end.strftime("%H:%M"),
                "url": signing_link_url(slot=slot, enrolment=enrolment),
            }
            notify(
                event="attendance.signing_link",
                to=[(enrolment.full_name, enrolment.email)],
                context=context,
                language=enrolment.booking.language or "fr",
                category="attendance_signing_link",
            )
        count += 1
    record_event(
        "attendance.signing_links_sent",
        obj=slot,
        data={"count": count},
        summary="signing links sent: %d" % count,
        actor=by,
    )
    return count


# --- the signing device (room code path) -----------------------------------------------------
#
# The room's QR code proves presence in the room, not identity: anyone holding a fresh code could
# otherwise sign for any trainee. So the trainee identifies with something personal (their e-mail
# address, which must match their enrolment, or their personal link), and the browser that signed
# is bound, by a signed cookie, to that trainee for the whole session: it cannot sign for another
# trainee of the session. The trainer's kiosk (their own logged-in device passed around) is the
# one way to sign for several trainees from one device.

_DEVICE_PURPOSE = "attendance-device.%d"
#: How long a browser stays bound to the trainee it signed for (the session and its corrections).
DEVICE_BINDING_MAX_AGE = timedelta(days=60)


def device_cookie_name(course_session: CourseSession) -> str:
    """Return the name of the cookie binding a browser to one trainee of ``course_session``."""
    return "academy_signer_%d" % course_session.pk


def make_device_binding(*, enrolment: Enrolment) -> str:
    """Return the signed cookie value binding a browser to ``enrolment`` for its session."""
    return tokens.make_token(_DEVICE_PURPOSE % enrolment.course_session_id, {"e": enrolment.pk})


def read_device_binding(*, course_session: CourseSession, cookies) -> int | None:
    """Return the enrolment id the browser is bound to for ``course_session``, or None.

    ``cookies`` is the request's cookie mapping. A tampered, expired or foreign value counts as
    no binding (the browser is then treated as new, and must identify).
    """
    value = cookies.get(device_cookie_name(course_session))
    if not value:
        return None
    try:
        payload = tokens.read_token(_DEVICE_PURPOSE % course_session.pk, value, max_age=DEVICE_BINDING_MAX_AGE)
    except tokens.InvalidToken:
        return None
    enrolment_id = payload.get("e") if isinstance(payload, dict) else None
    return enrolment_id if isinstance(enrolment_id, int) else None


def check_device_may_sign(
    *, slot: SessionSlot, enrolment: Enrolment, bound_enrolment_id: int | None, request: HttpRequest | None = None
) -> None:
    """Refuse when the browser signing for ``enrolment`` is bound to another trainee of the session.

    ``bound_enrolment_id`` comes from ``read_device_binding``. Raises SigningRefused
    (``someone_else``), written to the audit log. Not used by the trainer's kiosk.
    """
    if bound_enrolment_id is not None and bound_enrolment_id != enrolment.pk:
        raise refuse_signing(
            "someone_else",
            _("This device has already been used to sign for another trainee of this session."),
            slot_id=slot.pk,
            request=request,
            detail="device bound to %s, asked %s" % (bound_enrolment_id, enrolment.pk),
        )


def identify_trainee(
    *, slot: SessionSlot, email: str, bound_enrolment_id: int | None = None, request: HttpRequest | None = None
) -> Enrolment:
    """Return the confirmed enrolment of ``slot``'s session whose e-mail address is ``email``.

    The address is compared normalised (case and surrounding spaces ignored, as enrolment does,
    FC-02). Raises SigningRefused, written to the audit log: ``unknown_trainee`` when no confirmed
    trainee of the session has this address (the message does not say whether the person exists
    elsewhere); ``someone_else`` when the browser is bound to another trainee of the session.
    """
    normalised = normalise_email(email or "")
    enrolment = (
        Enrolment.objects.filter(
            course_session_id=slot.course_session_id, email_normalised=normalised, status=Enrolment.Status.CONFIRMED
        ).first()
        if normalised
        else None
    )
    if enrolment is None:
        raise refuse_signing(
            "unknown_trainee",
            _("No confirmed trainee of this session has this e-mail address. Enter the address you enrolled with."),
            slot_id=slot.pk,
            request=request,
        )
    check_device_may_sign(slot=slot, enrolment=enrolment, bound_enrolment_id=bound_enrolment_id, request=request)
    return enrolment


# --- signatures ---------------------------------------------------------------------------


def _clean_drawing(strokes, *, slot_id: int, request: HttpRequest | None) -> dict:
    try:
        return validate_strokes(strokes)
    except InvalidStrokes as exc:
        raise refuse_signing("bad_drawing", str(exc), slot_id=slot_id, request=request) from None


def sign_as_trainee(
    *,
    slot: SessionSlot,
    enrolment: Enrolment,
    strokes,
    method: str,
    ip_address: str | None = None,
    user_agent: str = "",
    request: HttpRequest | None = None,
) -> Signature:
    """Store ``enrolment``'s signature for ``slot`` and mark them present; returns the Signature.

    ``strokes`` is the drawing as JSON text or dict (see ``academy.attendance.strokes``). The
    signature is dated by the server's clock, never by the caller: every path (room code, personal
    link, kiosk, a command) signs now, inside the slot's signing window, or not at all.
    Raises SigningRefused: ``not_enrolled`` (not a confirmed trainee of this session),
    ``outside_slot``, ``bad_drawing``, ``already_signed`` (the database holds one trainee
    signature per slot). A refusal changes nothing and is written to the audit log.
    """
    at = timezone.now()
    if enrolment.course_session_id != slot.course_session_id or enrolment.status != Enrolment.Status.CONFIRMED:
        raise refuse_signing(
            "not_enrolled",
            _("This person is not a confirmed trainee of this session."),
            slot_id=slot.pk,
            request=request,
            detail="enrolment %s" % enrolment.pk,
        )
    _check_open(slot, at, request)
    drawing = _clean_drawing(strokes, slot_id=slot.pk, request=request)
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                slot=slot,
                role=Signature.Role.TRAINEE,
                enrolment=enrolment,
                strokes=drawing,
                method=method,
                signed_at=at,
                ip_address=ip_address or None,
                user_agent=(user_agent or "")[:500],
            )
            attendance, created = Attendance.objects.get_or_create(slot=slot, enrolment=enrolment)
            if not created and attendance.status in (Attendance.Status.ABSENT, Attendance.Status.EXCUSED):
                attendance.status = Attendance.Status.PRESENT
                attendance.save(update_fields=["status", "updated_at"])
    except IntegrityError:
        raise refuse_signing(
            "already_signed",
            _("%(name)s has already signed for this half-day.") % {"name": enrolment.full_name},
            slot_id=slot.pk,
            request=request,
            detail="enrolment %s" % enrolment.pk,
        ) from None
    record_event(
        "attendance.signed",
        obj=signature,
        data={"slot": slot.pk, "enrolment": enrolment.pk, "method": str(method)},
        person_email=enrolment.email,
        summary="trainee signature (%s)" % method,
        request=request,
    )
    return signature


def countersign_slot(
    *,
    slot: SessionSlot,
    trainer: Trainer,
    strokes,
    ip_address: str | None = None,
    user_agent: str = "",
    request: HttpRequest | None = None,
) -> Signature:
    """Store ``trainer``'s countersignature of ``slot``, dated by the server's clock; returns it.

    Allowed from the slot's signing window opening (``signing_opens_before()`` before its start)
    until ``COUNTERSIGN_GRACE`` after its end.
    Raises SigningRefused: ``not_trainer``, ``outside_slot``, ``bad_drawing``, ``already_signed``.
    """
    at = timezone.now()
    if not slot.course_session.trainers.filter(pk=trainer.pk).exists():
        raise refuse_signing(
            "not_trainer",
            _("Only a trainer of this session can countersign it."),
            slot_id=slot.pk,
            request=request,
            detail="trainer %s" % trainer.pk,
        )
    opens, _closes = signing_window(slot)
    if at < opens:
        raise refuse_signing(
            "outside_slot",
            _("This half-day has not started yet: countersigning opens at %(time)s.")
            % {"time": timezone.localtime(opens, slot.course_session.tzinfo).strftime("%H:%M")},
            slot_id=slot.pk,
            request=request,
            detail="at %s" % at.isoformat(),
        )
    if at > slot.ends_at + COUNTERSIGN_GRACE:
        raise refuse_signing(
            "outside_slot",
            _("This half-day can only be countersigned during it or within two hours after it."),
            slot_id=slot.pk,
            request=request,
            detail="at %s" % at.isoformat(),
        )
    drawing = _clean_drawing(strokes, slot_id=slot.pk, request=request)
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                slot=slot,
                role=Signature.Role.TRAINER,
                trainer=trainer,
                strokes=drawing,
                method=Signature.Method.TRAINER,
                signed_at=at,
                ip_address=ip_address or None,
                user_agent=(user_agent or "")[:500],
            )
    except IntegrityError:
        raise refuse_signing(
            "already_signed", _("You have already countersigned this half-day."), slot_id=slot.pk, request=request
        ) from None
    record_event(
        "attendance.countersigned",
        obj=signature,
        data={"slot": slot.pk, "trainer": trainer.pk},
        summary="trainer countersignature",
        request=request,
    )
    return signature


# --- statuses -------------------------------------------------------------------------------


def record_attendance(
    *,
    slot: SessionSlot,
    enrolment: Enrolment,
    status: str,
    arrived_at: datetime | None = None,
    left_at: datetime | None = None,
    note: str = "",
    by=None,
) -> Attendance:
    """Set ``enrolment``'s status for ``slot`` (present, absent, late, left early, excused).

    ``arrived_at`` is required for "late", ``left_at`` for "left early"; both must fall inside the
    slot. Signatures are never touched. Raises AttendanceError with a user-facing message.
    """
    if enrolment.course_session_id != slot.course_session_id:
        raise AttendanceError(_("This person is not a trainee of this session."))
    if status not in Attendance.Status.values:
        raise AttendanceError(_("Unknown attendance status."))
    if status == Attendance.Status.LATE and arrived_at is None:
        raise AttendanceError(_("A late arrival needs the arrival time."))
    if status == Attendance.Status.LEFT_EARLY and left_at is None:
        raise AttendanceError(_("An early departure needs the departure time."))
    if status not in (Attendance.Status.LATE, Attendance.Status.LEFT_EARLY):
        arrived_at = left_at = None
    elif status == Attendance.Status.LATE:
        left_at = None
    else:
        arrived_at = None
    for moment in (arrived_at, left_at):
        if moment is not None and not (slot.starts_at <= moment <= slot.ends_at):
            raise AttendanceError(
                _("The time must fall within the half-day (%(start)s–%(end)s).")
                % {"start": slot.local_start.strftime("%H:%M"), "end": slot.local_end.strftime("%H:%M")}
            )
    with transaction.atomic():
        attendance, _created = Attendance.objects.select_for_update().get_or_create(slot=slot, enrolment=enrolment)
        attendance.status = status
        attendance.arrived_at = arrived_at
        attendance.left_at = left_at
        attendance.note = note[:300]
        attendance.recorded_by = by if getattr(by, "is_authenticated", False) else None
        attendance.save()
    record_event(
        "attendance.status_changed",
        obj=attendance,
        data={"slot": slot.pk, "enrolment": enrolment.pk, "status": str(status)},
        person_email=enrolment.email,
        summary="status %s" % status,
        actor=attendance.recorded_by,
    )
    return attendance


# --- hours ------------------------------------------------------------------------------------


def slot_hours(slot: SessionSlot, attendance: Attendance | None) -> Decimal:
    """Return the exact hours attended in ``slot`` given its attendance row (None means present).

    Absent and excused give 0; late counts from the arrival, left early until the departure.
    """
    if attendance is not None and attendance.status in (Attendance.Status.ABSENT, Attendance.Status.EXCUSED):
        return Decimal(0)
    start, end = slot.starts_at, slot.ends_at
    if attendance is not None and attendance.arrived_at:
        start = max(start, attendance.arrived_at)
    if attendance is not None and attendance.left_at:
        end = min(end, attendance.left_at)
    if end <= start:
        return Decimal(0)
    return Decimal(int((end - start).total_seconds())) / Decimal(3600)


@dataclass
class SlotLine:
    """One slot seen from one trainee: signatures, status and credited hours."""

    slot: SessionSlot
    attendance: Attendance | None
    trainee_signature: Signature | None
    trainer_signatures: list[Signature]
    hours: Decimal

    @property
    def credited(self) -> bool:
        return self.hours > 0


@dataclass
class TraineeHours:
    """A trainee's attendance over a session: ``hours`` rounded half-up to 2 places."""

    enrolment: Enrolment
    lines: list[SlotLine] = field(default_factory=list)
    hours: Decimal = Decimal("0.00")
    retained_name: str = ""

    @property
    def name(self) -> str:
        """The trainee's name; for an erased trainee, the name kept with the evidence."""
        return self.retained_name or self.enrolment.full_name

    @property
    def credited_lines(self) -> list[SlotLine]:
        return [line for line in self.lines if line.credited]

    @property
    def first_date(self) -> date | None:
        lines = self.credited_lines
        return lines[0].slot.local_start.date() if lines else None

    @property
    def last_date(self) -> date | None:
        lines = self.credited_lines
        return lines[-1].slot.local_start.date() if lines else None


def _retained_name(enrolment: Enrolment) -> str:
    """The name kept with an erased trainee's evidence, or "" (no query once select_related)."""
    try:
        return enrolment.retained_name.full_name
    except RetainedTraineeName.DoesNotExist:
        return ""


def session_attendance(
    *, course_session: CourseSession, enrolments=None
) -> tuple[list[SessionSlot], list[TraineeHours]]:
    """Return the session's slots and, per trainee, each slot's signatures, status and hours.

    ``enrolments`` defaults to the confirmed ones. Hours of a slot are credited only when the
    trainee's signature and at least one trainer countersignature exist (evidence for funders).
    Runs a fixed number of queries whatever the number of slots and trainees.
    """
    slots = list(course_session.slots.select_related("course_session").order_by("starts_at"))
    if enrolments is None:
        enrolments = course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED).select_related(
            "booking__client_organisation", "retained_name"
        )
    enrolments = list(enrolments)
    enrolment_ids = [e.pk for e in enrolments]
    attendances = {
        (a.slot_id, a.enrolment_id): a
        for a in Attendance.objects.filter(slot__in=slots, enrolment_id__in=enrolment_ids)
    }
    trainee_signatures: dict[tuple[int, int], Signature] = {}
    trainer_signatures: dict[int, list[Signature]] = defaultdict(list)
    for signature in Signature.objects.filter(slot__in=slots).select_related("trainer").order_by("signed_at"):
        if signature.role == Signature.Role.TRAINEE:
            if signature.enrolment_id in enrolment_ids:
                trainee_signatures[(signature.slot_id, signature.enrolment_id)] = signature
        else:
            trainer_signatures[signature.slot_id].append(signature)
    result = []
    for enrolment in enrolments:
        summary = TraineeHours(enrolment=enrolment, retained_name=_retained_name(enrolment))
        total = Decimal(0)
        for slot in slots:
            attendance = attendances.get((slot.pk, enrolment.pk))
            own = trainee_signatures.get((slot.pk, enrolment.pk))
            countersigned = trainer_signatures.get(slot.pk, [])
            hours = slot_hours(slot, attendance) if own and countersigned else Decimal(0)
            total += hours
            summary.lines.append(SlotLine(slot, attendance, own, countersigned, hours))
        summary.hours = round_half_up(total, _HOURS_PLACES)
        result.append(summary)
    return slots, result


def trainee_hours(*, enrolment: Enrolment) -> TraineeHours:
    """Return one trainee's attendance over their session (see ``session_attendance``)."""
    _slots, rows = session_attendance(course_session=enrolment.course_session, enrolments=[enrolment])
    return rows[0]

"""Pages of the attendance app: the trainer's room page with its rotating QR code, signing pages
(scanned code, personal link, kiosk), countersignature, statuses and the attendance sheet PDF."""

from __future__ import annotations

import datetime
import io
from typing import NoReturn

import segno
from django.contrib import messages
from django.db.models import Min, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from academy.accounts.access import require_sign_in
from academy.core.models import AuditLogEntry
from academy.core.params import parse_id
from academy.core.services import record_audit
from academy.enrolment.models import Enrolment
from academy.scheduling.access import runnable_session_or_404, runnable_slot_or_404, sessions_run_by
from academy.scheduling.models import CourseSession, SessionSlot

from . import kiosk as kiosk_mode
from . import services
from .documents import render_attendance_sheet
from .exceptions import AttendanceError, SigningRefused
from .models import Attendance, Signature

_PASS_KEY = "attendance_pass"
_IDENTIFIED_KEY = "attendance_identified"


def _client(request: HttpRequest) -> dict:
    return {
        "ip_address": request.META.get("REMOTE_ADDR"),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
        "request": request,
    }


def _slot(slot_id: int) -> SessionSlot:
    return get_object_or_404(SessionSlot.objects.select_related("course_session__course"), pk=slot_id)


def _refuse_foreign(request: HttpRequest, course_session: CourseSession | None) -> NoReturn:
    """Log a refused look at an existing session the user does not run, then answer like an unknown one."""
    if course_session is not None:
        record_audit(
            action=AuditLogEntry.Action.REFUSE,
            obj=course_session,
            summary="not a trainer of this session",
            request=request,
        )
    raise Http404("unknown session")


def _runnable_session(request: HttpRequest, session_id: int) -> CourseSession:
    """The session when the user runs it (staff or its trainer); 404 alike when unknown or not theirs."""
    try:
        return runnable_session_or_404(request.user, session_id)
    except Http404:
        _refuse_foreign(request, CourseSession.objects.filter(pk=session_id).first())


def _runnable_slot(request: HttpRequest, slot_id: int) -> SessionSlot:
    """The half-day when the user runs its session; 404 alike when unknown or not theirs."""
    try:
        return runnable_slot_or_404(request.user, slot_id)
    except Http404:
        slot = SessionSlot.objects.select_related("course_session").filter(pk=slot_id).first()
        _refuse_foreign(request, slot.course_session if slot else None)


def _refused(request: HttpRequest, exc: SigningRefused, slot: SessionSlot | None = None) -> HttpResponse:
    return render(request, "attendance/refused.html", {"message": str(exc), "code": exc.code, "slot": slot}, status=403)


def _unsigned_trainees(slot: SessionSlot):
    signed = set(slot.signatures.filter(role=Signature.Role.TRAINEE).values_list("enrolment_id", flat=True))
    enrolments = slot.course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED).order_by(
        "last_name", "first_name"
    )
    return [(e, e.pk in signed) for e in enrolments]


# --- trainer pages ------------------------------------------------------------------------


@require_sign_in
def my_sessions(request: HttpRequest) -> HttpResponse:
    """Sessions whose attendance the user runs: their own as a trainer; every recent one for staff."""
    since = timezone.now() - datetime.timedelta(days=60)
    sessions = sessions_run_by(request.user).select_related("course").filter(slots__ends_at__gte=since).distinct()
    sessions = sessions.annotate(first_start=Min("slots__starts_at")).order_by("first_start")[:200]
    return render(request, "attendance/index.html", {"sessions": sessions})


@require_sign_in
def session_overview(request: HttpRequest, session_id: int) -> HttpResponse:
    """Trainer/staff page: every half-day of the session and each trainee's status and signatures."""
    course_session = _runnable_session(request, session_id)
    slots, rows = services.session_attendance(course_session=course_session)
    # Needs analysis (Qualiopi indicator 4) and decided adaptations (indicator 10), read by the
    # trainer before the session; the trainee's own words about accessibility stay with staff.
    needs = sorted((row.enrolment for row in rows), key=lambda e: (e.last_name, e.first_name))
    prefetch_related_objects(needs, "adaptations")
    return render(
        request,
        "attendance/session.html",
        {
            "course_session": course_session,
            "slots": slots,
            "rows": rows,
            "now": timezone.now(),
            "needs": needs,
            "client_needs": [q.client_need for q in course_session.quotes.all() if q.client_need.strip()],
            "is_session_trainer": services.trainer_for(request.user, course_session) is not None,
        },
    )


@require_sign_in
def sheet_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session's attendance sheet (feuille d'émargement) as PDF."""
    course_session = _runnable_session(request, session_id)
    record_audit(
        action=AuditLogEntry.Action.EXPORT, obj=course_session, summary="attendance sheet PDF", request=request
    )
    response = HttpResponse(render_attendance_sheet(course_session=course_session), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="feuille-emargement-%s-%s.pdf"' % (
        course_session.course.code,
        course_session.pk,
    )
    return response


@never_cache
@require_sign_in
def slot_room(request: HttpRequest, slot_id: int) -> HttpResponse:
    """The trainer's page for one half-day: rotating QR code, who signed, countersignature, statuses."""
    slot = _runnable_slot(request, slot_id)
    _slots, rows = services.session_attendance(course_session=slot.course_session)
    lines = [(row.enrolment, next(line for line in row.lines if line.slot.pk == slot.pk)) for row in rows]
    trainer = services.trainer_for(request.user, slot.course_session)
    countersigned = (
        trainer is not None and slot.signatures.filter(role=Signature.Role.TRAINER, trainer=trainer).exists()
    )
    opens, closes = services.signing_window(slot)
    return render(
        request,
        "attendance/slot.html",
        {
            "slot": slot,
            "course_session": slot.course_session,
            "lines": lines,
            "trainer": trainer,
            "countersigned": countersigned,
            "is_open": services.slot_is_open(slot),
            "opens": opens,
            "closes": closes,
            "statuses": Attendance.Status.choices,
            "rotation_seconds": int(services.QR_ROTATION.total_seconds()),
        },
    )


@never_cache
@require_sign_in
def qr_svg(request: HttpRequest, slot_id: int) -> HttpResponse:
    """The room's current QR code (SVG), a fresh signed code at each request while the slot is open."""
    slot = _runnable_slot(request, slot_id)
    try:
        token = services.make_qr_token(slot=slot)
    except SigningRefused:
        raise Http404("slot not open") from None
    url = request.build_absolute_uri(reverse("attendance:scan", args=[slot.pk, token]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, dark="#0b2545", xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@require_sign_in
@require_POST
def countersign(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = _runnable_slot(request, slot_id)
    trainer = services.trainer_for(request.user, slot.course_session)
    if trainer is None:
        messages.error(request, _("Only a trainer of this session can countersign it."))
        return redirect("attendance:slot", slot_id=slot.pk)
    try:
        services.countersign_slot(
            slot=slot, trainer=trainer, strokes=request.POST.get("strokes", ""), **_client(request)
        )
    except SigningRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Half-day countersigned."))
    return redirect("attendance:slot", slot_id=slot.pk)


@require_sign_in
@require_POST
def send_links(request: HttpRequest, slot_id: int) -> HttpResponse:
    slot = _runnable_slot(request, slot_id)
    count = services.send_signing_links(slot=slot, by=request.user)
    messages.success(
        request,
        ngettext("%(count)s personal signing link sent.", "%(count)s personal signing links sent.", count)
        % {"count": count},
    )
    return redirect("attendance:slot", slot_id=slot.pk)


@require_sign_in
@require_POST
def set_status(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Record a trainee's status; the time field (HH:MM, local) is the arrival or departure time."""
    slot = _runnable_slot(request, slot_id)
    enrolment = get_object_or_404(
        Enrolment, pk=parse_id(request.POST.get("enrolment")) or 0, course_session=slot.course_session
    )
    status = request.POST.get("status", "")
    moment = None
    if raw := request.POST.get("time", "").strip():
        try:
            parsed = datetime.datetime.strptime(raw, "%H:%M").time()
        except ValueError:
            messages.error(request, _("Enter the time as HH:MM."))
            return redirect("attendance:slot", slot_id=slot.pk)
        moment = datetime.datetime.combine(slot.local_start.date(), parsed, tzinfo=slot.course_session.tzinfo)
    try:
        services.record_attendance(
            slot=slot,
            enrolment=enrolment,
            status=status,
            by=request.user,
            arrived_at=moment if status == Attendance.Status.LATE else None,
            left_at=moment if status == Attendance.Status.LEFT_EARLY else None,
        )
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Status of %(name)s saved.") % {"name": enrolment.full_name})
    return redirect("attendance:slot", slot_id=slot.pk)


@never_cache
@require_sign_in
def kiosk(request: HttpRequest, slot_id: int) -> HttpResponse:
    """The trainer's own device passed around the room: pick a name, sign, next.

    Opening it locks the browser session to this page (``kiosk.KioskLockMiddleware``) until the
    trainer leaves kiosk mode with their password.
    """
    slot = _runnable_slot(request, slot_id)
    kiosk_mode.lock(request, slot.pk)
    if request.method == "POST":
        enrolment = Enrolment.objects.filter(
            pk=parse_id(request.POST.get("enrolment")) or 0, course_session=slot.course_session
        ).first()
        if enrolment is None:
            messages.error(request, _("Choose your name in the list."))
        else:
            try:
                services.sign_as_trainee(
                    slot=slot,
                    enrolment=enrolment,
                    strokes=request.POST.get("strokes", ""),
                    method=Signature.Method.KIOSK,
                    **_client(request),
                )
            except SigningRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Thank you %(name)s, your signature is recorded. Pass the device on.")
                    % {"name": enrolment.full_name},
                )
        return redirect("attendance:kiosk", slot_id=slot.pk)
    return render(
        request,
        "attendance/sign.html",
        {
            "slot": slot,
            "choices": _unsigned_trainees(slot),
            "mode": "kiosk",
            "is_open": services.slot_is_open(slot),
            "action": reverse("attendance:kiosk", args=[slot.pk]),
            "leave_form": kiosk_mode.LeaveKioskForm(user=request.user),
        },
    )


@require_sign_in
@require_POST
def kiosk_leave(request: HttpRequest, slot_id: int) -> HttpResponse:
    """Leave kiosk mode when the posted password is the signed-in trainer's.

    After ``kiosk.MAX_FAILURES`` wrong passwords the trainer is signed out.
    """
    if kiosk_mode.locked_slot_id(request) != slot_id:
        slot = _runnable_slot(request, slot_id)
        return redirect("attendance:slot", slot_id=slot.pk)
    form = kiosk_mode.LeaveKioskForm(request.POST, user=request.user)
    if form.is_valid():
        kiosk_mode.unlock(request)
        messages.success(request, _("Kiosk mode left."))
        return redirect("attendance:slot", slot_id=slot_id)
    if kiosk_mode.count_failure(request):
        messages.error(request, _("Too many wrong passwords: you have been signed out."))
        return redirect("accounts:login")
    for error in form.errors.get("password", []):
        messages.error(request, error)
    return redirect("attendance:kiosk", slot_id=slot_id)


# --- trainee pages ------------------------------------------------------------------------


@never_cache
def scan(request: HttpRequest, slot_id: int, token: str) -> HttpResponse:
    """Target of the room's QR code: check it, then let this phone sign for a short while."""
    slot = _slot(slot_id)
    try:
        services.read_qr_token(slot=slot, token=token, request=request)
    except SigningRefused as exc:
        return _refused(request, exc, slot)
    passes = request.session.get(_PASS_KEY, {})
    passes[str(slot.pk)] = int((timezone.now() + services.SCAN_PASS_DURATION).timestamp())
    request.session[_PASS_KEY] = passes
    return redirect("attendance:scan_sign", slot_id=slot.pk)


def _bind_device(response: HttpResponse, request: HttpRequest, enrolment: Enrolment) -> HttpResponse:
    """Bind this browser to ``enrolment`` for its session (see ``services.make_device_binding``)."""
    response.set_cookie(
        services.device_cookie_name(enrolment.course_session),
        services.make_device_binding(enrolment=enrolment),
        max_age=int(services.DEVICE_BINDING_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
        path="/",  # every language prefix: switching language must not shed the binding
    )
    return response


@never_cache
def scan_sign(request: HttpRequest, slot_id: int) -> HttpResponse:
    """After a valid scan: the trainee identifies (e-mail address) and signs on their own phone.

    The page never lists the session's trainees: a browser already bound to a trainee signs as
    them; otherwise the trainee gives the e-mail address of their enrolment.
    """
    slot = _slot(slot_id)
    until = request.session.get(_PASS_KEY, {}).get(str(slot.pk))
    if not until or until < timezone.now().timestamp():
        exc = services.refuse_signing(
            "expired_code", _("Scan the code shown in the room to sign."), slot_id=slot.pk, request=request
        )
        return _refused(request, exc, slot)
    action = reverse("attendance:scan_sign", args=[slot.pk])
    bound = services.read_device_binding(course_session=slot.course_session, cookies=request.COOKIES)
    identified = request.session.get(_IDENTIFIED_KEY, {})
    enrolment_id = bound or identified.get(str(slot.pk))
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, course_session_id=slot.course_session_id).first()
        if enrolment_id
        else None
    )
    if request.method == "POST":
        try:
            if email := request.POST.get("email", "").strip():
                enrolment = services.identify_trainee(slot=slot, email=email, bound_enrolment_id=bound, request=request)
                identified[str(slot.pk)] = enrolment.pk
                request.session[_IDENTIFIED_KEY] = identified
                if not request.POST.get("strokes"):
                    return redirect(action)
            if enrolment is None:
                messages.error(request, _("Enter the e-mail address you enrolled with, then sign."))
                return redirect(action)
            posted = request.POST.get("enrolment")
            if posted and posted != str(enrolment.pk):
                raise services.refuse_signing(
                    "someone_else",
                    _("This phone has already been used to sign for another trainee of this half-day."),
                    slot_id=slot.pk,
                    request=request,
                    detail="device signs as %s, asked %s" % (enrolment.pk, posted),
                )
            services.check_device_may_sign(slot=slot, enrolment=enrolment, bound_enrolment_id=bound, request=request)
            services.sign_as_trainee(
                slot=slot,
                enrolment=enrolment,
                strokes=request.POST.get("strokes", ""),
                method=Signature.Method.QR_CODE,
                **_client(request),
            )
        except SigningRefused as exc:
            if exc.code in ("bad_drawing", "unknown_trainee"):
                messages.error(request, str(exc))
                return redirect(action)
            return _refused(request, exc, slot)
        response = render(request, "attendance/signed.html", {"slot": slot, "enrolment": enrolment})
        return _bind_device(response, request, enrolment)
    already = (
        enrolment is not None and slot.signatures.filter(role=Signature.Role.TRAINEE, enrolment=enrolment).exists()
    )
    return render(
        request,
        "attendance/sign.html",
        {
            "slot": slot,
            "enrolment": enrolment,
            "mode": "qr",
            "already": already,
            "is_open": True,
            "action": action,
        },
    )


@never_cache
def sign_link(request: HttpRequest, slot_id: int, token: str) -> HttpResponse:
    """A trainee's personal signing link (remote sessions, or instead of the name list)."""
    try:
        slot, enrolment = services.read_signing_link_token(slot_id=slot_id, token=token, request=request)
    except SigningRefused as exc:
        return _refused(request, exc)
    action = reverse("attendance:sign_link", args=[slot.pk, token])
    if request.method == "POST":
        try:
            posted = request.POST.get("enrolment")
            if posted and posted != str(enrolment.pk):
                raise services.refuse_signing(
                    "someone_else",
                    _("This link is personal: it cannot be used to sign for someone else."),
                    slot_id=slot.pk,
                    request=request,
                    detail="link %s, asked %s" % (enrolment.pk, posted),
                )
            services.check_device_may_sign(
                slot=slot,
                enrolment=enrolment,
                bound_enrolment_id=services.read_device_binding(
                    course_session=slot.course_session, cookies=request.COOKIES
                ),
                request=request,
            )
            services.sign_as_trainee(
                slot=slot,
                enrolment=enrolment,
                strokes=request.POST.get("strokes", ""),
                method=Signature.Method.PERSONAL_LINK,
                **_client(request),
            )
        except SigningRefused as exc:
            if exc.code == "bad_drawing":
                messages.error(request, str(exc))
                return redirect(action)
            return _refused(request, exc, slot)
        response = render(request, "attendance/signed.html", {"slot": slot, "enrolment": enrolment})
        return _bind_device(response, request, enrolment)
    already = slot.signatures.filter(role=Signature.Role.TRAINEE, enrolment=enrolment).exists()
    opens, closes = services.signing_window(slot)
    return render(
        request,
        "attendance/sign.html",
        {
            "slot": slot,
            "enrolment": enrolment,
            "mode": "link",
            "already": already,
            "action": action,
            "is_open": services.slot_is_open(slot),
            "opens": opens,
            "closes": closes,
        },
    )

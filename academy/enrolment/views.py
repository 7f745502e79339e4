"""Public enrolment pages (form, confirmation, cancel and offer links) and staff pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.accounts.access import signed_link_payload
from academy.catalog.models import Course
from academy.catalog.pagecache import course_scopes
from academy.core.honeypot import honeypot
from academy.core.pagecache import cache_public_page
from academy.core.ratelimit import ratelimit
from academy.scheduling.models import CourseSession, SessionSlot

from . import links
from .exceptions import AlreadyEnrolled, AlreadySubmitted, EnrolmentError, OfferNotAvailable
from .forms import MAX_TRAINEES, EnrolmentForm, TraineeFormSet
from .models import Booking, Enrolment
from .panels import open_sessions, summarise
from .seats import seats_left, with_seat_counts
from .services import ContactDetails, TraineeDetails, accept_offer, cancel_enrolment, decline_offer, enrol

TRAINEE_PREFIX = "trainees"


def _too_many_submissions() -> str:
    return _("Too many submissions from your connection: please try again in a few minutes.")


#: Public enrolment posts allowed per client address: ``ENROLMENT_RATE_LIMIT`` = (submissions, seconds),
#: 10 per 10 minutes by default, counted in the shared cache so every web process sees the same count.
_DEFAULT_RATE = {"limit": 10, "window": 600, "setting": "ENROLMENT_RATE_LIMIT", "message": _too_many_submissions}


def _enrolment_received(request, pk: int):
    """What a robot caught by the honeypot sees: the thanks a person gets, and nothing stored or sent."""
    course_session = get_object_or_404(CourseSession.objects.select_related("course"), pk=pk)
    messages.success(request, _("Thank you, your enrolment request has been received."))
    return redirect(course_session.course.get_absolute_url())


def _open_session(pk: int) -> CourseSession:
    queryset = (
        with_seat_counts(CourseSession.objects.all())
        .select_related("course")
        .prefetch_related(Prefetch("slots", queryset=SessionSlot.objects.order_by("starts_at")))
    )
    # A session of a course the public cannot see does not exist for the public either.
    return get_object_or_404(
        queryset, pk=pk, kind=CourseSession.Kind.INTER_COMPANY, course__status=Course.Status.PUBLISHED
    )


def _with_self_as_trainee(data):
    """In "myself" mode the contact is the (only) trainee: copy their name and e-mail."""
    data = data.copy()
    if data.get("for_whom") == EnrolmentForm.FOR_SELF:
        data["%s-TOTAL_FORMS" % TRAINEE_PREFIX] = "1"
        for field in ("first_name", "last_name", "email"):
            data["%s-0-%s" % (TRAINEE_PREFIX, field)] = data.get("contact_%s" % field, "")
    return data


def _with_one_more_trainee(data):
    data = data.copy()
    key = "%s-TOTAL_FORMS" % TRAINEE_PREFIX
    try:
        total = int(data.get(key, "1"))
    except ValueError:
        total = 1
    data[key] = str(min(total + 1, MAX_TRAINEES))
    data["for_whom"] = EnrolmentForm.FOR_OTHERS
    return data


@require_http_methods(["GET", "POST"])
@ratelimit("enrolment-enrolment", **_DEFAULT_RATE)
@honeypot(_enrolment_received)
def enrol_view(request, pk: int):
    """The public enrolment form of an open inter-company session; no account needed."""
    course_session = _open_session(pk)
    if course_session.enrolment_closed_reason() is not None:
        return render(request, "enrolment/closed.html", {"course_session": course_session}, status=410)
    status = 200
    if request.method == "POST":
        if "add_trainee" in request.POST:
            # Without JavaScript, "add a trainee" posts the form: show it again with one more row.
            data = _with_one_more_trainee(request.POST)
            formset = TraineeFormSet(initial=_trainee_initial(data), prefix=TRAINEE_PREFIX)
            return _render_form(request, course_session, _unbound_copy(data), formset)
        data = _with_self_as_trainee(request.POST)
        form = EnrolmentForm(data, course=course_session.course)
        formset = TraineeFormSet(data, prefix=TRAINEE_PREFIX)
        if form.is_valid() and formset.is_valid():
            cleaned = form.cleaned_data
            try:
                booking = enrol(
                    course_session=course_session,
                    contact=ContactDetails(
                        first_name=cleaned["contact_first_name"],
                        last_name=cleaned["contact_last_name"],
                        email=cleaned["contact_email"],
                        phone=cleaned["contact_phone"],
                    ),
                    trainees=[TraineeDetails(**f.cleaned_data) for f in formset.forms if f.cleaned_data],
                    funding=cleaned["funding"],
                    funder_name=cleaned["funder_name"],
                    organisation_name=cleaned["organisation_name"],
                    organisation_siret=cleaned["organisation_siret"],
                    overflow_policy=cleaned["overflow_policy"],
                    language=(get_language() or settings.LANGUAGE_CODE)[:2],
                    submission_key=cleaned.get("submission_key"),
                )
            except AlreadySubmitted as exc:
                messages.info(request, str(exc))
                return redirect(_booking_page(exc.booking))
            except AlreadyEnrolled as exc:
                _attach_already_enrolled(form, formset, exc)
                status = 409
            except EnrolmentError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                return redirect(_booking_page(booking))
        else:
            status = 400
        return _render_form(request, course_session, form, formset, status=status)
    return _render_form(request, course_session, EnrolmentForm(), TraineeFormSet(prefix=TRAINEE_PREFIX))


def _trainee_initial(data) -> list[dict]:
    try:
        total = int(data.get("%s-TOTAL_FORMS" % TRAINEE_PREFIX, "1"))
    except ValueError:
        total = 1
    fields = (
        "first_name",
        "last_name",
        "email",
        "job_title",
        "trainee_category",
        "accessibility_needs",
        "work_context",
        "expectations",
    )
    return [
        {field: data.get("%s-%d-%s" % (TRAINEE_PREFIX, i, field), "") for field in fields}
        for i in range(min(total, MAX_TRAINEES))
    ]


def _unbound_copy(data) -> EnrolmentForm:
    """The booking form re-displayed with what was typed, without error messages."""
    fields = [name for name in EnrolmentForm.base_fields if name != "website"]
    initial = {name: data.get(name, "") for name in fields}
    initial["accept_terms"] = bool(data.get("accept_terms"))
    return EnrolmentForm(initial=initial)


def _attach_already_enrolled(form, formset, exc: AlreadyEnrolled) -> None:
    from academy.core.text import normalise_email

    for trainee_form in formset.forms:
        email = trainee_form.cleaned_data.get("email", "")
        if email and normalise_email(email) in exc.emails:
            trainee_form.add_error(
                "email", _("This person is already enrolled on this session (or on its waiting list).")
            )
    form.add_error(None, str(exc))


def _render_form(request, course_session, form, formset, status: int = 200):
    if form.course is None and not form.is_bound:  # a new or re-displayed form offers the course's fundings
        form = EnrolmentForm(initial=form.initial, course=course_session.course)
    return render(
        request,
        "enrolment/enrol.html",
        {
            "course_session": course_session,
            "course": course_session.course,
            "form": form,
            "formset": formset,
            "seats_left": seats_left(course_session),
            "max_trainees": MAX_TRAINEES,
        },
        status=status,
    )


def _booking_page(booking: Booking) -> str:
    return reverse("enrolment:booking", kwargs={"token": links.booking_token(booking)})


def booking_view(request, token: str):
    """Confirmation page of a booking: what happened to each trainee (no accessibility needs shown)."""
    payload = signed_link_payload(links.BOOKING_PURPOSE, token, max_age=links.booking_page_max_age())
    if not isinstance(payload, dict):
        raise Http404(_("This link is invalid or has expired."))
    booking = get_object_or_404(
        Booking.objects.select_related("course_session__course", "client_organisation").prefetch_related(
            "course_session__slots"
        ),
        pk=payload.get("b"),
    )
    if booking.is_erased:
        raise Http404(_("This link is invalid or has expired."))  # the contact's links die with erasure
    enrolments = list(booking.enrolments.order_by("pk"))
    return render(
        request,
        "enrolment/booking.html",
        {
            "booking": booking,
            "course_session": booking.course_session,
            "course": booking.course_session.course,
            "enrolments": enrolments,
            "confirmed": [e for e in enrolments if e.status == Enrolment.Status.CONFIRMED],
            "waiting": [e for e in enrolments if e.status in (Enrolment.Status.WAITING, Enrolment.Status.OFFERED)],
            "cancelled": [e for e in enrolments if e.status == Enrolment.Status.CANCELLED],
        },
    )


def _enrolment_from_token(purpose: str, token: str) -> Enrolment:
    payload = signed_link_payload(purpose, token, max_age=links.link_max_age())
    if not isinstance(payload, dict):
        raise Http404(_("This link is invalid or has expired."))
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("booking", "course_session__course"), pk=payload.get("e")
    )
    if links.email_fingerprint(enrolment.email_normalised) != payload.get("m"):
        raise Http404(_("This link is invalid or has expired.")) from None
    return enrolment


@require_http_methods(["GET", "POST"])
@ratelimit("enrolment-cancel", **_DEFAULT_RATE)
def cancel_view(request, token: str):
    """Cancel an enrolment through the signed link e-mailed to the trainee and the contact."""
    enrolment = _enrolment_from_token(links.CANCEL_PURPOSE, token)
    error = None
    if request.method == "POST":
        try:
            enrolment = cancel_enrolment(
                enrolment=enrolment, by=None, reason=_("Cancelled through the link sent by e-mail.")
            )
        except EnrolmentError as exc:
            error = str(exc)
        else:
            return render(
                request,
                "enrolment/cancelled.html",
                {"enrolment": enrolment, "course_session": enrolment.course_session},
            )
    return render(
        request,
        "enrolment/cancel.html",
        {"enrolment": enrolment, "course_session": enrolment.course_session, "error": error},
        status=409 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def offer_view(request, token: str):
    """Accept (or decline) a seat offered to a waiting-list entry, before the deadline."""
    enrolment = _enrolment_from_token(links.OFFER_PURPOSE, token)
    error = None
    if request.method == "POST":
        try:
            if "decline" in request.POST:
                enrolment = decline_offer(enrolment=enrolment)
                return render(
                    request,
                    "enrolment/cancelled.html",
                    {"enrolment": enrolment, "course_session": enrolment.course_session},
                )
            enrolment = accept_offer(enrolment=enrolment)
        except (OfferNotAvailable, EnrolmentError) as exc:
            error = str(exc)
    return render(
        request,
        "enrolment/offer.html",
        {"enrolment": enrolment, "course_session": enrolment.course_session, "error": error, "now": timezone.now()},
        status=409 if error else 200,
    )


#: Sessions per page of a course's sessions page.
SESSIONS_PAGE_SIZE = 20


@cache_public_page(course_scopes, name="enrolment.course_sessions")
def course_sessions_view(request, code: str):
    """Every open upcoming session of a published course (the course page shows the next few)."""
    course = get_object_or_404(Course.objects.published(), code=code)
    page = Paginator(open_sessions(course), SESSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [summarise(course_session) for course_session in page.object_list]
    return render(request, "enrolment/course_sessions.html", {"course": course, "page": page})

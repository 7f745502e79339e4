"""Staff pages: session planning, enrolments of a session, and their CSV / XLSX exports.

The page and its exports read the same rows (``enrolment_rows``), so what staff see is what they
export. Every page runs a fixed number of queries whatever the number of sessions or enrolments.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.accounts.access import back_office_required
from academy.core.exports import csv_response, xlsx_response
from academy.core.params import DateRangeForm
from academy.core.services import record_audit
from academy.scheduling.models import CourseSession, SessionSlot

from .models import Enrolment
from .seats import with_seat_counts

#: Order of the enrolment list: seats first, then the waiting list in its order, cancelled last.
STATUS_ORDER = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.OFFERED,
    Enrolment.Status.WAITING,
    Enrolment.Status.CANCELLED,
)


def planning_sessions(*, since: datetime.date | None = None, until: datetime.date | None = None) -> list[CourseSession]:
    """Sessions (not drafts excluded) by first date, with seat counts and slots: three queries."""
    queryset = (
        with_seat_counts(CourseSession.objects.with_dates())
        .select_related("course", "client_organisation")
        .prefetch_related(Prefetch("slots", queryset=SessionSlot.objects.order_by("starts_at")), "trainers")
        .order_by("first_starts_at", "pk")
    )
    if since:
        queryset = queryset.filter(last_ends_at__date__gte=since)
    if until:
        queryset = queryset.filter(first_starts_at__date__lte=until)
    return list(queryset)


@back_office_required
def planning_view(request):
    """Sessions by date with fill rate and waiting-list length; upcoming by default."""
    dates = DateRangeForm(request.GET)
    since, until = dates.dates()
    since = since or (timezone.localdate() - datetime.timedelta(days=7))
    sessions = planning_sessions(since=since, until=until)
    return render(
        request,
        "enrolment/staff/planning.html",
        {"course_sessions": sessions, "since": since, "until": until, "date_errors": dates.errors},
    )


def enrolment_rows(course_session: CourseSession) -> tuple[list[str], list[list], list[Enrolment]]:
    """Headers, rows and enrolments of a session's enrolment list (page and exports)."""
    status_order = Case(
        *[When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)],
        output_field=IntegerField(),
    )
    enrolments = list(
        Enrolment.objects.filter(course_session=course_session)
        .select_related("booking__client_organisation")
        .order_by(status_order, "waiting_since", "created_at", "pk")
    )
    tz = course_session.tzinfo
    first_slot = course_session.ordered_slots()[0] if course_session.ordered_slots() else None
    start = first_slot.starts_at.astimezone(tz) if first_slot else None
    hours = course_session.duration_hours
    headers = [
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("Job title"),
        _("Trainee category"),
        _("Organisation"),
        _("SIRET"),
        _("Contact"),
        _("Contact e-mail"),
        _("Contact phone"),
        _("Funding"),
        _("Funder"),
        _("Status"),
        _("Enrolled at"),
        _("Session start"),
        _("Hours"),
        _("Accessibility needs"),
    ]
    rows = []
    for e in enrolments:
        booking = e.booking
        organisation = booking.client_organisation
        rows.append(
            [
                e.last_name,
                e.first_name,
                e.email,
                e.job_title,
                e.get_trainee_category_display(),
                organisation.name if organisation else "",
                organisation.siret if organisation else "",
                "%s %s" % (booking.contact_first_name, booking.contact_last_name),
                booking.contact_email,
                booking.contact_phone,
                booking.get_funding_display(),
                booking.funder_name,
                e.get_status_display(),
                e.created_at.astimezone(tz),
                start,
                hours,
                e.accessibility_needs,
            ]
        )
    return headers, rows, enrolments


def _session_for_staff(pk: int) -> CourseSession:
    return get_object_or_404(
        with_seat_counts(CourseSession.objects.all())
        .select_related("course")
        .prefetch_related(Prefetch("slots", queryset=SessionSlot.objects.order_by("starts_at"))),
        pk=pk,
    )


@back_office_required
def session_enrolments_view(request, pk: int):
    """The list of enrolments of one session, with links to the exports and to cancel in the admin."""
    course_session = _session_for_staff(pk)
    headers, rows, enrolments = enrolment_rows(course_session)
    return render(
        request,
        "enrolment/staff/session_enrolments.html",
        {"course_session": course_session, "enrolments": enrolments},
    )


def _export_name(course_session: CourseSession, extension: str) -> str:
    return "enrolments-%s-%s.%s" % (course_session.course.code, course_session.pk, extension)


@back_office_required
def session_enrolments_csv(request, pk: int):
    """CSV of a session's enrolments, in the conventions of the UI language (FC-06, FC-07)."""
    course_session = _session_for_staff(pk)
    headers, rows, _enrolments = enrolment_rows(course_session)
    record_audit(action="export", obj=course_session, request=request, summary="enrolments CSV")
    return csv_response(_export_name(course_session, "csv"), headers, rows, tz=course_session.tzinfo)


@back_office_required
def session_enrolments_xlsx(request, pk: int):
    """XLSX of a session's enrolments: numbers and dates typed, no formula (FC-06, FC-07)."""
    course_session = _session_for_staff(pk)
    headers, rows, _enrolments = enrolment_rows(course_session)
    record_audit(action="export", obj=course_session, request=request, summary="enrolments XLSX")
    return xlsx_response(
        _export_name(course_session, "xlsx"),
        headers,
        rows,
        sheet_title=course_session.course.code,
        tz=course_session.tzinfo,
    )

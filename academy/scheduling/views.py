"""Calendar files: .ics per session, subscribable feeds per course and per trainer."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from academy.catalog.models import Course
from academy.core.tokens import InvalidToken, make_token, read_token

from .calendar import build_calendar
from .models import PRIVATE_CALENDAR_PURPOSE, CourseSession, Trainer

TRAINER_FEED_PURPOSE = "trainer-feed"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
#: Sessions ended longer ago than this drop out of the feeds.
FEED_PAST_DAYS = 90


def trainer_feed_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "SCHEDULING_TRAINER_FEED_MAX_AGE_DAYS", 730))


def trainer_feed_url(trainer: Trainer) -> str:
    """Absolute URL of ``trainer``'s private calendar feed (signed, expiring token)."""
    token = make_token(TRAINER_FEED_PURPOSE, {"t": trainer.pk})
    return settings.SITE_URL + reverse("scheduling:trainer_feed", kwargs={"token": token})


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="%s"' % filename
    return response


def _feed_sessions(queryset):
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return (
        queryset.exclude(status=CourseSession.Status.DRAFT)
        .with_dates()
        .filter(last_ends_at__gte=since)
        .select_related("course")
        .prefetch_related("slots")
        .order_by("first_starts_at", "pk")
    )


def private_calendar_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "SCHEDULING_PRIVATE_CALENDAR_MAX_AGE_DAYS", 730))


def _session_ics(queryset, pk: int) -> HttpResponse:
    course_session = get_object_or_404(
        queryset.exclude(status=CourseSession.Status.DRAFT).select_related("course").prefetch_related("slots"),
        pk=pk,
    )
    content = build_calendar([course_session], name=course_session.course.title)
    return _ics(content, "session-%s.ics" % course_session.pk)


@require_GET
def session_ics(request, pk: int):
    """The .ics of one published inter-company session (its half-day slots and enrolment deadline).

    In-company sessions are not found here: their calendar is behind a signed link
    (``CourseSession.calendar_url``).
    """
    return _session_ics(CourseSession.objects.filter(kind=CourseSession.Kind.INTER_COMPANY), pk)


@require_GET
def private_session_ics(request, token: str):
    """The .ics of one published session, in-company ones included, through its signed link."""
    try:
        payload = read_token(PRIVATE_CALENDAR_PURPOSE, token, private_calendar_max_age())
    except InvalidToken:
        raise Http404(_("This calendar link is invalid or has expired.")) from None
    return _session_ics(CourseSession.objects.all(), payload.get("s"))


@require_GET
def course_feed(request, code: str):
    """Subscribable feed of a published course's inter-company sessions."""
    course = get_object_or_404(Course, code=code, status=Course.Status.PUBLISHED)
    sessions = _feed_sessions(course.course_sessions.filter(kind=CourseSession.Kind.INTER_COMPANY))
    return _ics(build_calendar(sessions, name=course.title), "%s.ics" % course.code)


@require_GET
def trainer_feed(request, token: str):
    """A trainer's private feed of the sessions they deliver; the URL carries a signed token."""
    try:
        payload = read_token(TRAINER_FEED_PURPOSE, token, trainer_feed_max_age())
    except InvalidToken:
        raise Http404(_("This calendar link is invalid or has expired.")) from None
    trainer = get_object_or_404(Trainer, pk=payload.get("t"))
    sessions = _feed_sessions(trainer.course_sessions.all())
    name = _("Sessions of %(name)s") % {"name": str(trainer)}
    return _ics(build_calendar(sessions, name=name, with_deadline=False), "trainer-%s.ics" % trainer.pk)

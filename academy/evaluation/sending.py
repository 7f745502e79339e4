"""Sending questionnaires: personal signed links, invitations and reminders.

Every trainee gets personal links that need no account: a signed token
(``academy.core.tokens``, purpose "evaluation") carrying the enrolment and the questionnaire
kind. What was sent is recorded in ``Dispatch`` rows inserted *before* the e-mail is queued, under
a unique constraint, so nothing is ever sent twice whatever runs late, twice or in parallel.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, Min, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from academy.core.notifications import notify
from academy.core.tokens import InvalidToken, make_token, read_token
from academy.enrolment.models import NOT_ERASED, Enrolment
from academy.scheduling.models import CourseSession

from . import conf
from .models import TRAINEE_KINDS, Dispatch, QuestionnaireKind, Response
from .services import answer_window, session_bounds

Kind = QuestionnaireKind
TOKEN_PURPOSE = "evaluation"

#: E-mail events of evaluation (registered by the app's ``ready()``).
EMAIL_EVENTS = {
    "evaluation.invitation": gettext_lazy("To a trainee: personal links to questionnaires (invitation or reminder)."),
}


def make_answer_token(*, enrolment: Enrolment, kind: str) -> str:
    """A signed token naming ``enrolment`` and the questionnaire ``kind``."""
    return make_token(TOKEN_PURPOSE, {"e": enrolment.pk, "k": kind})


def answer_url(*, enrolment: Enrolment, kind: str) -> str:
    """The absolute personal link to answer ``kind`` (``SITE_URL`` + path, in the trainee's language)."""
    with translation.override(_language(enrolment)):
        path = reverse("evaluation:answer", kwargs={"token": make_answer_token(enrolment=enrolment, kind=kind)})
    return settings.SITE_URL + path


def read_answer_token(token: str) -> tuple[Enrolment, str]:
    """Return ``(enrolment, kind)`` named by ``token``.

    Raises InvalidToken when the token is malformed, tampered with, older than
    ``EVALUATION_LINK_MAX_AGE_DAYS`` or names an enrolment that no longer exists; InvalidToken
    "expired" once the person's data was erased (GDPR art. 17): their links die with it.
    """
    payload = read_token(TOKEN_PURPOSE, token, datetime.timedelta(days=conf.link_max_age_days()))
    try:
        kind = payload["k"]
        if kind not in TRAINEE_KINDS:
            raise InvalidToken("invalid")
        enrolment = Enrolment.objects.select_related("course_session__course").get(pk=int(payload["e"]))
    except (KeyError, TypeError, ValueError, Enrolment.DoesNotExist) as exc:
        raise InvalidToken("invalid") from exc
    if enrolment.is_erased:
        raise InvalidToken("expired")
    return enrolment, kind


def _language(enrolment: Enrolment) -> str:
    return getattr(enrolment.booking, "language", "") or settings.LANGUAGE_CODE


def send_invitation(
    *, enrolment: Enrolment, kinds: list[str], step: int = 0, now: datetime.datetime | None = None
) -> list[str]:
    """E-mail ``enrolment`` one message with its links for ``kinds``; returns the kinds actually sent.

    ``step`` 0 is the invitation, 1, 2… the reminders. A kind already sent at this step, or already
    answered (for reminders), is skipped; the rest are recorded and sent together. Nothing is sent
    to an erased enrolment (GDPR art. 17).
    """
    if enrolment.is_erased:
        return []
    now = now or timezone.now()
    with transaction.atomic():
        sent: list[Dispatch] = []
        for kind in kinds:
            if step and Response.objects.filter(enrolment=enrolment, kind=kind).exists():
                continue
            try:
                with transaction.atomic():
                    sent.append(Dispatch.objects.create(enrolment=enrolment, kind=kind, step=step, sent_at=now))
            except IntegrityError:
                continue
        if not sent:
            return []
        course_session = enrolment.course_session
        bounds = session_bounds(course_session)
        with translation.override(_language(enrolment)):
            links = []
            for dispatch in sent:
                window = answer_window(course_session=course_session, kind=dispatch.kind, bounds=bounds)
                closes_at = (
                    date_format(window.closes_at.astimezone(course_session.tzinfo), "DATETIME_FORMAT")
                    if window and window.closes_at
                    else None
                )
                links.append(
                    {
                        "label": Kind(dispatch.kind).label,
                        "url": answer_url(enrolment=enrolment, kind=dispatch.kind),
                        "closes_at": closes_at,
                    }
                )
            context = {
                "enrolment": enrolment,
                "course": course_session.course,
                "links": links,
                "reminder": step > 0,
                "positioning_before": sent[0].kind == Kind.POSITIONING_BEFORE,
            }
        email = notify(
            event="evaluation.invitation",
            to=[(enrolment.full_name, enrolment.email)],
            context=context,
            language=_language(enrolment),
            category="evaluation",
        )
        Dispatch.objects.filter(pk__in=[d.pk for d in sent]).update(email=email)
    return [d.kind for d in sent]


def send_positioning_before(*, enrolment: Enrolment, now: datetime.datetime | None = None) -> bool:
    """Send the "before" self-positioning to a newly confirmed trainee while its window is open."""
    now = now or timezone.now()
    enrolment.refresh_from_db()
    if enrolment.status != Enrolment.Status.CONFIRMED or enrolment.is_erased:
        return False
    window = answer_window(course_session=enrolment.course_session, kind=Kind.POSITIONING_BEFORE)
    if window is None or (window.closes_at is not None and window.closes_at <= now):
        return False
    return bool(send_invitation(enrolment=enrolment, kinds=[Kind.POSITIONING_BEFORE], now=now))


def _due_at(sent_at: datetime.datetime, days: int, tz) -> datetime.datetime:
    day = sent_at.astimezone(tz).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(conf.send_hour()), tzinfo=tz)


def send_due_evaluations(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send every invitation and reminder that is due at ``now``; returns counts by what was sent.

    - "before" positioning to confirmed trainees not yet invited, while its window is open (catches
      up a missed confirmation signal);
    - "after" positioning and end-of-course survey once the last slot has ended, until the window
      closes;
    - follow-up survey at ``follow_up_due_at`` (session's timezone);
    - reminder n at ``EVALUATION_SEND_HOUR`` local time, ``EVALUATION_REMINDER_DAYS[n-1]`` days after
      the invitation, while the trainee has not answered and the window is open.

    Idempotent (Dispatch unique constraint): running it twice sends nothing more.
    """
    now = now or timezone.now()
    window_days = datetime.timedelta(days=conf.answer_window_days())
    counts = {"invitations": 0, "reminders": 0}
    sessions = (
        CourseSession.objects.exclude(status=CourseSession.Status.CANCELLED)
        .annotate(
            first_start=Min("slots__starts_at"),
            first_end=Min("slots__ends_at"),
            last_start=Max("slots__starts_at"),
            last_end=Max("slots__ends_at"),
        )
        .filter(first_start__isnull=False)
    )
    follow_up_margin = datetime.timedelta(days=conf.follow_up_delay_days() + 2)
    active = sessions.filter(first_end__gt=now - follow_up_margin - window_days).select_related("course")

    def invited(kind: str, step: int = 0):
        return Exists(Dispatch.objects.filter(enrolment=OuterRef("pk"), kind=kind, step=step))

    for course_session in active:
        bounds = (
            course_session.first_start,
            course_session.first_end,
            course_session.last_start,
            course_session.last_end,
        )
        due_kinds: list[str] = []
        if now < course_session.first_end:
            due_kinds.append(Kind.POSITIONING_BEFORE)
        if course_session.last_end <= now < course_session.last_end + window_days:
            due_kinds += [Kind.POSITIONING_AFTER, Kind.END_OF_COURSE]
        follow_up = answer_window(course_session=course_session, kind=Kind.FOLLOW_UP, bounds=bounds)
        if follow_up.opens_at <= now < follow_up.closes_at:
            due_kinds.append(Kind.FOLLOW_UP)
        if not due_kinds:
            continue
        enrolments = course_session.enrolments.filter(NOT_ERASED, status=Enrolment.Status.CONFIRMED).select_related(
            "booking", "course_session__course"
        )
        for kinds in (
            [k for k in due_kinds if k != Kind.FOLLOW_UP and k != Kind.POSITIONING_BEFORE],
            [Kind.POSITIONING_BEFORE] if Kind.POSITIONING_BEFORE in due_kinds else [],
            [Kind.FOLLOW_UP] if Kind.FOLLOW_UP in due_kinds else [],
        ):
            if not kinds:
                continue
            pending = enrolments.exclude(invited(kinds[0]))
            for enrolment in pending:
                if send_invitation(enrolment=enrolment, kinds=kinds, now=now):
                    counts["invitations"] += 1
        counts["reminders"] += _send_due_reminders(course_session=course_session, bounds=bounds, now=now)
    return counts


def _send_due_reminders(*, course_session: CourseSession, bounds: tuple, now: datetime.datetime) -> int:
    """Send the reminders of ``course_session`` that are due; returns how many e-mails left."""
    tz = course_session.tzinfo
    schedule = conf.reminder_days()
    sent = 0
    invitations = (
        Dispatch.objects.filter(
            enrolment__course_session=course_session, step=0, enrolment__status=Enrolment.Status.CONFIRMED
        )
        .exclude(Exists(Response.objects.filter(enrolment=OuterRef("enrolment"), kind=OuterRef("kind"))))
        .select_related("enrolment__booking", "enrolment__course_session__course")
    )
    due_by_enrolment: dict[tuple[int, int], tuple[Enrolment, list[str]]] = {}
    windows = {kind: answer_window(course_session=course_session, kind=kind, bounds=bounds) for kind in TRAINEE_KINDS}
    done = set(
        Dispatch.objects.filter(enrolment__course_session=course_session, step__gt=0).values_list(
            "enrolment_id", "kind", "step"
        )
    )
    for invitation in invitations:
        window = windows[invitation.kind]
        if window is None or (window.closes_at is not None and now >= window.closes_at):
            continue
        for step, days in enumerate(schedule, start=1):
            if (invitation.enrolment_id, invitation.kind, step) in done:
                continue
            if now >= _due_at(invitation.sent_at, days, tz):
                entry = due_by_enrolment.setdefault((invitation.enrolment_id, step), (invitation.enrolment, []))
                entry[1].append(invitation.kind)
            break
    for (_enrolment_id, step), (enrolment, kinds) in due_by_enrolment.items():
        if send_invitation(enrolment=enrolment, kinds=kinds, step=step, now=now):
            sent += 1
    return sent

"""Evaluation pages: answering from a personal link, the trainer's opening page, reports, indicators."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from academy.core.exports import csv_response, xlsx_response
from academy.core.models import TrainingOrganisation
from academy.core.pdf import render_pdf
from academy.core.services import record_audit
from academy.core.tokens import InvalidToken
from academy.enrolment.models import Enrolment
from academy.scheduling.access import session_runner_required
from academy.scheduling.models import CourseSession

from .exceptions import EvaluationError, InvalidAnswers, WindowClosed, WindowNotOpen
from .forms import QuestionnaireForm
from .models import QuestionnaireKind, Response
from .reports import organisation_indicators, session_report
from .sending import read_answer_token
from .services import check_window, current_questionnaire, session_bounds, submit_response

Kind = QuestionnaireKind


# --- Answering from a personal link -----------------------------------------------------------


def _notice(request, *, title: str, message: str, status: int = 200):
    return render(request, "evaluation/notice.html", {"title": title, "message": message}, status=status)


@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """Show and accept the questionnaire named by a personal signed link (no account needed).

    A tampered, expired or unknown link, a cancelled enrolment, a questionnaire not open yet or
    closed each get a clear page; a second submission (another tab, a double click) is answered
    with the response already stored (FC-08).
    """
    try:
        enrolment, kind = read_answer_token(token)
    except InvalidToken as exc:
        expired = str(exc) == "expired"
        return _notice(
            request,
            title=_("This link has expired") if expired else _("This link is not valid"),
            message=(
                _(
                    "For your security, questionnaire links stop working after a while. Write to us and we will "
                    "send you a new one."
                )
                if expired
                else _(
                    "The link may have been cut or changed when it was copied. Open it again from the e-mail, "
                    "or write to us for a new one."
                )
            ),
        )
    course_session = enrolment.course_session
    existing = Response.objects.filter(enrolment=enrolment, kind=kind).first()
    context = {
        "enrolment": enrolment,
        "course_session": course_session,
        "course": course_session.course,
        "kind_label": Kind(kind).label,
    }
    if existing is not None:
        return render(request, "evaluation/answered.html", {**context, "response": existing})
    if enrolment.status != Enrolment.Status.CONFIRMED:
        return _notice(
            request,
            title=_("This enrolment is not active"),
            message=_("This questionnaire is for confirmed trainees; your enrolment is not (or no longer) confirmed."),
        )
    try:
        check_window(course_session=course_session, kind=kind)
    except (WindowNotOpen, WindowClosed) as exc:
        title = _("The answer period is over") if isinstance(exc, WindowClosed) else _("Not open yet")
        return _notice(request, title=title, message=str(exc))
    questionnaire = current_questionnaire(course=course_session.course, kind=kind)
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            result = submit_response(enrolment=enrolment, kind=kind, answers=form.raw_answers())
        except InvalidAnswers as exc:
            form.add_service_errors(exc.errors)
        except EvaluationError as exc:
            return _notice(request, title=_("Your answer could not be recorded"), message=str(exc))
        else:
            if result.created:
                messages.success(request, _("Thank you: your answers are recorded."))
            else:
                messages.info(request, _("Your answers had already been recorded; nothing was changed."))
            return redirect(request.path)
    return render(request, "evaluation/answer.html", {**context, "questionnaire": questionnaire, "form": form})


# --- Trainer and staff pages ------------------------------------------------------------------


def session_dates(course_session: CourseSession) -> str:
    """The session's dates in its own timezone, e.g. "30/03/2027" or "30/03/2027 – 31/03/2027"."""
    bounds = session_bounds(course_session)
    if bounds is None:
        return str(course_session)
    tz = course_session.tzinfo
    first, last = bounds[0].astimezone(tz).date(), bounds[3].astimezone(tz).date()
    if first == last:
        return date_format(first, "SHORT_DATE_FORMAT")
    return "%s – %s" % (date_format(first, "SHORT_DATE_FORMAT"), date_format(last, "SHORT_DATE_FORMAT"))


def trainer_view(view):
    """Wrap ``view(request, course_session, …)``: the signed-in trainer of the session, or staff.

    An unknown session and a session the user does not run both answer 404.
    """

    @session_runner_required("pk")
    @wraps(view)
    def wrapped(request, course_session: CourseSession, *args, **kwargs):
        course_session.dates_label = session_dates(course_session)
        return view(request, course_session, *args, **kwargs)

    return wrapped


@trainer_view
def trainer_report(request, course_session: CourseSession):
    """The signed-in trainer's session report (Qualiopi indicator 30): the same questionnaire as the
    e-mailed link, opened from the trainer's pages. Staff who do not deliver the session get 404."""
    from academy.accounts.access import trainer_of

    from .stakeholders import make_stakeholder_token

    trainer = trainer_of(request.user)
    if trainer is None or not course_session.trainers.filter(pk=trainer.pk).exists():
        raise Http404
    token = make_stakeholder_token(
        course_session=course_session, kind=QuestionnaireKind.TRAINER_REPORT, respondent="trainer:%d" % trainer.pk
    )
    return redirect("evaluation:stakeholder_answer", token=token)


def _missing_before(course_session: CourseSession):
    answered = Response.objects.filter(enrolment=OuterRef("pk"), kind=Kind.POSITIONING_BEFORE)
    return (
        course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .annotate(answered=Exists(answered))
        .order_by("last_name", "first_name")
    )


@trainer_view
def session_opening(request, course_session: CourseSession):
    """The trainer's page at the opening of the session: who has not answered the "before" positioning."""
    enrolments = list(_missing_before(course_session))
    return render(
        request,
        "evaluation/opening.html",
        {
            "course_session": course_session,
            "course": course_session.course,
            "session_dates": course_session.dates_label,
            "missing": [e for e in enrolments if not e.answered],
            "answered": [e for e in enrolments if e.answered],
        },
    )


@trainer_view
@require_http_methods(["GET", "POST"])
def session_opening_record(request, course_session: CourseSession, enrolment_pk: int):
    """Record a trainee's "before" positioning on site; the response is marked entered by the trainer."""
    enrolment = get_object_or_404(course_session.enrolments, pk=enrolment_pk, status=Enrolment.Status.CONFIRMED)
    opening_url = redirect("evaluation:session_opening", pk=course_session.pk)
    if Response.objects.filter(enrolment=enrolment, kind=Kind.POSITIONING_BEFORE).exists():
        messages.info(request, _("%(name)s has already answered.") % {"name": enrolment.full_name})
        return opening_url
    questionnaire = current_questionnaire(course=course_session.course, kind=Kind.POSITIONING_BEFORE)
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            result = submit_response(
                enrolment=enrolment, kind=Kind.POSITIONING_BEFORE, answers=form.raw_answers(), entered_by=request.user
            )
        except InvalidAnswers as exc:
            form.add_service_errors(exc.errors)
        except EvaluationError as exc:
            messages.error(request, str(exc))
            return opening_url
        else:
            if result.created:
                record_audit(
                    action="create",
                    obj=result.response,
                    request=request,
                    summary="Self-positioning entered by the trainer",
                )
                messages.success(request, _("Answers of %(name)s recorded.") % {"name": enrolment.full_name})
            return opening_url
    return render(
        request,
        "evaluation/opening_record.html",
        {
            "course_session": course_session,
            "course": course_session.course,
            "session_dates": course_session.dates_label,
            "enrolment": enrolment,
            "questionnaire": questionnaire,
            "form": form,
        },
    )


@trainer_view
def session_opening_print(request, course_session: CourseSession):
    """Printable (PDF) forms for the trainees who have not answered the "before" positioning."""
    questionnaire = current_questionnaire(course=course_session.course, kind=Kind.POSITIONING_BEFORE)
    missing = [e for e in _missing_before(course_session) if not e.answered]
    pdf = render_pdf(
        "evaluation/pdf/opening.html",
        {
            "course_session": course_session,
            "course": course_session.course,
            "session_dates": course_session.dates_label,
            "missing": missing,
            "questions": list(questionnaire.questions.all()),
            "organisation": TrainingOrganisation.current(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="positioning-%s.pdf"' % course_session.pk
    return response


@trainer_view
def report(request, course_session: CourseSession):
    """The session's evaluation report: positioning before/after, satisfaction, free text, response rates."""
    return render(
        request,
        "evaluation/report.html",
        {
            "course_session": course_session,
            "course": course_session.course,
            "session_dates": course_session.dates_label,
            "report": session_report(course_session=course_session),
        },
    )


@trainer_view
def report_export(request, course_session: CourseSession, fmt: str):
    """The report as CSV, XLSX or PDF (same figures as the page)."""
    data = session_report(course_session=course_session)
    filename = "evaluation-%s-%s" % (course_session.course.code, course_session.pk)
    record_audit(action="export", obj=course_session, request=request, summary="Evaluation report (%s)" % fmt)
    if fmt == "csv":
        headers, rows = data.rows()
        return csv_response(filename + ".csv", headers, rows, tz=course_session.tzinfo)
    if fmt == "xlsx":
        headers, rows = data.rows()
        return xlsx_response(filename + ".xlsx", headers, rows, sheet_title=_("Evaluation"), tz=course_session.tzinfo)
    if fmt == "pdf":
        pdf = render_pdf(
            "evaluation/pdf/report.html",
            {
                "course_session": course_session,
                "course": course_session.course,
                "session_dates": course_session.dates_label,
                "report": data,
                "organisation": TrainingOrganisation.current(),
                "generated_at": timezone.now(),
            },
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="%s.pdf"' % filename
        return response
    raise Http404


# --- Organisation-wide indicators (public, open data) -----------------------------------------


def indicators(request):
    """Qualiopi indicator 2: satisfaction, trainees and response rates, each with period and sample size."""
    from .reports import rounding_rule

    return render(
        request,
        "evaluation/indicators.html",
        {"indicators": organisation_indicators(), "rounding_rule": rounding_rule()},
    )


def indicators_export(request, fmt: str):
    """The indicators as open data: CSV or JSON."""
    rows = organisation_indicators()
    if fmt == "csv":
        headers = [
            _("Code"),
            _("Indicator"),
            _("Value"),
            _("Unit"),
            _("Sample size"),
            _("Period start"),
            _("Period end"),
            _("Note"),
        ]
        return csv_response(
            "indicators.csv",
            headers,
            [[i.code, i.label, i.value, i.unit, i.sample_size, i.period_start, i.period_end, i.note] for i in rows],
        )
    if fmt == "json":
        from .reports import rounding_rule

        organisation = TrainingOrganisation.current()
        payload = {
            "organisation": organisation.name,
            "siret": organisation.siret,
            "generated_at": timezone.now(),
            "indicators": [
                {
                    "code": i.code,
                    "label": i.label,
                    "value": None if i.value is None else str(i.value),
                    "unit": i.unit,
                    "sample_size": i.sample_size,
                    "period_start": i.period_start,
                    "period_end": i.period_end,
                    "note": i.note,
                    "not_yet_due": i.not_due,
                    "no_data": i.no_data,
                }
                for i in rows
            ],
            "rounding_rule": rounding_rule(),
        }
        response = HttpResponse(
            json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="indicators.json"'
        return response
    raise Http404


# --- Client organisation and trainer questionnaires (Qualiopi indicator 30) -------------------


@require_http_methods(["GET", "POST"])
def stakeholder_answer(request, token: str):
    """Show and accept the client questionnaire or the trainer's session report named by a signed link.

    A forged, cut or expired link gets a clear page, as do a session not yet over and a second
    submission (the first answers stay).
    """
    from .stakeholders import read_stakeholder_token, submit_stakeholder_response

    try:
        course_session, kind, respondent = read_stakeholder_token(token)
    except InvalidToken as exc:
        expired = str(exc) == "expired"
        return _notice(
            request,
            title=_("This link has expired") if expired else _("This link is not valid"),
            message=_("Open it again from the e-mail, or write to us for a new one."),
        )
    context = {
        "course_session": course_session,
        "course": course_session.course,
        "kind_label": Kind(kind).label,
        "respondent": respondent,
    }
    existing = Response.objects.filter(course_session=course_session, kind=kind, respondent=respondent.key).first()
    if existing is not None:
        return render(request, "evaluation/answered.html", {**context, "response": existing})
    questionnaire = current_questionnaire(course=course_session.course, kind=kind)
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            submit_stakeholder_response(
                course_session=course_session,
                kind=kind,
                respondent=respondent.key,
                answers=form.raw_answers(),
                entered_by=request.user,
            )
        except InvalidAnswers as exc:
            form.add_service_errors(exc.errors)
        except EvaluationError as exc:
            return _notice(request, title=_("Your answer could not be recorded"), message=str(exc))
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect(request.path)
    return render(
        request, "evaluation/stakeholder_answer.html", {**context, "questionnaire": questionnaire, "form": form}
    )

"""Quality pages (Qualiopi): indicator map, session evidence, complaints, improvement actions, watch,
yearly review, evidence packs; and the public complaint form."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from academy.accounts.access import Role, require_role
from academy.attendance.engagement import close_follow_up, detect_absences
from academy.attendance.exceptions import AttendanceError
from academy.attendance.models import AbsenceFollowUp
from academy.core.honeypot import honeypot
from academy.core.params import parse_id
from academy.core.ratelimit import ratelimit
from academy.enrolment.exceptions import EnrolmentError
from academy.enrolment.models import Adaptation, Enrolment
from academy.enrolment.services.quality import record_adaptation, record_dropout
from academy.evaluation.exceptions import EvaluationError
from academy.evaluation.reports import organisation_indicators
from academy.evaluation.stakeholders import send_stakeholder_questionnaires, stakeholder_status
from academy.scheduling.models import CourseSession

from .forms import (
    ActionProgressForm,
    AdaptationForm,
    AnswerForm,
    DropoutForm,
    FollowUpForm,
    ImprovementActionForm,
    PeriodForm,
    PublicComplaintForm,
    StaffComplaintForm,
    WatchEntryForm,
)
from .models import Complaint, EvidencePack, ImprovementAction, WatchEntry
from .quality.complaints import (
    QualityError,
    answer_complaint,
    close_complaint,
    create_improvement_action,
    file_complaint,
    update_improvement_action,
)
from .quality.indicators import GREEN, NOT_APPLICABLE, PARTIAL, applicability, session_map, summary
from .quality.packs import start_evidence_pack

staff = require_role(Role.PLANNER)

#: Most recent sessions listed on the quality page (each links to its own map).
RECENT_SESSIONS = 30


# --- Public complaint form -------------------------------------------------------------------------


def _complaint_received(request, complaint=None):
    messages.success(
        request,
        _(
            "Thank you: your complaint has been received. An acknowledgement with its reference was sent to your e-mail address."
        ),
    )
    if complaint is not None:
        messages.info(
            request,
            _("Your complaint’s reference: %(reference)s. We will answer by %(due)s at the latest.")
            % {"reference": complaint.reference, "due": date_format(complaint.answer_due_on, "DATE_FORMAT")},
        )
    return redirect("compliance:complaint_form")


_TOO_MANY = gettext_lazy("Too many requests from your connection. Please try again in a few minutes.")


@require_http_methods(["GET", "POST"])
@ratelimit("complaint", limit=5, window=3600, setting="COMPLAINT_RATE_LIMIT", message=_TOO_MANY)
@honeypot(_complaint_received)
def complaint_form(request):
    """The public complaint form (Qualiopi indicator 31): no account needed; acknowledged by e-mail."""
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        description = data["description"]
        if data["course_reference"]:
            description = "%s\n\n%s %s" % (description, _("Course or session concerned:"), data["course_reference"])
        try:
            complaint = file_complaint(
                source=data["source"],
                name=data["name"],
                email=data["email"],
                organisation_name=data["organisation_name"],
                subject=data["subject"],
                description=description,
            )
        except QualityError as exc:
            form.add_error(None, str(exc))
        else:
            return _complaint_received(request, complaint)
    return render(request, "compliance/complaint_form.html", {"form": form}, status=400 if form.errors else 200)


# --- Quality home: indicator map -----------------------------------------------------------------


@staff
def quality_home(request):
    """The staff quality page: the indicator map of the reference, then recent sessions and open items."""
    not_applicable = applicability()
    from .quality.indicators import INDICATORS

    rows = [(indicator, not_applicable.get(indicator.number, "")) for indicator in INDICATORS]
    sessions = list(
        CourseSession.objects.exclude(status=CourseSession.Status.CANCELLED)
        .with_dates()
        .filter(first_starts_at__isnull=False, first_starts_at__lte=timezone.now() + datetime.timedelta(days=60))
        .select_related("course")
        .order_by("-first_starts_at")[:RECENT_SESSIONS]
    )
    today = timezone.localdate()
    context = {
        "rows": rows,
        "sessions": sessions,
        "open_complaints": Complaint.objects.exclude(status=Complaint.Status.CLOSED).count(),
        "late_complaints": Complaint.objects.filter(status=Complaint.Status.RECEIVED, answer_due_on__lt=today).count(),
        "open_actions": ImprovementAction.objects.exclude(status__in=ImprovementAction.CLOSED_STATUSES).count(),
        "late_actions": ImprovementAction.objects.exclude(status__in=ImprovementAction.CLOSED_STATUSES)
        .filter(due_on__lt=today)
        .count(),
        "open_follow_ups": AbsenceFollowUp.objects.filter(status=AbsenceFollowUp.Status.OPEN).count(),
        "period_form": PeriodForm(initial={"start": today.replace(month=1, day=1), "end": today}),
        "packs": EvidencePack.objects.select_related("course_session__course")[:10],
    }
    return render(request, "compliance/quality/home.html", context)


#: Most sessions a period map is computed for on the page; beyond, the evidence pack (built in
#: the background) holds it, so the page stays fast whatever the period.
PERIOD_MAP_MAX_SESSIONS = 40


@staff
def period_quality(request):
    """The indicator map over the sessions ended in a period (``?start=YYYY-MM-DD&end=YYYY-MM-DD``)."""
    from .quality.indicators import period_map, sessions_of_period

    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(month=1, day=1), "end": today})
    context = {"form": form, "GREEN": GREEN, "PARTIAL": PARTIAL, "NOT_APPLICABLE": NOT_APPLICABLE}
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        count = sessions_of_period(start, end).count()
        context.update(start=start, end=end, session_count=count)
        if count <= PERIOD_MAP_MAX_SESSIONS:
            states = period_map(start, end)
            context.update(states=states, counts=summary(states))
        else:
            context["too_many"] = PERIOD_MAP_MAX_SESSIONS
    return render(request, "compliance/quality/period.html", context)


# --- One session -------------------------------------------------------------------------------------


def _session(pk) -> CourseSession:
    return get_object_or_404(CourseSession.objects.select_related("course", "client_organisation"), pk=pk)


@staff
def session_quality(request, pk: int):
    """The evidence of one session: its indicator map, needs, adaptations, absences, drop-outs, feedback."""
    course_session = _session(pk)
    states = session_map(course_session)
    enrolments = list(
        course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .prefetch_related("adaptations__decided_by")
        .order_by("last_name", "first_name")
    )
    context = {
        "course_session": course_session,
        "states": states,
        "counts": summary(states),
        "enrolments": enrolments,
        "quotes": list(course_session.quotes.all()),
        "follow_ups": AbsenceFollowUp.objects.filter(slot__course_session=course_session).select_related(
            "slot__course_session", "enrolment"
        ),
        "stakeholders": stakeholder_status(course_session),
        "complaints": course_session.complaints.all(),
        "actions": ImprovementAction.objects.filter(course_session=course_session).select_related("owner"),
        "adaptation_form": AdaptationForm(),
        "dropout_form": DropoutForm(),
        "follow_up_form": FollowUpForm(),
        "packs": course_session.evidence_packs.all()[:5],
        "GREEN": GREEN,
        "PARTIAL": PARTIAL,
        "NOT_APPLICABLE": NOT_APPLICABLE,
    }
    return render(request, "compliance/quality/session.html", context)


@staff
@require_POST
def session_detect_absences(request, pk: int):
    course_session = _session(pk)
    created = detect_absences(course_session=course_session)
    messages.success(
        request, _("%(count)d new absence(s) detected; the trainees were e-mailed.") % {"count": len(created)}
    )
    return redirect("compliance:session_quality", pk=pk)


@staff
@require_POST
def session_send_feedback(request, pk: int):
    course_session = _session(pk)
    try:
        sent = send_stakeholder_questionnaires(course_session=course_session)
    except EvaluationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(count)d questionnaire link(s) sent.") % {"count": sent})
    return redirect("compliance:session_quality", pk=pk)


@staff
@require_POST
def enrolment_adaptation(request, pk: int):
    """Record an adaptation asked for a trainee, and its decision when taken (Qualiopi indicator 10)."""
    enrolment = get_object_or_404(Enrolment, pk=pk)
    adaptation = None
    if adaptation_id := parse_id(request.POST.get("adaptation", "")):
        adaptation = get_object_or_404(Adaptation, pk=adaptation_id, enrolment=enrolment)
    form = AdaptationForm(request.POST)
    if form.is_valid():
        try:
            record_adaptation(enrolment=enrolment, by=request.user, adaptation=adaptation, **form.cleaned_data)
        except EnrolmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Adaptation recorded for %(name)s.") % {"name": enrolment.full_name})
    else:
        messages.error(request, _("Say what was asked."))
    return redirect("compliance:session_quality", pk=enrolment.course_session_id)


@staff
@require_POST
def enrolment_dropout(request, pk: int):
    """Record a trainee's drop-out with its reason (Qualiopi indicator 12)."""
    enrolment = get_object_or_404(Enrolment, pk=pk)
    form = DropoutForm(request.POST)
    if form.is_valid():
        try:
            record_dropout(enrolment=enrolment, by=request.user, **form.cleaned_data)
        except EnrolmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Drop-out recorded for %(name)s.") % {"name": enrolment.full_name})
    else:
        messages.error(request, _("Choose the reason of the drop-out."))
    return redirect("compliance:session_quality", pk=enrolment.course_session_id)


@staff
@require_POST
def follow_up_close(request, pk: int):
    follow_up = get_object_or_404(AbsenceFollowUp.objects.select_related("slot", "enrolment"), pk=pk)
    form = FollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise AttendanceError(_("Say what was done before closing the follow-up."))
        close_follow_up(follow_up=follow_up, outcome=form.cleaned_data["outcome"], by=request.user)
    except AttendanceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Follow-up closed."))
    return redirect("compliance:session_quality", pk=follow_up.slot.course_session_id)


# --- Complaints --------------------------------------------------------------------------------------


@staff
def complaint_list(request):
    complaints = Complaint.objects.select_related("course_session__course").annotate(
        actions=Count("improvement_actions")
    )
    return render(
        request, "compliance/quality/complaints.html", {"complaints": complaints[:300], "today": timezone.localdate()}
    )


@staff
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    """Staff entry of a complaint received by phone, letter, e-mail or in person."""
    form = StaffComplaintForm(
        request.POST or None, initial={"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = file_complaint(by=request.user, **data)
        except QualityError as exc:
            form.add_error("received_at", str(exc))
        else:
            messages.success(request, _("Complaint %(reference)s recorded.") % {"reference": complaint.reference})
            return redirect("compliance:complaint", pk=complaint.pk)
    return render(request, "compliance/quality/complaint_new.html", {"form": form})


@staff
@require_http_methods(["GET", "POST"])
def complaint_detail(request, pk: int):
    """One complaint: answer it (e-mailed), close it once answered, start an improvement action."""
    complaint = get_object_or_404(Complaint.objects.select_related("course_session__course", "answered_by"), pk=pk)
    answer_form = AnswerForm(initial={"answer": complaint.answer, "send": True})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                close_complaint(complaint=complaint, by=request.user)
                messages.success(request, _("Complaint closed."))
                return redirect("compliance:complaint", pk=pk)
            answer_form = AnswerForm(request.POST)
            if answer_form.is_valid():
                answer_complaint(
                    complaint=complaint,
                    answer=answer_form.cleaned_data["answer"],
                    send=answer_form.cleaned_data["send"],
                    by=request.user,
                )
                messages.success(request, _("Answer saved."))
                return redirect("compliance:complaint", pk=pk)
        except QualityError as exc:
            messages.error(request, str(exc))
            complaint.refresh_from_db()
    return render(
        request,
        "compliance/quality/complaint.html",
        {
            "complaint": complaint,
            "answer_form": answer_form,
            "actions": complaint.improvement_actions.select_related("owner"),
        },
    )


# --- Improvement actions -------------------------------------------------------------------------------


@staff
def action_list(request):
    actions = ImprovementAction.objects.select_related("owner", "complaint", "watch_entry", "course_session__course")
    return render(request, "compliance/quality/actions.html", {"actions": actions[:300], "today": timezone.localdate()})


@staff
@require_http_methods(["GET", "POST"])
def action_new(request):
    """A new improvement action; ``?complaint=<id>`` or ``?watch=<id>`` prefills its cause."""
    initial = {}
    if complaint_id := parse_id(request.GET.get("complaint", "")):
        complaint = Complaint.objects.filter(pk=complaint_id).first()
        if complaint is not None:
            initial.update(
                cause=ImprovementAction.Cause.COMPLAINT, complaint=complaint, course_session=complaint.course_session
            )
    if watch_id := parse_id(request.GET.get("watch", "")):
        entry = WatchEntry.objects.filter(pk=watch_id).first()
        if entry is not None:
            initial.update(cause=ImprovementAction.Cause.WATCH, watch_entry=entry)
    form = ImprovementActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = create_improvement_action(by=request.user, **form.cleaned_data)
        except QualityError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Improvement action created."))
            return redirect("compliance:action", pk=action.pk)
    return render(request, "compliance/quality/action_new.html", {"form": form})


@staff
@require_http_methods(["GET", "POST"])
def action_detail(request, pk: int):
    action = get_object_or_404(
        ImprovementAction.objects.select_related("owner", "complaint", "watch_entry", "course_session__course"), pk=pk
    )
    form = ActionProgressForm(request.POST or None, initial={"status": action.status, "effect": action.effect})
    if request.method == "POST" and form.is_valid():
        try:
            update_improvement_action(action=action, by=request.user, **form.cleaned_data)
        except QualityError as exc:
            form.add_error("effect", str(exc))
        else:
            messages.success(request, _("Improvement action updated."))
            return redirect("compliance:action", pk=pk)
    return render(request, "compliance/quality/action.html", {"action": action, "form": form})


# --- Watch ---------------------------------------------------------------------------------------------


@staff
@require_http_methods(["GET", "POST"])
def watch_log(request):
    """The watch log (veille légale, métiers, pédagogique — Qualiopi indicators 23–25), with an entry form."""
    form = WatchEntryForm(request.POST or None, initial={"noted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.recorded_by = request.user
        entry.save()
        messages.success(request, _("Watch entry recorded."))
        return redirect("compliance:watch")
    entries = WatchEntry.objects.annotate(actions=Count("improvement_actions"))[:300]
    return render(request, "compliance/quality/watch.html", {"form": form, "entries": entries})


# --- Yearly review -------------------------------------------------------------------------------------


@staff
def yearly_review(request, year: int | None = None):
    """The year's quality review: complaints, improvement actions, watch, results and drop-outs."""
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    tz = timezone.get_default_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    complaints = list(
        Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
        .select_related("course_session__course")
        .annotate(actions=Count("improvement_actions"))
        .order_by("received_at")
    )
    actions = list(
        ImprovementAction.objects.filter(
            Q(created_at__gte=start, created_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end)
        )
        .select_related("owner", "complaint", "watch_entry")
        .order_by("created_at")
    )
    watch = list(WatchEntry.objects.filter(noted_on__year=year).order_by("noted_on"))
    answered_in_time = sum(
        1 for c in complaints if c.answered_at and timezone.localdate(c.answered_at) <= c.answer_due_on
    )
    results_day = min(datetime.date(year, 12, 31), timezone.localdate())
    context = {
        "year": year,
        "complaints": complaints,
        "answered_in_time": answered_in_time,
        "closed_complaints": sum(1 for c in complaints if c.status == Complaint.Status.CLOSED),
        "actions": actions,
        "done_actions": sum(1 for a in actions if a.status == ImprovementAction.Status.DONE),
        "watch": watch,
        "watch_by_kind": {label: sum(1 for w in watch if w.kind == kind) for kind, label in WatchEntry.Kind.choices},
        "indicators": organisation_indicators(today=results_day),
        "previous": year - 1,
        "next": year + 1 if year < timezone.localdate().year else None,
    }
    return render(request, "compliance/quality/review.html", context)


# --- Evidence packs ------------------------------------------------------------------------------------


@staff
@require_POST
def pack_start(request):
    """Queue an evidence pack for ``session`` (id) or for the period ``start``–``end``."""
    if session_id := parse_id(request.POST.get("session", "")):
        course_session = get_object_or_404(CourseSession, pk=session_id)
        pack = start_evidence_pack(course_session=course_session, by=request.user)
        return redirect("compliance:pack", pk=pack.pk)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(" ".join(errors) for errors in form.errors.values()) or _("Choose a session or a period.")
        )
        return redirect("compliance:quality")
    pack = start_evidence_pack(
        period_start=form.cleaned_data["start"], period_end=form.cleaned_data["end"], by=request.user
    )
    return redirect("compliance:pack", pk=pack.pk)


@staff
def pack_progress(request, pk: int):
    """The progress of an evidence pack; refreshes itself until it is done."""
    pack = get_object_or_404(EvidencePack.objects.select_related("course_session__course"), pk=pk)
    return render(request, "compliance/quality/pack.html", {"pack": pack})


@staff
def pack_download(request, pk: int):
    pack = get_object_or_404(EvidencePack, pk=pk, status=EvidencePack.Status.DONE)
    if not pack.file:
        raise Http404
    handle = default_storage.open(pack.file.name, "rb")
    return FileResponse(
        handle, as_attachment=True, filename=pack.file.name.rsplit("/", 1)[-1], content_type="application/zip"
    )

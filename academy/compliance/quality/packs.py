"""Evidence packs (dossiers de preuves): one ZIP for a session or an audit period, built in the background.

The ZIP holds ``index.html`` (readable in any browser, one item per applicable indicator with its
state and the files that carry it), ``indicators.csv`` (the same map as data) and the files
themselves: programme PDF, agreements, joining instructions, needs, adaptations, positioning,
attendance sheet, absences and drop-outs, surveys, certificates, attestations, trainers,
resources, complaints, improvement actions, watch and results.

Reproducible: entries are written in a fixed order with a fixed timestamp (the end of the
session or of the period), and every generated file is built from the records alone, so two
builds of an unchanged session give the same files.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import zipfile
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from academy.attendance.documents import render_attendance_sheet
from academy.attendance.models import AbsenceFollowUp
from academy.catalog.models import CourseResource
from academy.catalog.snapshots import languages as page_languages
from academy.catalog.snapshots import snapshot_in_force
from academy.certification.models import Attestation, Certificate
from academy.commerce.models import Agreement
from academy.core.audit import record_event
from academy.core.exports import csv_bytes
from academy.core.models import TrainingOrganisation
from academy.core.pdf import render_pdf
from academy.enrolment.models import Adaptation, Enrolment
from academy.evaluation.models import Answer
from academy.evaluation.reports import organisation_indicators
from academy.evaluation.services import session_bounds
from academy.scheduling.models import CourseSession

from ..models import Complaint, EvidencePack, ImprovementAction, WatchEntry
from .indicators import NOT_APPLICABLE, IndicatorState, period_map, session_map, sessions_of_period

Files = list[tuple[str, bytes]]


def _fmt_dt(value, tz) -> str:
    return timezone.localtime(value, tz).strftime("%d/%m/%Y %H:%M") if value else ""


def _csv(headers, rows) -> bytes:
    return csv_bytes([str(h) for h in headers], rows, language="fr")


def _read(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with default_storage.open(field_file.name, "rb") as handle:
            return handle.read()
    except OSError:
        return None


# --- Files of one session ------------------------------------------------------------------------


def course_page_file_name(language: str) -> str:
    return "course-page.html" if language == "fr" else "course-page-%s.html" % language


def course_page_evidence(course_session: CourseSession) -> list[dict]:
    """The course page of ``course_session`` as published when it started (Qualiopi indicator 1).

    One ``{"language", "file", "at", "snapshot", "exact"}`` per language the site offers: the
    snapshot in force at ``at`` (the start of the first half-day, or the session's creation when it
    has none), ``exact`` False when none was taken by then and the first one after is given
    instead; ``snapshot`` None when the course has no snapshot in that language.
    """
    bounds = session_bounds(course_session)
    at = bounds[0] if bounds else course_session.created_at
    rows = []
    for language in page_languages():
        snapshot, exact = snapshot_in_force(course_session.course, at, language=language)
        rows.append(
            {
                "language": language,
                "file": course_page_file_name(language),
                "at": at,
                "snapshot": snapshot,
                "exact": exact,
            }
        )
    return rows


def session_files(course_session: CourseSession) -> Files:
    """Return ``[(name, bytes)]`` of the evidence files of ``course_session``, in a fixed order."""
    tz = course_session.tzinfo
    course = course_session.course
    organisation = TrainingOrganisation.current()
    enrolments = list(
        course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .select_related("booking__client_organisation")
        .order_by("last_name", "first_name", "pk")
    )
    files: Files = [
        (page["file"], page["snapshot"].html.encode("utf-8"))
        for page in course_page_evidence(course_session)
        if page["snapshot"] is not None
    ]
    with translation.override(course.language or "fr"):
        files.append(
            (
                "programme.pdf",
                render_pdf("catalog/programme_pdf.html", {"course": course, "organisation": organisation}),
            )
        )
    agreements = Agreement.objects.filter(booking__course_session=course_session) | Agreement.objects.filter(
        quote__course_session=course_session
    )
    for agreement in agreements.exclude(pdf__isnull=True).order_by("pk"):
        files.append(("agreements/%s-v%d.pdf" % (agreement.pk, agreement.version), bytes(agreement.pdf)))
    files.append(
        (
            "joining-instructions.csv",
            _csv(
                [_("Trainee"), _("E-mail"), _("Joining instructions sent at")],
                [[e.full_name, e.email, _fmt_dt(e.joining_instructions_sent_at, tz)] for e in enrolments],
            ),
        )
    )
    needs_rows = [
        [
            e.full_name,
            e.booking.client_organisation.name if e.booking.client_organisation else "",
            e.job_title,
            e.work_context,
            e.expectations,
            e.accessibility_needs,
        ]
        for e in enrolments
    ]
    for quote in course_session.quotes.order_by("pk"):
        needs_rows.append(
            [
                _("Client's need (quote %(ref)s)") % {"ref": quote.reference or quote.pk},
                quote.organisation_name,
                "",
                quote.client_need,
                "",
                "",
            ]
        )
    files.append(
        (
            "needs.csv",
            _csv(
                [
                    _("Trainee"),
                    _("Organisation"),
                    _("Job title"),
                    _("Professional context"),
                    _("Expectations"),
                    _("Accessibility needs"),
                ],
                needs_rows,
            ),
        )
    )
    adaptations = Adaptation.objects.filter(enrolment__in=enrolments).select_related("enrolment", "decided_by")
    files.append(
        (
            "adaptations.csv",
            _csv(
                [_("Trainee"), _("What was asked"), _("What was decided"), _("Decided by"), _("Decided at")],
                [
                    [
                        a.enrolment.full_name,
                        a.requested,
                        a.decision,
                        a.decided_by.get_full_name() or a.decided_by.get_username() if a.decided_by else "",
                        _fmt_dt(a.decided_at, tz),
                    ]
                    for a in adaptations.order_by("enrolment__last_name", "pk")
                ],
            ),
        )
    )
    answers = (
        Answer.objects.filter(response__course_session=course_session)
        .select_related("question", "response__enrolment")
        .order_by(
            "response__kind", "response__enrolment__last_name", "response__respondent", "question__position", "pk"
        )
    )
    positioning_rows, survey_rows = [], []
    for answer in answers:
        response = answer.response
        who = response.enrolment.full_name if response.enrolment else (response.respondent or _("anonymised"))
        row = [
            response.get_kind_display(),
            who,
            answer.question.text,
            str(answer.display_value),
            _fmt_dt(response.submitted_at, tz),
        ]
        (positioning_rows if response.kind.startswith("positioning") else survey_rows).append(row)
    headers = [_("Questionnaire"), _("Respondent"), _("Question"), _("Answer"), _("Submitted at")]
    files.append(("positioning.csv", _csv(headers, positioning_rows)))
    files.append(("surveys.csv", _csv(headers, survey_rows)))
    if session_bounds(course_session) is not None:
        files.append(("attendance-sheet.pdf", render_attendance_sheet(course_session=course_session, language="fr")))
    follow_ups = AbsenceFollowUp.objects.filter(slot__course_session=course_session).select_related("slot", "enrolment")
    absence_rows = [
        [
            f.enrolment.full_name,
            _("Absence"),
            _fmt_dt(f.slot.starts_at, tz),
            f.get_status_display(),
            f.outcome,
            _fmt_dt(f.message_sent_at, tz),
        ]
        for f in follow_ups.order_by("slot__starts_at", "enrolment__last_name")
    ]
    absence_rows += [
        [
            e.full_name,
            _("Drop-out"),
            _fmt_dt(e.dropped_out_at, tz),
            e.get_dropout_reason_display(),
            e.dropout_detail,
            "",
        ]
        for e in enrolments
        if e.dropped_out_at
    ]
    files.append(
        (
            "absences.csv",
            _csv(
                [_("Trainee"), _("Event"), _("When"), _("Status or reason"), _("Follow-up"), _("Message sent at")],
                absence_rows,
            ),
        )
    )
    certificates = Certificate.objects.filter(enrolment__in=enrolments, status=Certificate.Status.CURRENT).order_by(
        "pk"
    )
    for certificate in certificates:
        if content := _read(certificate.pdf):
            files.append(("certificates/%s.pdf" % certificate.public_id[:8], content))
    attestations = Attestation.objects.filter(certificate__in=certificates).select_related("certificate").order_by("pk")
    for attestation in attestations:
        if content := _read(attestation.pdf):
            files.append(("attestations/%s.pdf" % attestation.certificate.public_id[:8], content))
    trainers = list(course_session.trainers.prefetch_related("trainings").order_by("last_name", "pk"))
    files.append(
        (
            "trainers.csv",
            _csv(
                [
                    _("Trainer"),
                    _("Employment"),
                    _("Skills"),
                    _("Qualifications"),
                    _("CV"),
                    _("Subcontracting agreement"),
                    _("Trainings followed"),
                ],
                [
                    [
                        t.full_name,
                        t.get_employment_display(),
                        t.skills,
                        t.qualifications,
                        _("yes") if t.cv else _("no"),
                        _("yes") if t.subcontracting_agreement else "",
                        " | ".join(
                            "%s (%s, %s)" % (tr.title, tr.provider, tr.completed_on.strftime("%d/%m/%Y"))
                            for tr in t.trainings.all()
                        ),
                    ]
                    for t in trainers
                ],
            ),
        )
    )
    for trainer in trainers:
        if content := _read(trainer.subcontracting_agreement):
            files.append(
                (
                    "trainers/%d-subcontracting-agreement%s"
                    % (trainer.pk, _suffix(trainer.subcontracting_agreement.name)),
                    content,
                )
            )
    files.append(
        (
            "resources.csv",
            _csv(
                [_("Kind"), _("Title"), _("Link or file"), _("Description")],
                [
                    [r.get_kind_display(), r.title, r.url or r.file.name, r.description]
                    for r in CourseResource.objects.filter(course=course).order_by("kind", "title", "pk")
                ],
            ),
        )
    )
    complaints = Complaint.objects.filter(course_session=course_session).order_by("received_at", "pk")
    files.append(("complaints.csv", _complaints_csv(complaints, tz)))
    actions = ImprovementAction.objects.filter(course_session=course_session) | ImprovementAction.objects.filter(
        complaint__in=complaints
    )
    files.append(("improvement-actions.csv", _actions_csv(actions.distinct().order_by("pk"))))
    return files


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower()[:8] if dot > name.rfind("/") else ""


def _complaints_csv(complaints, tz) -> bytes:
    return _csv(
        [
            _("Reference"),
            _("Source"),
            _("Object"),
            _("Session"),
            _("Received at"),
            _("Answer due on"),
            _("Answered at"),
            _("Answer"),
            _("Closed at"),
            _("Status"),
        ],
        [
            [
                c.reference,
                c.get_source_display(),
                c.subject,
                str(c.course_session or ""),
                _fmt_dt(c.received_at, tz),
                c.answer_due_on.strftime("%d/%m/%Y"),
                _fmt_dt(c.answered_at, tz),
                c.answer,
                _fmt_dt(c.closed_at, tz),
                c.get_status_display(),
            ]
            for c in complaints
        ],
    )


def _actions_csv(actions) -> bytes:
    return _csv(
        [_("Action"), _("Cause"), _("Caused by"), _("Owner"), _("Due on"), _("Status"), _("Effect")],
        [
            [
                a.title,
                a.get_cause_display(),
                a.complaint.reference
                if a.complaint_id
                else (a.watch_entry.title if a.watch_entry_id else a.cause_detail),
                a.owner.get_full_name() or a.owner.get_username(),
                a.due_on.strftime("%d/%m/%Y"),
                a.get_status_display(),
                a.effect,
            ]
            for a in actions.select_related("complaint", "watch_entry", "owner")
        ],
    )


def _watch_csv(entries) -> bytes:
    return _csv(
        [_("Date"), _("Kind"), _("Title"), _("Source"), _("What it says"), _("Action it led to")],
        [
            [w.noted_on.strftime("%d/%m/%Y"), w.get_kind_display(), w.title, w.source, w.summary, w.action_led_to]
            for w in entries
        ],
    )


def _results_csv(today: datetime.date, first_day: datetime.date | None = None) -> bytes:
    rows = organisation_indicators(today=today, first_day=first_day)
    return _csv(
        [
            _("Code"),
            _("Indicator"),
            _("Value"),
            _("Unit"),
            _("Sample size"),
            _("Period start"),
            _("Period end"),
            _("Note"),
        ],
        [
            [
                i.code,
                i.label,
                "" if i.value is None else i.value,
                i.unit,
                i.sample_size,
                i.period_start.strftime("%d/%m/%Y"),
                i.period_end.strftime("%d/%m/%Y"),
                i.note,
            ]
            for i in rows
        ],
    )


def _indicators_csv(states: list[IndicatorState], held: dict[int, list[str]]) -> bytes:
    return _csv(
        [_("Indicator"), _("Title"), _("State"), _("Evidence held"), _("Missing or reason"), _("Files")],
        [
            [
                s.indicator.number,
                s.indicator.title,
                _state_label(s.status),
                s.indicator.evidence,
                s.reason,
                " ".join(held.get(s.indicator.number, [])),
            ]
            for s in states
        ],
    )


def _held_files(states: list[IndicatorState], names: set[str]) -> dict[int, list[str]]:
    """Map each indicator's number to the paths of the ZIP that carry it (session folders included).

    Only files really in the ZIP are named: a file an indicator expects but the pack does not hold
    (e.g. no session ended in the period) is left out, the state says what is missing.
    """
    held = {}
    for state in states:
        paths = []
        for wanted in state.indicator.files:
            for name in sorted(names):
                if name == wanted or name.endswith("/" + wanted) or (wanted.endswith("/") and name.startswith(wanted)):
                    paths.append(name)
                elif wanted.endswith("/") and ("/" + wanted) in name:
                    paths.append(name)
        held[state.indicator.number] = list(dict.fromkeys(paths))
    return held


def _state_label(status: str) -> str:
    return {"green": _("Evidence present"), "partial": _("Partial"), NOT_APPLICABLE: _("Not applicable")}[status]


# --- Building ------------------------------------------------------------------------------------


def _zip(files: Files, when: datetime.datetime) -> bytes:
    stamp = timezone.localtime(when).timetuple()[:6]
    stamp = (max(stamp[0], 1980),) + tuple(stamp[1:])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def pack_contents(
    pack: EvidencePack, *, progress: Callable[[int, int], None] | None = None
) -> tuple[Files, datetime.datetime]:
    """Return the files of ``pack`` (index first) and the timestamp written on every entry."""
    progress = progress or (lambda done, total: None)
    organisation = TrainingOrganisation.current()
    if pack.course_session_id:
        course_session = pack.course_session
        bounds = session_bounds(course_session)
        as_of = bounds[3] if bounds else course_session.created_at
        progress(0, 3)
        states = session_map(course_session)
        progress(1, 3)
        files = session_files(course_session)
        progress(2, 3)
        title = _("Evidence pack — session %(session)s, %(course)s") % {
            "session": course_session,
            "course": course_session.course.title,
        }
        sessions = [course_session]
        end_day = timezone.localdate(as_of, timezone=course_session.tzinfo)
        watch = WatchEntry.objects.filter(noted_on__lte=end_day, noted_on__gt=end_day - datetime.timedelta(days=365))
        first_day = None
    else:
        tz = timezone.get_default_timezone()
        as_of = datetime.datetime.combine(pack.period_end, datetime.time(23, 59, 58), tzinfo=tz)
        sessions = list(sessions_of_period(pack.period_start, pack.period_end))
        total = len(sessions) + 2
        progress(0, total)
        states = period_map(pack.period_start, pack.period_end)
        progress(1, total)
        files = []
        for position, s in enumerate(sessions, start=2):
            folder = "sessions/%s-%d/" % (s.course.code, s.pk)
            files += [(folder + name, content) for name, content in session_files(s)]
            progress(position, total)
        start = datetime.datetime.combine(pack.period_start, datetime.time(0), tzinfo=tz)
        complaints = Complaint.objects.filter(received_at__gte=start, received_at__lte=as_of).order_by(
            "received_at", "pk"
        )
        files.append(("complaints.csv", _complaints_csv(complaints, tz)))
        files.append(
            (
                "improvement-actions.csv",
                _actions_csv(
                    ImprovementAction.objects.filter(created_at__gte=start, created_at__lte=as_of).order_by("pk")
                ),
            )
        )
        title = _("Evidence pack — period from %(start)s to %(end)s") % {
            "start": pack.period_start.strftime("%d/%m/%Y"),
            "end": pack.period_end.strftime("%d/%m/%Y"),
        }
        watch = WatchEntry.objects.filter(noted_on__gte=pack.period_start, noted_on__lte=pack.period_end)
        end_day = pack.period_end
        first_day = pack.period_start
    files.append(("watch.csv", _watch_csv(watch.order_by("noted_on", "pk"))))
    files.append(("results.csv", _results_csv(end_day, first_day)))
    names = {name for name, _content in files} | {"indicators.csv"}
    held = _held_files(states, names)
    files.append(("indicators.csv", _indicators_csv(states, held)))
    course_pages = []
    for listed in sessions:
        folder = "" if pack.course_session_id else "sessions/%s-%d/" % (listed.course.code, listed.pk)
        for page in course_page_evidence(listed):
            course_pages.append({**page, "session": listed, "path": folder + page["file"], "tz": listed.tzinfo})
    items = []
    for state in states:
        if state.status == NOT_APPLICABLE:
            continue
        items.append({"state": state, "label": _state_label(state.status), "files": held[state.indicator.number]})
    index = render_to_string(
        "compliance/pack_index.html",
        {
            "title": title,
            "organisation": organisation,
            "as_of": as_of,
            "items": items,
            "not_applicable": [s for s in states if s.status == NOT_APPLICABLE],
            "sessions": sessions,
            "course_pages": course_pages,
            "files": sorted(names),
        },
    )
    ordered = sorted(files, key=lambda item: item[0])
    return [("index.html", index.encode("utf-8"))] + ordered, as_of


def build_evidence_pack(*, pack: EvidencePack) -> EvidencePack:
    """Build the ZIP of ``pack``, saving progress after each step; marks it failed with the error otherwise."""
    EvidencePack.objects.filter(pk=pack.pk).update(status=EvidencePack.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        EvidencePack.objects.filter(pk=pack.pk).update(steps_done=done, steps_total=total)

    try:
        with translation.override("fr"):
            files, as_of = pack_contents(pack, progress=progress)
        content = _zip(files, as_of)
    except Exception as exc:  # recorded on the pack for staff to see, then re-raised for the task log
        EvidencePack.objects.filter(pk=pack.pk).update(status=EvidencePack.Status.FAILED, error=str(exc)[:2000])
        raise
    pack.refresh_from_db()
    name = "dossier-de-preuves-%s.zip" % (
        "session-%d" % pack.course_session_id
        if pack.course_session_id
        else "%s-%s" % (pack.period_start.strftime("%d-%m-%Y"), pack.period_end.strftime("%d-%m-%Y"))
    )
    pack.file.save(name, ContentFile(content), save=False)
    pack.sha256 = hashlib.sha256(content).hexdigest()
    pack.status = EvidencePack.Status.DONE
    pack.steps_done = pack.steps_total
    pack.finished_at = timezone.now()
    pack.save()
    record_event(
        "evidence_pack.built", obj=pack, data={"sha256": pack.sha256, "files": len(files)}, actor=pack.requested_by
    )
    return pack


def start_evidence_pack(
    *, course_session: CourseSession | None = None, period_start=None, period_end=None, by=None
) -> EvidencePack:
    """Queue the build of an evidence pack for a session or a period and return it (built after commit).

    Raises ValueError when neither a session nor a whole period is given, or when the period ends
    before it starts.
    """
    from ..tasks import build_evidence_pack_task

    if course_session is None and not (period_start and period_end):
        raise ValueError(_("Choose a session or a period."))
    if course_session is None and period_end < period_start:
        raise ValueError(_("The period ends before it starts."))
    pack = EvidencePack.objects.create(
        course_session=course_session,
        period_start=None if course_session else period_start,
        period_end=None if course_session else period_end,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: build_evidence_pack_task.enqueue(pack.pk))
    return pack

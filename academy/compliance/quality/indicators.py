"""The map of the Qualiopi reference: each indicator, what Academy holds as its evidence, and its state.

Source: référentiel national qualité (décret 2019-564, arrêté du 6 juin 2019 and its guide): 7
criteria, 32 indicators. For one session or one period each applicable indicator is *green*
(the evidence is there), *partial* (with exactly what is missing) or *not applicable* (with why).
Indicators 3, 7, 13–16, 28 and 29 concern certifying courses, work-study, apprenticeship and
on-the-job training: not applicable by default, which staff may change (``IndicatorSetting``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.attendance.engagement import missed_slots
from academy.attendance.models import AbsenceFollowUp
from academy.catalog.services import missing_public_items
from academy.certification.models import Attestation, Certificate
from academy.core.models import TrainingOrganisation
from academy.enrolment.models import Enrolment
from academy.evaluation.models import Response
from academy.evaluation.services import session_bounds
from academy.evaluation.stakeholders import expected_respondents
from academy.scheduling.models import CourseSession, Trainer, TrainerTraining

from ..models import Complaint, ImprovementAction, IndicatorSetting, WatchEntry

GREEN = "green"
PARTIAL = "partial"
NOT_APPLICABLE = "not_applicable"

#: How long a trainer's last training followed counts as keeping skills up to date (indicator 22).
TRAINER_TRAINING_VALIDITY_DAYS = 3 * 365
#: How far back a watch entry counts for indicators 23–25.
WATCH_VALIDITY_DAYS = 365


@dataclass(frozen=True)
class Indicator:
    """One indicator of the reference: its ``number``, ``criterion`` (1–7), ``title`` and the ``evidence``
    Academy holds for it; ``files`` are the evidence-pack files that carry it."""

    number: int
    criterion: int
    title: str
    evidence: str
    files: tuple[str, ...] = ()
    not_applicable_by_default: str = ""


_NA_CERTIFYING = gettext_lazy("No course leads to a certification registered in the RNCP or the RS.")
_NA_WORK_STUDY = gettext_lazy("The organisation runs no work-study (alternance) course.")
_NA_APPRENTICESHIP = gettext_lazy("The organisation is not an apprentice training centre (CFA).")
_NA_AFEST = gettext_lazy("The organisation runs no on-the-job training (AFEST).")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        1,
        1,
        gettext_lazy("Public information on the services, access delays and results"),
        gettext_lazy("Published course page and programme PDF with every required item."),
        ("course-page.html", "programme.pdf"),
    ),
    Indicator(
        2,
        1,
        gettext_lazy("Results indicators"),
        gettext_lazy("Public results page with satisfaction, completion, drop-out and objective-achievement rates."),
        ("results.csv",),
    ),
    Indicator(
        3,
        1,
        gettext_lazy("Certification success rates"),
        gettext_lazy("Not held."),
        not_applicable_by_default=_NA_CERTIFYING,
    ),
    Indicator(
        4,
        2,
        gettext_lazy("Analysis of the beneficiary's need"),
        gettext_lazy("Trainee's context and expectations at enrolment; client's need on the quote."),
        ("needs.csv",),
    ),
    Indicator(
        5,
        2,
        gettext_lazy("Operational and assessable objectives"),
        gettext_lazy("Learning objectives of the course."),
        ("programme.pdf",),
    ),
    Indicator(
        6,
        2,
        gettext_lazy("Contents and methods suited to the objectives"),
        gettext_lazy("Programme, teaching methods and time split of the course."),
        ("programme.pdf",),
    ),
    Indicator(
        7,
        2,
        gettext_lazy("Fit of the contents to the certification"),
        gettext_lazy("Not held."),
        not_applicable_by_default=_NA_CERTIFYING,
    ),
    Indicator(
        8,
        2,
        gettext_lazy("Positioning at entry"),
        gettext_lazy("Self-positioning before the course, per trainee and objective."),
        ("positioning.csv",),
    ),
    Indicator(
        9,
        3,
        gettext_lazy("Information on how the course runs"),
        gettext_lazy("Joining instructions sent to each trainee; agreements and internal rules."),
        ("joining-instructions.csv", "agreements/"),
    ),
    Indicator(
        10,
        3,
        gettext_lazy("Adaptation of the service, support and follow-up"),
        gettext_lazy("Adaptations asked and decided, by whom and when."),
        ("adaptations.csv",),
    ),
    Indicator(
        11,
        3,
        gettext_lazy("Evaluation of the achievement of the objectives"),
        gettext_lazy("Self-positioning after the course; end-of-training attestations."),
        ("positioning.csv", "attestations/"),
    ),
    Indicator(
        12,
        3,
        gettext_lazy("Engagement of the beneficiaries and prevention of drop-outs"),
        gettext_lazy("Signed attendance sheet, absences detected and followed up, drop-outs with reason."),
        ("attendance-sheet.pdf", "absences.csv"),
    ),
    Indicator(
        13,
        3,
        gettext_lazy("Coordination of work-study courses"),
        gettext_lazy("Not held."),
        not_applicable_by_default=_NA_WORK_STUDY,
    ),
    Indicator(
        14,
        3,
        gettext_lazy("Citizenship of apprentices"),
        gettext_lazy("Not held."),
        not_applicable_by_default=_NA_APPRENTICESHIP,
    ),
    Indicator(
        15,
        3,
        gettext_lazy("Rights and duties of apprentices"),
        gettext_lazy("Not held."),
        not_applicable_by_default=_NA_APPRENTICESHIP,
    ),
    Indicator(
        16,
        3,
        gettext_lazy("Conditions of presentation to the certification"),
        gettext_lazy("Not held."),
        not_applicable_by_default=_NA_CERTIFYING,
    ),
    Indicator(
        17,
        4,
        gettext_lazy("Human and technical means"),
        gettext_lazy("Trainers of the session, venue or remote set-up."),
        ("trainers.csv",),
    ),
    Indicator(
        18,
        4,
        gettext_lazy("Coordination of internal and external actors"),
        gettext_lazy("Trainers assigned and practical information shared before the session."),
        ("trainers.csv",),
    ),
    Indicator(19, 4, gettext_lazy("Teaching resources"), gettext_lazy("Resources of the course."), ("resources.csv",)),
    Indicator(
        20,
        4,
        gettext_lazy("Dedicated staff (accessibility referent)"),
        gettext_lazy("The organisation's accessibility referent."),
        (),
    ),
    Indicator(
        21,
        5,
        gettext_lazy("Skills of the people delivering"),
        gettext_lazy("Trainer profiles: skills, qualifications, CV."),
        ("trainers.csv",),
    ),
    Indicator(
        22,
        5,
        gettext_lazy("Development of the staff's skills"),
        gettext_lazy("Trainings followed by each trainer, with dates and evidence."),
        ("trainers.csv",),
    ),
    Indicator(
        23, 6, gettext_lazy("Legal and regulatory watch"), gettext_lazy("Watch log, legal entries."), ("watch.csv",)
    ),
    Indicator(
        24,
        6,
        gettext_lazy("Watch on skills, trades and jobs"),
        gettext_lazy("Watch log, skills entries."),
        ("watch.csv",),
    ),
    Indicator(
        25,
        6,
        gettext_lazy("Watch on pedagogical and technological innovation"),
        gettext_lazy("Watch log, pedagogical entries."),
        ("watch.csv",),
    ),
    Indicator(
        26,
        6,
        gettext_lazy("Welcoming people with disabilities"),
        gettext_lazy("Accessibility referent, accessibility of the course, adaptations decided."),
        ("adaptations.csv",),
    ),
    Indicator(
        27,
        6,
        gettext_lazy("Subcontracting"),
        gettext_lazy("External trainers with their signed subcontracting agreement."),
        ("trainers.csv",),
    ),
    Indicator(
        28, 6, gettext_lazy("On-the-job training"), gettext_lazy("Not held."), not_applicable_by_default=_NA_AFEST
    ),
    Indicator(
        29,
        6,
        gettext_lazy("Professional integration of apprentices"),
        gettext_lazy("Not held."),
        not_applicable_by_default=_NA_APPRENTICESHIP,
    ),
    Indicator(
        30,
        7,
        gettext_lazy("Appreciations of the stakeholders"),
        gettext_lazy("Surveys of trainees, client organisations and trainers."),
        ("surveys.csv",),
    ),
    Indicator(
        31,
        7,
        gettext_lazy("Handling of complaints"),
        gettext_lazy("Complaints received, answered and closed."),
        ("complaints.csv",),
    ),
    Indicator(
        32,
        7,
        gettext_lazy("Continuous improvement"),
        gettext_lazy("Improvement actions linked to their cause, with owner, due date and effect."),
        ("improvement-actions.csv",),
    ),
)
BY_NUMBER = {indicator.number: indicator for indicator in INDICATORS}


@dataclass
class IndicatorState:
    """The state of one indicator: ``status`` (green / partial / not_applicable) and what is ``missing``."""

    indicator: Indicator
    status: str
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.missing or self.notes)


def applicability() -> dict[int, str]:
    """Map each indicator number to "" when it applies, else the reason it does not (one query)."""
    settings_rows = {row.number: row for row in IndicatorSetting.objects.all()}
    result = {}
    for indicator in INDICATORS:
        row = settings_rows.get(indicator.number)
        if row is not None:
            result[indicator.number] = "" if row.applicable else row.not_applicable_reason
        else:
            result[indicator.number] = str(indicator.not_applicable_by_default)
    return result


def _state(indicator: Indicator, missing: list[str], notes: list[str] | None = None) -> IndicatorState:
    return IndicatorState(indicator, PARTIAL if missing else GREEN, list(missing), list(notes or []))


def _names(enrolments) -> str:
    return ", ".join(e.full_name for e in enrolments)


# --- Organisation-level checks ---------------------------------------------------------------


def _watch_missing(kind: str, *, until: datetime.date) -> list[str]:
    since = until - datetime.timedelta(days=WATCH_VALIDITY_DAYS)
    if WatchEntry.objects.filter(kind=kind, noted_on__gt=since, noted_on__lte=until).exists():
        return []
    return [
        _("No %(kind)s entry between %(since)s and %(until)s.")
        % {
            "kind": str(WatchEntry.Kind(kind).label).lower(),
            "since": since.strftime("%d/%m/%Y"),
            "until": until.strftime("%d/%m/%Y"),
        }
    ]


def _referent_missing(organisation: TrainingOrganisation) -> list[str]:
    if organisation.accessibility_referent_name and (
        organisation.accessibility_referent_email or organisation.accessibility_referent_phone
    ):
        return []
    return [_("The organisation's accessibility referent (name and contact) is not set.")]


# --- One session -------------------------------------------------------------------------------


def session_map(course_session: CourseSession, *, now: datetime.datetime | None = None) -> list[IndicatorState]:
    """Return the state of every indicator for ``course_session`` at ``now``.

    A fixed number of queries whatever the number of trainees. Checks that need the session to
    be over (positioning after, attestations, stakeholder feedback) report what is missing only
    once its last half-day has ended; before that they say it is not due yet.
    """
    now = now or timezone.now()
    course = course_session.course
    organisation = TrainingOrganisation.current()
    not_applicable = applicability()
    bounds = session_bounds(course_session)
    ended = bounds is not None and bounds[3] <= now
    end_day = timezone.localdate(bounds[3], timezone=course_session.tzinfo) if bounds else timezone.localdate(now)
    enrolments = list(
        course_session.enrolments.filter(status=Enrolment.Status.CONFIRMED)
        .prefetch_related("adaptations")
        .order_by("last_name", "first_name")
    )
    responses = {
        (row["enrolment_id"], row["kind"])
        for row in Response.objects.filter(course_session=course_session, enrolment__isnull=False).values(
            "enrolment_id", "kind"
        )
    }
    stakeholder_answers = set(
        Response.objects.filter(course_session=course_session, enrolment__isnull=True)
        .exclude(respondent="")
        .values_list("kind", "respondent")
    )
    trainers = list(course_session.trainers.order_by("last_name"))
    recent = timezone.localdate(now) - datetime.timedelta(days=TRAINER_TRAINING_VALIDITY_DAYS)
    trained = set(
        TrainerTraining.objects.filter(trainer__in=trainers, completed_on__gte=recent).values_list(
            "trainer_id", flat=True
        )
    )
    attested = set(
        Attestation.objects.filter(
            enrolment__in=enrolments, certificate__status=Certificate.Status.CURRENT
        ).values_list("enrolment_id", flat=True)
    )
    complaints = list(
        Complaint.objects.filter(course_session=course_session).annotate(actions=Count("improvement_actions"))
    )
    actions = list(ImprovementAction.objects.filter(Q(course_session=course_session) | Q(complaint__in=complaints)))
    follow_ups = {
        (f.slot_id, f.enrolment_id): f for f in AbsenceFollowUp.objects.filter(slot__course_session=course_session)
    }

    def missing_kind(kind: str) -> list:
        return [e for e in enrolments if (e.pk, kind) not in responses]

    checks: dict[int, tuple[list[str], list[str]]] = {}
    not_due = _("Not due yet: the session is not over.")

    checks[1] = (
        [_("Course page: %(items)s") % {"items": ", ".join(items)}] if (items := missing_public_items(course)) else [],
        [],
    )
    checks[2] = ([], [_("Published on the results page, with its CSV and JSON.")] if ended else [not_due])
    needs_missing = [e for e in enrolments if not e.has_needs_analysis]
    missing4 = [_("Needs analysis missing for: %(names)s") % {"names": _names(needs_missing)}] if needs_missing else []
    if course_session.kind == CourseSession.Kind.IN_COMPANY:
        quotes = list(course_session.quotes.all())
        if not any(q.client_need.strip() for q in quotes):
            missing4.append(_("The client's need is not recorded on the session's quote."))
    if not enrolments:
        missing4.append(_("No confirmed trainee."))
    checks[4] = (missing4, [])
    checks[5] = ([] if course.objectives.exists() else [_("The course has no learning objective.")], [])
    missing6 = []
    if not course.sections.exists():
        missing6.append(_("The course has no programme."))
    if not course.teaching_methods.strip():
        missing6.append(_("The course states no teaching methods."))
    checks[6] = (missing6, [])
    before_missing = missing_kind("positioning_before")
    checks[8] = (
        [_("Self-positioning before the course missing for: %(names)s") % {"names": _names(before_missing)}]
        if before_missing
        else [],
        [],
    )
    not_sent = [e for e in enrolments if e.joining_instructions_sent_at is None]
    checks[9] = (
        [_("Joining instructions not sent to: %(names)s") % {"names": _names(not_sent)}] if not_sent else [],
        [],
    )
    missing10 = []
    for e in enrolments:
        adaptations = list(e.adaptations.all())
        if e.accessibility_needs.strip() and not adaptations:
            missing10.append(_("%(name)s asked for an adaptation; nothing is recorded.") % {"name": e.full_name})
        for adaptation in adaptations:
            if not adaptation.is_decided:
                missing10.append(_("Adaptation for %(name)s awaits a decision.") % {"name": e.full_name})
    notes10 = [] if any(e.adaptations.all() for e in enrolments) else [_("No adaptation asked.")]
    checks[10] = (missing10, notes10)
    if ended:
        after_missing = missing_kind("positioning_after")
        missing11 = (
            [_("Self-positioning after the course missing for: %(names)s") % {"names": _names(after_missing)}]
            if after_missing
            else []
        )
        no_attestation = [e for e in enrolments if e.pk not in attested and not e.dropped_out_at]
        if no_attestation:
            missing11.append(
                _("End-of-training attestation not issued for: %(names)s") % {"names": _names(no_attestation)}
            )
        checks[11] = (missing11, [])
    else:
        checks[11] = ([], [not_due])
    missing12 = []
    unfollowed = [
        (slot, e)
        for slot, e in missed_slots(course_session=course_session, now=now)
        if (slot.pk, e.pk) not in follow_ups
    ]
    if unfollowed:
        missing12.append(
            _("Absences not yet followed up: %(names)s")
            % {"names": ", ".join(sorted({e.full_name for _s, e in unfollowed}))}
        )
    open_follow_ups = [f for f in follow_ups.values() if f.status == AbsenceFollowUp.Status.OPEN]
    if open_follow_ups:
        missing12.append(_("%(count)d absence follow-up(s) still open.") % {"count": len(open_follow_ups)})
    no_reason = [e for e in enrolments if e.dropped_out_at and not e.dropout_reason]
    if no_reason:
        missing12.append(_("Drop-out without reason: %(names)s") % {"names": _names(no_reason)})
    checks[12] = (missing12, [])
    missing17 = [] if trainers else [_("No trainer assigned to the session.")]
    if not (course_session.venue_address or course_session.remote_url):
        missing17.append(_("No venue or remote link."))
    checks[17] = (missing17, [])
    missing18 = [] if trainers else [_("No trainer assigned to the session.")]
    if not course_session.joining_instructions.strip():
        missing18.append(_("No practical information for the joining instructions."))
    checks[18] = (missing18, [])
    checks[19] = ([] if course.resources.exists() else [_("The course has no teaching resource.")], [])
    checks[20] = (_referent_missing(organisation), [])
    checks[21] = (
        [
            _("%(name)s: %(gaps)s missing")
            % {
                "name": t.full_name,
                "gaps": ", ".join(g for g in t.profile_gaps() if g != str(_("subcontracting agreement"))),
            }
            for t in trainers
            if [g for g in t.profile_gaps() if g != str(_("subcontracting agreement"))]
        ],
        [],
    )
    untrained = [t for t in trainers if t.pk not in trained]
    checks[22] = (
        [
            _("No training followed in the last three years: %(names)s")
            % {"names": ", ".join(t.full_name for t in untrained)}
        ]
        if untrained
        else [],
        [],
    )
    for number, kind in ((23, WatchEntry.Kind.LEGAL), (24, WatchEntry.Kind.SKILLS), (25, WatchEntry.Kind.PEDAGOGICAL)):
        checks[number] = (_watch_missing(kind, until=end_day), [])
    missing26 = _referent_missing(organisation)
    if not course.accessibility.strip():
        missing26.append(_("The course page says nothing about accessibility."))
    checks[26] = (missing26, [])
    external = [t for t in trainers if t.employment == Trainer.Employment.EXTERNAL]
    if external:
        no_agreement = [t for t in external if not t.subcontracting_agreement]
        checks[27] = (
            [_("No subcontracting agreement for: %(names)s") % {"names": ", ".join(t.full_name for t in no_agreement)}]
            if no_agreement
            else [],
            [],
        )
    else:
        not_applicable.setdefault(27, "")
        if not not_applicable[27]:
            not_applicable[27] = _("No external trainer on this session.")
    if ended:
        missing30 = []
        if not any((e.pk, "end_of_course") in responses for e in enrolments):
            missing30.append(_("No end-of-course survey answered by a trainee."))
        for kind, what in (
            ("client_feedback", _("Client feedback missing: %(names)s")),
            ("trainer_report", _("Trainer's session report missing: %(names)s")),
        ):
            absent = [
                r.name for r in expected_respondents(course_session, kind) if (kind, r.key) not in stakeholder_answers
            ]
            if absent:
                missing30.append(what % {"names": ", ".join(absent)})
        checks[30] = (missing30, [])
    else:
        checks[30] = ([], [not_due])
    unanswered = [c for c in complaints if c.status == Complaint.Status.RECEIVED]
    checks[31] = (
        [
            _("Complaint %(reference)s not answered yet (due %(due)s).")
            % {"reference": c.reference, "due": c.answer_due_on.strftime("%d/%m/%Y")}
            for c in unanswered
        ],
        [] if complaints else [_("No complaint about this session.")],
    )
    missing32 = [
        _("Complaint %(reference)s led to no improvement action.") % {"reference": c.reference}
        for c in complaints
        if not c.actions
    ]
    today = timezone.localdate(now)
    missing32 += [
        _("Action “%(title)s” is overdue (due %(due)s).") % {"title": a.title, "due": a.due_on.strftime("%d/%m/%Y")}
        for a in actions
        if not a.is_closed and a.due_on < today
    ]
    checks[32] = (missing32, [] if actions else [_("No improvement action about this session.")])

    result = []
    for indicator in INDICATORS:
        reason = not_applicable.get(indicator.number, "")
        if reason:
            result.append(IndicatorState(indicator, NOT_APPLICABLE, [], [str(reason)]))
            continue
        missing, notes = checks.get(indicator.number, ([], []))
        result.append(_state(indicator, missing, notes))
    return result


# --- A period ----------------------------------------------------------------------------------


def sessions_of_period(start: datetime.date, end: datetime.date):
    """Sessions (not cancelled) whose last half-day ended within ``[start, end]`` (organisation's timezone)."""
    from django.db.models import Max

    tz = timezone.get_default_timezone()
    lower = datetime.datetime.combine(start, datetime.time(0), tzinfo=tz)
    upper = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(0), tzinfo=tz)
    return (
        CourseSession.objects.exclude(status=CourseSession.Status.CANCELLED)
        .annotate(last_end=Max("slots__ends_at"))
        .filter(last_end__gte=lower, last_end__lt=upper)
        .select_related("course")
        .order_by("last_end", "pk")
    )


def period_map(
    start: datetime.date, end: datetime.date, *, now: datetime.datetime | None = None
) -> list[IndicatorState]:
    """Return the state of every indicator over the sessions ended in ``[start, end]``.

    An indicator is green when it is green for every session of the period (organisation-level
    indicators 20, 23–25 are checked at ``end``); partial lists each session's missing items.
    Meant for the evidence pack (background work): its cost grows with the number of sessions.
    """
    sessions = list(sessions_of_period(start, end))
    not_applicable = applicability()
    if not sessions:
        organisation = TrainingOrganisation.current()
        result = []
        for indicator in INDICATORS:
            reason = not_applicable.get(indicator.number, "")
            if reason:
                result.append(IndicatorState(indicator, NOT_APPLICABLE, [], [str(reason)]))
            elif indicator.number in (23, 24, 25):
                kind = {23: WatchEntry.Kind.LEGAL, 24: WatchEntry.Kind.SKILLS, 25: WatchEntry.Kind.PEDAGOGICAL}[
                    indicator.number
                ]
                result.append(_state(indicator, _watch_missing(kind, until=end)))
            elif indicator.number == 20:
                result.append(_state(indicator, _referent_missing(organisation)))
            else:
                result.append(IndicatorState(indicator, PARTIAL, [_("No session ended in the period.")]))
        return result
    per_session = [(s, session_map(s, now=now)) for s in sessions]
    result = []
    for position, indicator in enumerate(INDICATORS):
        states = [(s, states[position]) for s, states in per_session]
        if all(state.status == NOT_APPLICABLE for _s, state in states):
            result.append(IndicatorState(indicator, NOT_APPLICABLE, [], [states[0][1].reason]))
            continue
        missing = []
        for s, state in states:
            for item in state.missing:
                missing.append("%s — %s" % (s, item))
        result.append(_state(indicator, missing, [_("%(count)d session(s) in the period.") % {"count": len(sessions)}]))
    return result


def summary(states: list[IndicatorState]) -> dict[str, int]:
    """Counts of green, partial and not-applicable indicators."""
    counts = {GREEN: 0, PARTIAL: 0, NOT_APPLICABLE: 0}
    for state in states:
        counts[state.status] += 1
    return counts

"""End-of-training attestations (attestation de fin de formation), issued with each certificate.

Code du travail L6353-1 (al. 2): at the end of the action the provider gives the trainee an
attestation stating the objectives, the nature and the duration of the action and the results
of the evaluation of the learning outcomes. Here the results are the trainee's
self-positioning on each learning objective before and after the course (Qualiopi indicators 8
and 11), read from the evaluation app; an objective counts as achieved at level
``ACHIEVED_MIN_LEVEL`` ("I can apply it") or above.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from academy.core.audit import record_event
from academy.core.models import TrainingOrganisation
from academy.core.pdf import render_pdf
from academy.enrolment.models import Enrolment
from academy.evaluation.models import Answer, Question, QuestionnaireKind
from academy.evaluation.reports import OBJECTIVE_ACHIEVED_MIN_LEVEL

from .models import Attestation, Certificate

PDF_VARIANT = "pdf/a-3b"
#: Level of the "after" self-positioning from which an objective counts as achieved (0–4 scale:
#: 3 = "I can apply it"), the same threshold as the public objective-achievement rate.
ACHIEVED_MIN_LEVEL = OBJECTIVE_ACHIEVED_MIN_LEVEL


def evaluation_results(enrolment: Enrolment) -> list[dict]:
    """Return, per learning objective of the course, the trainee's before/after positioning.

    ``[{"objective": text, "before": label or "", "after": label or "", "achieved": bool | None}]``
    in the course's objective order; ``achieved`` is None when the "after" positioning is missing.
    Two queries.
    """
    course = enrolment.course_session.course
    objectives = list(course.objectives.all())
    answers = (
        Answer.objects.filter(
            response__enrolment=enrolment,
            response__kind__in=[QuestionnaireKind.POSITIONING_BEFORE, QuestionnaireKind.POSITIONING_AFTER],
            question__kind=Question.Kind.LEVEL,
            value_int__isnull=False,
        )
        .select_related("question", "response")
        .order_by("pk")
    )
    found: dict[tuple, tuple[int, str]] = {}
    for answer in answers:
        labels = answer.question.scale_labels or []
        label = labels[answer.value_int] if 0 <= answer.value_int < len(labels) else str(answer.value_int)
        key = answer.question.learning_objective_id or answer.question.text
        found[(answer.response.kind, key)] = (answer.value_int, "%d — %s" % (answer.value_int, label))
    results = []
    for objective in objectives:
        before = found.get((QuestionnaireKind.POSITIONING_BEFORE, objective.pk))
        after = found.get((QuestionnaireKind.POSITIONING_AFTER, objective.pk))
        results.append(
            {
                "objective": objective.text,
                "before": before[1] if before else "",
                "after": after[1] if after else "",
                "achieved": None if after is None else after[0] >= ACHIEVED_MIN_LEVEL,
            }
        )
    return results


def render_attestation_pdf(attestation: Attestation) -> bytes:
    """Render ``attestation`` to a PDF/A in French, by the same path as certificates (shipped fonts)."""
    from .services import format_hours

    organisation = TrainingOrganisation.current()
    with translation.override("fr"):
        context = {
            "attestation": attestation,
            "organisation": organisation,
            "nature_label": Certificate.Nature(attestation.nature).label,
            "hours_text": format_hours(attestation.hours, "fr"),
            "planned_hours_text": format_hours(attestation.planned_hours, "fr"),
            "achieved_count": sum(1 for r in attestation.results if r.get("achieved")),
            "evaluated_count": sum(1 for r in attestation.results if r.get("achieved") is not None),
        }
        return render_pdf("certification/attestation_pdf.html", context, pdf_variant=PDF_VARIANT)


def issue_attestation(*, certificate: Certificate, by=None) -> Attestation:
    """Issue the attestation that goes with ``certificate`` (once: the same one is returned after).

    Objectives come from the course, duration and dates from the certificate (hours actually
    attended), results from ``evaluation_results``.
    """
    existing = Attestation.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    enrolment = certificate.enrolment
    course_session = enrolment.course_session
    with transaction.atomic():
        attestation = Attestation.objects.create(
            certificate=certificate,
            enrolment=enrolment,
            holder_name=certificate.holder_name,
            course_title=certificate.course_title,
            nature=certificate.nature,
            hours=certificate.hours,
            planned_hours=course_session.duration_hours,
            first_date=certificate.first_date,
            last_date=certificate.last_date,
            objectives=[objective.text for objective in course_session.course.objectives.all()],
            results=evaluation_results(enrolment),
            issued_at=certificate.issued_at,
        )
        attestation.pdf.save("attestation.pdf", ContentFile(render_attestation_pdf(attestation)), save=True)
        record_event(
            "attestation.issued",
            obj=attestation,
            data={"certificate": certificate.public_id, "enrolment": enrolment.pk},
            person_email=enrolment.email,
            summary="attestation issued with certificate v%d" % certificate.version,
            actor=by,
        )
    return attestation


def attestation_filename(attestation: Attestation) -> str:
    """The download name of an attestation PDF."""
    return "attestation-fin-de-formation-%s.pdf" % attestation.certificate.public_id[:8]


def no_results_message() -> str:
    return _("The self-positioning after the course was not answered.")

"""What the evaluation app holds about a person, for access and erasure requests (GDPR art. 15, 17)."""

from __future__ import annotations

from django.db import transaction

from academy.enrolment.models import Enrolment
from academy.privacy.registry import PersonalDataProvider

from .models import Answer, Dispatch, Response


def export(email_normalised: str) -> dict:
    """Return the person's questionnaire responses with their answers, oldest first."""
    responses = (
        Response.objects.filter(enrolment__email_normalised=email_normalised)
        .select_related("questionnaire", "course_session__course")
        .order_by("submitted_at")
    )
    answers: dict[int, list] = {}
    for answer in (
        Answer.objects.filter(response__in=responses).select_related("question").order_by("question__position")
    ):
        answers.setdefault(answer.response_id, []).append(
            {"question": answer.question.text, "answer": str(answer.display_value)}
        )
    data = [
        {
            "course": response.course_session.course.title,
            "session": response.course_session_id,
            "questionnaire": response.get_kind_display(),
            "version": response.questionnaire.version,
            "submitted_at": response.submitted_at.isoformat(),
            "entered_by_trainer": response.entered_by_trainer,
            "answers": answers.get(response.pk, []),
        }
        for response in responses
    ]
    sent = Dispatch.objects.filter(enrolment__email_normalised=email_normalised).order_by("sent_at")
    emails = [{"questionnaire": d.get_kind_display(), "step": d.step, "sent_at": d.sent_at.isoformat()} for d in sent]
    if not data and not emails:
        return {}
    return {"responses": data, "questionnaire_emails": emails}


def erase(email_normalised: str) -> int:
    """Detach the person's responses from them (free text blanked) and forget which e-mails were sent.

    The responses stay, anonymous, so reports and public figures keep their counts.
    """
    from .services import anonymise_responses

    with transaction.atomic():
        enrolments = Enrolment.objects.filter(email_normalised=email_normalised)
        count = anonymise_responses(enrolments=enrolments)
        deleted, _by_model = Dispatch.objects.filter(enrolment__in=enrolments).delete()
    return count + deleted


PROVIDER = PersonalDataProvider(
    app_label="evaluation",
    export=export,
    erase=erase,
    retained=["Anonymous questionnaire answers (no link to the person), kept for reports and public figures."],
)

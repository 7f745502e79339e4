"""Who may reach each evaluation page (merged into the project's role matrix by the accounts tests).

The personal answer link is its own credential (a signed token), so anyone holding it gets the
questionnaire; the organisation's indicators are public open data. Session pages are for staff
and the session's own trainers: the test world's session belongs to another trainer.
"""

from __future__ import annotations

from tests.accounts.role_matrix import EVERYONE, FORGED_TOKEN, NOBODY, STAFF, Rule


def _answer_token(world) -> dict:
    from academy.evaluation.sending import make_answer_token

    return {"token": make_answer_token(enrolment=world.enrolment, kind="positioning_before")}


def _session(world) -> dict:
    return {"pk": world.course_session.pk}


MATRIX = {
    "evaluation:answer": Rule(EVERYONE, kwargs=_answer_token),
    # A client's or trainer's questionnaire link is its own credential: a forged one opens nothing.
    "evaluation:stakeholder_answer": Rule(
        NOBODY,
        kwargs=lambda w: {"token": FORGED_TOKEN},
        refused_when=lambda response: b"data-stakeholder-form" not in response.content,
    ),
    "evaluation:session_opening": Rule(STAFF, kwargs=_session),
    "evaluation:session_opening_print": Rule(STAFF, kwargs=_session),
    "evaluation:session_opening_record": Rule(
        STAFF, kwargs=lambda w: {"pk": w.course_session.pk, "enrolment_pk": w.enrolment.pk}
    ),
    "evaluation:report": Rule(STAFF, kwargs=_session),
    # Only a trainer delivering the session has a report to write; staff who do not get 404.
    "evaluation:trainer_report": Rule(NOBODY, kwargs=_session),
    "evaluation:report_export": Rule(STAFF, kwargs=lambda w: {"pk": w.course_session.pk, "fmt": "csv"}),
    "evaluation:indicators": Rule(EVERYONE),
    "evaluation:indicators_export": Rule(EVERYONE, kwargs=lambda w: {"fmt": "json"}),
}

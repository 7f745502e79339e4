"""Rules of evaluation: questionnaires, answers, answer windows, public figures.

Sending (links, invitations, reminders) lives in ``sending.py``; session reports and
organisation indicators in ``reports.py``. Modules by topic: ``questionnaires``, ``windows``
(answer windows), ``responses`` (answers), ``satisfaction`` (per-day totals and the public
figure). The public names are re-exported here.
"""

from __future__ import annotations

from .questionnaires import (
    COMMENTS_KEY,
    OVERALL_KEY,
    POSITIONING_LEVELS,
    RECOMMEND_KEY,
    SATISFACTION_ITEMS,
    SATISFIED_MIN_SCORE,
    Kind,
    current_questionnaire,
    freeze_answered_version,
)
from .responses import SubmitResult, anonymise_responses, clean_answers, delete_response, submit_response
from .satisfaction import (
    SatisfactionFigure,
    organisation_timezone,
    public_figure,
    rebuild_daily_satisfaction,
    remove_from_daily,
    response_contribution,
    satisfaction_figure,
    satisfaction_window,
)
from .windows import AnswerWindow, answer_window, check_window, follow_up_due_at, session_bounds

__all__ = [
    "COMMENTS_KEY",
    "OVERALL_KEY",
    "POSITIONING_LEVELS",
    "RECOMMEND_KEY",
    "SATISFACTION_ITEMS",
    "SATISFIED_MIN_SCORE",
    "AnswerWindow",
    "Kind",
    "SatisfactionFigure",
    "SubmitResult",
    "anonymise_responses",
    "answer_window",
    "check_window",
    "clean_answers",
    "current_questionnaire",
    "delete_response",
    "follow_up_due_at",
    "freeze_answered_version",
    "organisation_timezone",
    "public_figure",
    "rebuild_daily_satisfaction",
    "remove_from_daily",
    "response_contribution",
    "satisfaction_figure",
    "satisfaction_window",
    "session_bounds",
    "submit_response",
]

"""Settings of the evaluation app, each with its default (override them in Django settings)."""

from __future__ import annotations

from django.conf import settings


def follow_up_delay_days() -> int:
    """``EVALUATION_FOLLOW_UP_DELAY_DAYS``: days after the last slot before the follow-up survey (60)."""
    return int(getattr(settings, "EVALUATION_FOLLOW_UP_DELAY_DAYS", 60))


def reminder_days() -> tuple[int, ...]:
    """``EVALUATION_REMINDER_DAYS``: days after the invitation when reminder 1, 2… are sent ((3, 7))."""
    return tuple(int(d) for d in getattr(settings, "EVALUATION_REMINDER_DAYS", (3, 7)))


def answer_window_days() -> int:
    """``EVALUATION_ANSWER_WINDOW_DAYS``: days a post-course questionnaire stays open (30)."""
    return int(getattr(settings, "EVALUATION_ANSWER_WINDOW_DAYS", 30))


def send_hour() -> int:
    """``EVALUATION_SEND_HOUR``: local hour (session's timezone) of day-based sends (9)."""
    return int(getattr(settings, "EVALUATION_SEND_HOUR", 9))


def link_max_age_days() -> int:
    """``EVALUATION_LINK_MAX_AGE_DAYS``: lifetime of an e-mailed answer link (180)."""
    return int(getattr(settings, "EVALUATION_LINK_MAX_AGE_DAYS", 180))


def public_figure_min_answers() -> int:
    """``EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS``: fewest answers for the course page's figure (5)."""
    return int(getattr(settings, "EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS", 5))

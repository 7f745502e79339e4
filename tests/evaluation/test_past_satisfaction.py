"""Figures collected before Academy join the public figure on day one, under the same rounding and
window rules as the answers collected in Academy; a bad file is refused whole with a clear message."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from academy.evaluation.models import DailySatisfaction, PastSatisfaction
from academy.evaluation.services import public_figure, satisfaction_figure
from academy.evaluation.services.satisfaction import PastFiguresError, import_past_satisfaction, read_past_figures
from tests.clock import restore_clock  # noqa: F401 (fixture)
from tests.factories.scheduling import paris

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def test_the_bundled_file_shows_the_seed_figures_on_day_one(client, seed_course, settings, restore_clock):  # noqa: F811
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 5
    restore_clock.at(paris(2026, 12, 1, 12))
    call_command("import_past_satisfaction")
    figure = public_figure(course=seed_course, today=TODAY)
    assert (figure.score_count, figure.mean_score, figure.recommend_pct) == (9, Decimal("4.55"), 100)

    page = client.get(reverse("catalog:course_detail", args=[seed_course.code])).content.decode()
    assert "4,55</span> / 5" in page
    assert "Sur la base de 9 avis" in page
    assert "100</span>&nbsp;%" in page


def test_past_figures_combine_with_new_answers_under_the_same_rounding(seed_course):
    import_past_satisfaction(
        read_past_figures(
            "course,first_day,last_day,reviews,mean,recommend_pct\nCOMNUM,2026-01-01,2026-06-30,9,4.55,100\n"
        )
    )
    # One new review of 3 with "would not recommend", in Academy, last week.
    DailySatisfaction.objects.create(
        course=seed_course, day=TODAY - datetime.timedelta(days=7), score_count=1, score_sum=3, recommend_answers=1
    )
    figure = satisfaction_figure(course=seed_course, today=TODAY)
    # (4.55 × 9 + 3) / 10 = 4.395 → 4.40 half-up (float would give 4.39); 9 of 10 recommend → 90 %.
    assert figure.score_count == 10
    assert figure.mean_score == Decimal("4.40")
    assert figure.recommend_pct == 90


def test_a_past_period_leaves_the_figure_once_it_is_older_than_12_months(seed_course):
    import_past_satisfaction(
        read_past_figures(
            "course,first_day,last_day,reviews,mean,recommend_pct\nCOMNUM,2026-01-01,2026-06-30,9,4.55,100\n"
        )
    )
    assert satisfaction_figure(course=seed_course, today=datetime.date(2026, 12, 31)).score_count == 9
    # From 2027-01-01 the window starts on 2026-01-02: the period is no longer wholly inside it.
    assert satisfaction_figure(course=seed_course, today=datetime.date(2027, 1, 1)).score_count == 0


def test_importing_the_same_period_again_replaces_it(seed_course):
    text = "course,first_day,last_day,reviews,mean,recommend_pct\nCOMNUM,2026-01-01,2026-06-30,%d,4.5,100\n"
    import_past_satisfaction(read_past_figures(text % 9))
    import_past_satisfaction(read_past_figures(text % 12))
    assert list(PastSatisfaction.objects.values_list("score_count", flat=True)) == [12]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("COMNUM,2026-01-01,2026-06-30,9,5.5,100", "line 2, column mean: must be between 1 and 5"),
        ("COMNUM,2026-06-30,2026-01-01,9,4.5,100", "line 2, column last_day: the period ends before it starts"),
        ("COMNUM,2026-01-01,2026-06-30,0,4.5,100", "line 2, column reviews: at least one review"),
        ("COMNUM,2026-01-01,2026-06-30,9,4.5,120", "line 2, column recommend_pct: a percentage is at most 100"),
        ("COMNUM,01/01/2026,2026-06-30,9,4.5,100", "line 2, column first_day: '01/01/2026' is not a date"),
    ],
)
def test_a_wrong_line_is_refused_with_its_line_and_column(seed_course, line, message):
    with pytest.raises(PastFiguresError, match=message):
        read_past_figures("course,first_day,last_day,reviews,mean,recommend_pct\n" + line + "\n", name="x.csv")


def test_an_unknown_course_refuses_the_whole_file(seed_course, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(
        "course,first_day,last_day,reviews,mean,recommend_pct\n"
        "COMNUM,2026-01-01,2026-06-30,9,4.5,100\nNOPE,2026-01-01,2026-06-30,9,4.5,100\n"
    )
    with pytest.raises(CommandError, match="unknown course code\\(s\\) NOPE"):
        call_command("import_past_satisfaction", str(path))
    assert not PastSatisfaction.objects.exists()

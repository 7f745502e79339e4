import datetime
import threading
import time
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from academy.evaluation.exceptions import InvalidAnswers, NotEligible, WindowClosed, WindowNotOpen
from academy.evaluation.models import DailySatisfaction, Question, Questionnaire, Response
from academy.evaluation.services import (
    anonymise_responses,
    current_questionnaire,
    delete_response,
    freeze_answered_version,
    public_figure,
    rebuild_daily_satisfaction,
    satisfaction_figure,
    satisfaction_window,
    submit_response,
)
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import (
    answer_end_survey,
    bulk_end_survey,
    end_survey_answers,
    positioning_answers,
    session_with_slot,
)
from tests.factories.scheduling import paris

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def course_session(seed_course):
    return session_with_slot(course=seed_course)


@pytest.fixture
def ended_session(seed_course):
    return session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(hours=5))


# --- Questionnaires ---------------------------------------------------------------------------


def test_positioning_has_one_level_question_per_learning_objective(seed_course):
    questionnaire = current_questionnaire(course=seed_course, kind="positioning_before")
    questions = list(questionnaire.questions.all())
    objectives = list(seed_course.objectives.all())
    assert [q.text for q in questions] == [o.text for o in objectives]
    assert len(questions) == 4
    assert all(q.kind == Question.Kind.LEVEL for q in questions)
    assert questions[0].scale_bounds == (0, 4)
    assert [q.learning_objective for q in questions] == objectives


def test_positioning_scale_is_labelled_in_the_course_language_from_not_known_to_can_pass_on(seed_course):
    question = current_questionnaire(course=seed_course, kind="positioning_after").questions.first()
    assert question.scale_labels[0] == "Je ne connais pas"
    assert question.scale_labels[4] == "Je maîtrise et peux transmettre"


def test_default_end_of_course_survey_rates_the_items_and_asks_for_recommendation(seed_course):
    questionnaire = current_questionnaire(course=seed_course, kind="end_of_course")
    keys = [(q.key, q.kind) for q in questionnaire.questions.all()]
    assert keys == [
        ("overall", "score"),
        ("content", "score"),
        ("trainer", "score"),
        ("organisation", "score"),
        ("pace", "score"),
        ("materials", "score"),
        ("recommend", "yes_no"),
        ("comments", "text"),
    ]


def test_default_follow_up_survey_asks_about_use_at_work_and_impact(seed_course):
    keys = [q.key for q in current_questionnaire(course=seed_course, kind="follow_up").questions.all()]
    assert keys == ["use_at_work", "impact", "comments"]


def test_current_questionnaire_is_built_once(seed_course):
    first = current_questionnaire(course=seed_course, kind="end_of_course")
    assert current_questionnaire(course=seed_course, kind="end_of_course") == first
    assert Questionnaire.objects.filter(course=seed_course, kind="end_of_course").count() == 1


def test_editing_an_answered_questionnaire_keeps_answers_on_the_answered_version(ended_session):
    response = answer_end_survey(ended_session, overall=4)
    questionnaire = response.questionnaire
    archived = freeze_answered_version(questionnaire=questionnaire)
    assert archived.version == 1 and not archived.is_current
    assert questionnaire.version == 2
    response.refresh_from_db()
    assert response.questionnaire == archived
    assert {a.question.questionnaire_id for a in response.answers.select_related("question")} == {archived.pk}
    # The edited version can now change freely; the old wording stays with its answers.
    questionnaire.questions.filter(key="overall").update(text="Changed wording")
    assert (
        response.answers.get(question__key="overall").question.text
        == "Dans l’ensemble, quelle est votre satisfaction sur cette formation ?"
    )
    assert current_questionnaire(course=ended_session.course, kind="end_of_course") == questionnaire


def test_editing_an_unanswered_questionnaire_changes_it_in_place(seed_course):
    questionnaire = current_questionnaire(course=seed_course, kind="end_of_course")
    assert freeze_answered_version(questionnaire=questionnaire) is None
    assert Questionnaire.objects.filter(course=seed_course, kind="end_of_course").count() == 1


# --- Answers ----------------------------------------------------------------------------------


def test_an_answer_outside_the_scale_is_refused_with_a_message(course_session):
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    answers = positioning_answers(enrolment, level=7)
    with pytest.raises(InvalidAnswers, match="en dehors de l’échelle : choisissez une valeur de 0 à 4"):
        submit_response(enrolment=enrolment, kind="positioning_before", answers=answers)
    assert not Response.objects.exists()


def test_a_score_of_zero_is_refused(ended_session):
    enrolment = EnrolmentFactory(booking__course_session=ended_session)
    with pytest.raises(InvalidAnswers, match="de 1 à 5"):
        submit_response(enrolment=enrolment, kind="end_of_course", answers=end_survey_answers(enrolment, overall=0))


def test_a_required_question_left_empty_is_refused(ended_session):
    enrolment = EnrolmentFactory(booking__course_session=ended_session)
    answers = end_survey_answers(enrolment)
    answers[next(iter(answers))] = ""
    with pytest.raises(InvalidAnswers, match="Merci de répondre à cette question"):
        submit_response(enrolment=enrolment, kind="end_of_course", answers=answers)


def test_a_cancelled_trainee_cannot_answer(course_session):
    enrolment = EnrolmentFactory(booking__course_session=course_session, status="cancelled")
    with pytest.raises(NotEligible, match="stagiaires confirmé·es"):
        submit_response(enrolment=enrolment, kind="positioning_before", answers=positioning_answers(enrolment))


def test_a_late_answer_after_the_window_closes_is_refused_with_the_closing_date(seed_course):
    course_session = session_with_slot(course=seed_course, starts_at=paris(2026, 1, 12, 9))
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    with pytest.raises(WindowClosed, match="période de réponse s’est terminée le .*trop tard"):
        submit_response(
            enrolment=enrolment, kind="end_of_course", answers=end_survey_answers(enrolment), now=paris(2026, 3, 1, 9)
        )
    assert not Response.objects.exists()


def test_the_end_of_course_survey_does_not_open_before_the_last_slot(course_session):
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    with pytest.raises(WindowNotOpen, match="Ce questionnaire ouvre le"):
        submit_response(enrolment=enrolment, kind="end_of_course", answers=end_survey_answers(enrolment))


def test_the_trainer_may_record_answers_outside_the_window(seed_course, django_user_model):
    course_session = session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(days=1))
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    trainer_user = django_user_model.objects.create_user("trainer")
    result = submit_response(
        enrolment=enrolment, kind="positioning_before", answers=positioning_answers(enrolment), entered_by=trainer_user
    )
    assert result.created and result.response.entered_by_trainer


def test_fc08_second_submission_returns_the_existing_response(ended_session):
    enrolment = EnrolmentFactory(booking__course_session=ended_session)
    first = submit_response(enrolment=enrolment, kind="end_of_course", answers=end_survey_answers(enrolment, overall=5))
    second = submit_response(
        enrolment=enrolment, kind="end_of_course", answers=end_survey_answers(enrolment, overall=1)
    )
    assert first.created and not second.created
    assert second.response.pk == first.response.pk
    assert Response.objects.count() == 1
    assert satisfaction_figure(course=ended_session.course).score_sum == 5


def test_fc08_the_database_refuses_a_second_response_for_the_same_enrolment_and_kind(ended_session):
    from django.db import IntegrityError

    response = answer_end_survey(ended_session)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            questionnaire=response.questionnaire,
            kind="end_of_course",
            course_session=ended_session,
            enrolment=response.enrolment,
            submitted_at=timezone.now(),
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fc08_double_submit_from_two_tabs_50_ms_apart_stores_once(require_postgresql, seed_course):
    course_session = session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(hours=5))
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    answers = end_survey_answers(enrolment, overall=5)
    results, errors = {}, []

    def first_tab():
        try:
            with transaction.atomic():
                results["first"] = submit_response(enrolment=enrolment, kind="end_of_course", answers=answers)
                time.sleep(0.4)  # still uncommitted when the second tab posts
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def second_tab():
        try:
            time.sleep(0.05)
            results["second"] = submit_response(
                enrolment=enrolment, kind="end_of_course", answers=end_survey_answers(enrolment, overall=2)
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_tab), threading.Thread(target=second_tab)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results["first"].created and not results["second"].created
    assert results["second"].response.pk == results["first"].response.pk
    assert Response.objects.filter(enrolment=enrolment).count() == 1
    figure = satisfaction_figure(course=seed_course)
    assert (figure.score_count, figure.score_sum) == (1, 5)


# --- Public figure: rounding (FC-09) ----------------------------------------------------------


def test_fc09_twenty_scores_summing_to_91_show_4_55(ended_session):
    scores = [5] * 11 + [4] * 9  # 55 + 36 = 91
    bulk_end_survey(ended_session, [(s, True) for s in scores])
    rebuild_daily_satisfaction()
    figure = satisfaction_figure(course=ended_session.course)
    assert figure.score_count == 20 and figure.score_sum == 91
    assert figure.mean_score == Decimal("4.55")


def test_fc09_mean_is_rounded_half_up_at_two_decimals(ended_session):
    # 8 scores summing to 37: 4.625 → 4.63 (float round() gives 4.62)
    bulk_end_survey(ended_session, [(5, True)] * 5 + [(4, True)] * 3)
    rebuild_daily_satisfaction()
    figure = satisfaction_figure(course=ended_session.course)
    assert (figure.score_sum, figure.score_count) == (37, 8)
    assert figure.mean_score == Decimal("4.63")


def test_fc09_199_of_200_recommending_show_99_not_100(ended_session):
    bulk_end_survey(ended_session, [(5, True)] * 199 + [(3, False)])
    rebuild_daily_satisfaction()
    assert satisfaction_figure(course=ended_session.course).recommend_pct == Decimal("99")


def test_fc09_everyone_recommending_shows_100(ended_session):
    for _ in range(3):
        answer_end_survey(ended_session, recommend=True)
    assert satisfaction_figure(course=ended_session.course).recommend_pct == Decimal("100")


def test_fc09_figure_is_recomputed_when_an_answer_is_removed(ended_session):
    answer_end_survey(ended_session, overall=5, recommend=True)
    low = answer_end_survey(ended_session, overall=2, recommend=False)
    assert satisfaction_figure(course=ended_session.course).mean_score == Decimal("3.50")
    delete_response(response=low)
    figure = satisfaction_figure(course=ended_session.course)
    assert (figure.score_count, figure.mean_score, figure.recommend_pct) == (1, Decimal("5.00"), Decimal("100"))


def test_fc09_figure_keeps_its_counts_when_answers_are_anonymised(ended_session):
    kept = answer_end_survey(ended_session, overall=4, comment="Merci Zoë Núñez")
    answer_end_survey(ended_session, overall=5)
    anonymise_responses(enrolments=[kept.enrolment])
    kept.refresh_from_db()
    assert kept.enrolment is None and kept.anonymised_at is not None
    assert kept.answers.get(question__key="comments").value_text == ""
    figure = satisfaction_figure(course=ended_session.course)
    assert (figure.score_count, figure.score_sum) == (2, 9)
    rebuild_daily_satisfaction()
    assert satisfaction_figure(course=ended_session.course).score_sum == 9


def test_public_figure_is_hidden_below_the_minimum_number_of_answers(ended_session, settings):
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 3
    answer_end_survey(ended_session)
    answer_end_survey(ended_session)
    assert public_figure(course=ended_session.course) is None
    answer_end_survey(ended_session)
    assert public_figure(course=ended_session.course).score_count == 3


def test_rebuilding_the_daily_figures_gives_the_same_rows_as_live_updates(ended_session):
    answer_end_survey(ended_session, overall=3, recommend=False)
    answer_end_survey(ended_session, overall=5)
    live = list(
        DailySatisfaction.objects.values_list("day", "score_count", "score_sum", "recommend_answers", "recommend_yes")
    )
    rebuild_daily_satisfaction()
    assert (
        list(
            DailySatisfaction.objects.values_list(
                "day", "score_count", "score_sum", "recommend_answers", "recommend_yes"
            )
        )
        == live
    )


# --- Rolling window: last 12 months including today, organisation's timezone -----------------


def test_window_holds_exactly_one_year_of_days_including_today():
    assert satisfaction_window(datetime.date(2026, 11, 29)) == (
        datetime.date(2025, 11, 30),
        datetime.date(2026, 11, 29),
    )


def test_window_on_29_february_starts_on_1_march():
    assert satisfaction_window(datetime.date(2028, 2, 29))[0] == datetime.date(2027, 3, 1)


@pytest.fixture
def window_session(seed_course):
    return session_with_slot(course=seed_course, starts_at=paris(2025, 10, 1, 9))


TODAY = datetime.date(2026, 11, 29)


def _count(course_session):
    return satisfaction_figure(course=course_session.course, today=TODAY, tz=PARIS).score_count


def test_window_excludes_an_answer_given_exactly_a_year_ago_today_in_paris(window_session):
    answer_end_survey(window_session, at=paris(2025, 11, 29, 12))
    assert _count(window_session) == 0


def test_window_includes_an_answer_given_on_its_first_day(window_session):
    answer_end_survey(window_session, at=paris(2025, 11, 30, 12))
    assert _count(window_session) == 1


def test_window_includes_yesterday(window_session):
    answer_end_survey(window_session, at=paris(2026, 11, 28, 15))
    assert _count(window_session) == 1


def test_window_includes_today_late_evening_23_30_paris(window_session):
    answer_end_survey(window_session, at=paris(2026, 11, 29, 23, 30))
    assert _count(window_session) == 1


def test_window_excludes_23_30_paris_on_the_day_a_year_ago_same_utc_day(window_session):
    at = paris(2025, 11, 29, 23, 30)
    assert at.astimezone(datetime.UTC).date() == datetime.date(2025, 11, 29)
    answer_end_survey(window_session, at=at)
    assert _count(window_session) == 0


def test_window_includes_00_30_paris_on_its_first_day_although_utc_is_the_day_before(window_session):
    at = paris(2025, 11, 30, 0, 30)
    assert at.astimezone(datetime.UTC).date() == datetime.date(2025, 11, 29)
    answer_end_survey(window_session, at=at)
    assert _count(window_session) == 1


def test_window_excludes_tomorrow_in_paris_even_when_utc_is_still_today(window_session):
    at = paris(2026, 11, 30, 0, 30)  # 2026-11-29 23:30 UTC
    answer_end_survey(window_session, at=at)
    assert _count(window_session) == 0


def test_today_is_the_paris_date_at_23_30_utc(window_session, settings):
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 1
    answer_end_survey(window_session, at=paris(2025, 11, 30, 12))  # first day of the window ending 2026-11-29
    late_evening_utc = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC)  # 00:30 on the 30th in Paris
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        figure = satisfaction_figure(course=window_session.course, tz=PARIS)
    assert figure.last_day == datetime.date(2026, 11, 30)
    assert figure.score_count == 0  # the window has moved on by one Paris day

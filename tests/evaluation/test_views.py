import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from academy.evaluation.models import Response
from academy.evaluation.sending import make_answer_token
from academy.evaluation.services import current_questionnaire, rebuild_daily_satisfaction
from tests.factories.enrolment import EnrolmentFactory
from tests.factories.evaluation import answer_end_survey, bulk_end_survey, positioning_answers, session_with_slot
from tests.factories.scheduling import TrainerFactory


def answer_url(enrolment, kind):
    return reverse("evaluation:answer", kwargs={"token": make_answer_token(enrolment=enrolment, kind=kind)})


def form_data(answers: dict) -> dict:
    return {
        "q%s" % pk: ("yes" if value is True else "no" if value is False else value) for pk, value in answers.items()
    }


@pytest.fixture
def upcoming(seed_course):
    return session_with_slot(course=seed_course)


@pytest.fixture
def ended(seed_course):
    return session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(hours=5))


# --- Answering from the personal link ---------------------------------------------------------


def test_the_link_shows_one_question_per_objective_with_the_labelled_scale(client, upcoming, seed_course):
    enrolment = EnrolmentFactory(booking__course_session=upcoming)
    response = client.get(answer_url(enrolment, "positioning_before"))
    assert response.status_code == 200
    content = response.content.decode()
    assert seed_course.objectives.first().text in content
    assert "Je ne connais pas" in content
    assert "Je maîtrise et peux transmettre" in content


def test_answering_from_the_link_stores_the_response(client, upcoming):
    enrolment = EnrolmentFactory(booking__course_session=upcoming)
    url = answer_url(enrolment, "positioning_before")
    response = client.post(url, form_data(positioning_answers(enrolment, level=2)), follow=True)
    assert "Merci : vos réponses sont enregistrées." in response.content.decode()
    stored = Response.objects.get(enrolment=enrolment)
    assert not stored.entered_by_trainer
    assert sorted(stored.answers.values_list("value_int", flat=True)) == [2, 2, 2, 2]


def test_an_out_of_scale_answer_is_refused_with_a_message_and_nothing_is_stored(client, upcoming):
    enrolment = EnrolmentFactory(booking__course_session=upcoming)
    data = form_data(positioning_answers(enrolment, level=1))
    first = next(iter(data))
    data[first] = "9"
    response = client.post(answer_url(enrolment, "positioning_before"), data)
    assert response.status_code == 200
    assert "« 9 » est en dehors de l’échelle : choisissez une valeur de 0 à 4." in response.content.decode()
    assert not Response.objects.exists()


def test_fc08_a_second_post_from_another_tab_gets_the_existing_answers(client, ended):
    from tests.factories.evaluation import end_survey_answers

    enrolment = EnrolmentFactory(booking__course_session=ended)
    url = answer_url(enrolment, "end_of_course")
    client.post(url, form_data(end_survey_answers(enrolment, overall=5)))
    second = client.post(url, form_data(end_survey_answers(enrolment, overall=1)), follow=True)
    assert second.status_code == 200
    assert "Vos réponses ont été enregistrées le" in second.content.decode()
    assert Response.objects.filter(enrolment=enrolment).count() == 1
    assert Response.objects.get().answers.get(question__key="overall").value_int == 5


def test_a_tampered_link_gets_a_clear_page(client, upcoming):
    enrolment = EnrolmentFactory(booking__course_session=upcoming)
    token = make_answer_token(enrolment=enrolment, kind="positioning_before")
    response = client.get(reverse("evaluation:answer", kwargs={"token": token[:-3] + "abc"}))
    assert response.status_code == 200
    assert "Ce lien n’est pas valide" in response.content.decode()


def test_an_expired_link_gets_a_clear_page(client, upcoming, settings):
    enrolment = EnrolmentFactory(booking__course_session=upcoming)
    token = make_answer_token(enrolment=enrolment, kind="positioning_before")
    settings.EVALUATION_LINK_MAX_AGE_DAYS = 0
    import time

    time.sleep(1.1)
    response = client.get(reverse("evaluation:answer", kwargs={"token": token}))
    assert "Ce lien a expiré" in response.content.decode()


def test_a_link_for_a_deleted_enrolment_gets_a_clear_page(client, db):
    token = signing.dumps({"e": 999999, "k": "positioning_before"}, salt="academy.evaluation", compress=True)
    response = client.get(reverse("evaluation:answer", kwargs={"token": token}))
    assert "Ce lien n’est pas valide" in response.content.decode()


def test_a_late_answer_gets_a_clear_message(client, seed_course):
    course_session = session_with_slot(course=seed_course, starts_at=timezone.now() - datetime.timedelta(days=45))
    enrolment = EnrolmentFactory(booking__course_session=course_session)
    response = client.get(answer_url(enrolment, "end_of_course"))
    content = response.content.decode()
    assert "La période de réponse est terminée" in content
    assert "trop tard" in content


# --- Trainer's opening page -------------------------------------------------------------------


@pytest.fixture
def trainer_user(django_user_model, upcoming):
    user = django_user_model.objects.create_user("tristan", password="x")
    trainer = TrainerFactory(user=user)
    upcoming.trainers.add(trainer)
    return user


def test_the_opening_page_lists_who_has_not_answered_before(client, upcoming, trainer_user):
    waiting = EnrolmentFactory(booking__course_session=upcoming, last_name="Łukasiewicz")
    done = EnrolmentFactory(booking__course_session=upcoming, last_name="Ánh")
    from academy.evaluation.services import submit_response

    submit_response(enrolment=done, kind="positioning_before", answers=positioning_answers(done))
    client.force_login(trainer_user)
    response = client.get(reverse("evaluation:session_opening", kwargs={"pk": upcoming.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        reverse("evaluation:session_opening_record", kwargs={"pk": upcoming.pk, "enrolment_pk": waiting.pk}) in content
    )
    assert (
        reverse("evaluation:session_opening_record", kwargs={"pk": upcoming.pk, "enrolment_pk": done.pk}) not in content
    )


def test_the_trainer_records_answers_marked_as_entered_by_the_trainer(client, upcoming, trainer_user):
    enrolment = EnrolmentFactory(booking__course_session=upcoming)
    client.force_login(trainer_user)
    url = reverse("evaluation:session_opening_record", kwargs={"pk": upcoming.pk, "enrolment_pk": enrolment.pk})
    response = client.post(url, form_data(positioning_answers(enrolment, level=3)))
    assert response.status_code == 302
    stored = Response.objects.get(enrolment=enrolment)
    assert stored.entered_by_trainer and stored.entered_by == trainer_user


def test_the_printable_forms_are_a_pdf_naming_the_missing_trainees(client, upcoming, trainer_user):
    from pypdf import PdfReader

    EnrolmentFactory(booking__course_session=upcoming, first_name="Zoë", last_name="Ñúñez-Łukasiewicz")
    client.force_login(trainer_user)
    response = client.get(reverse("evaluation:session_opening_print", kwargs={"pk": upcoming.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ñúñez-Łukasiewicz" in text
    assert "Je ne connais pas" in text


def test_an_anonymous_visitor_is_sent_to_log_in(client, upcoming):
    response = client.get(reverse("evaluation:session_opening", kwargs={"pk": upcoming.pk}))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_trainer_of_another_session_gets_404_like_an_unknown_session(client, upcoming, django_user_model):
    user = django_user_model.objects.create_user("autre")
    TrainerFactory(user=user)
    client.force_login(user)
    assert client.get(reverse("evaluation:session_opening", kwargs={"pk": upcoming.pk})).status_code == 404
    assert client.get(reverse("evaluation:report", kwargs={"pk": upcoming.pk})).status_code == 404


def test_an_unknown_session_gets_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("evaluation:session_opening", kwargs={"pk": 987654})).status_code == 404


def test_staff_may_open_any_session(client, upcoming, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("evaluation:session_opening", kwargs={"pk": upcoming.pk})).status_code == 200


# --- Session report ---------------------------------------------------------------------------


@pytest.fixture
def reported(ended):
    from academy.evaluation.services import submit_response

    for before, after, _overall in [(0, 3, 5), (1, 3, 4)]:
        enrolment = EnrolmentFactory(booking__course_session=ended)
        submit_response(
            enrolment=enrolment,
            kind="positioning_before",
            answers=positioning_answers(enrolment, level=before),
            entered_by=None,
            enforce_window=False,
        )
        submit_response(
            enrolment=enrolment,
            kind="positioning_after",
            answers=positioning_answers(enrolment, "positioning_after", level=after),
        )
    answer_end_survey(ended, overall=5, comment="Très concret, merci")
    answer_end_survey(ended, overall=4, recommend=False)
    EnrolmentFactory(booking__course_session=ended)  # has not answered anything
    return ended


def test_report_shows_progression_per_objective_and_accessible_charts(client, reported, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("evaluation:report", kwargs={"pk": reported.pk}))
    content = response.content.decode()
    report = response.context["report"]
    row = report.objectives[0]
    assert (row.before, row.after, row.progression) == (Decimal("0.50"), Decimal("3.00"), Decimal("2.50"))
    assert content.count('role="img"') == 2
    assert '<title id="positioning-%s-title">' % reported.pk in content
    assert "<desc id=" in content and "Avant 0,50/4" in content
    assert "Très concret, merci" in content
    assert report.recommend_pct == Decimal("50")
    rates = {rate.kind: (rate.responses, rate.trainees, rate.pct) for rate in report.rates}
    assert rates["positioning_before"] == (2, 5, Decimal("40"))
    assert rates["end_of_course"] == (2, 5, Decimal("40"))


def test_report_exports_csv_in_french_excel_conventions(client, reported, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("evaluation:report_export", kwargs={"pk": reported.pk, "fmt": "csv"}))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "Auto-positionnement;%s;0,50;3,00;2,50" % reported.course.objectives.first().text in text


def test_report_exports_xlsx_with_numbers_as_numbers(client, reported, admin_user):
    from openpyxl import load_workbook

    client.force_login(admin_user)
    response = client.get(reverse("evaluation:report_export", kwargs={"pk": reported.pk, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=3).value == 0.5
    assert sheet.cell(row=2, column=5).value == 2.5


def test_report_exports_pdf_with_the_figures(client, reported, admin_user):
    from pypdf import PdfReader

    client.force_login(admin_user)
    response = client.get(reverse("evaluation:report_export", kwargs={"pk": reported.pk, "fmt": "pdf"}))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert reported.course.objectives.first().text[:30] in text
    assert "2.50" in text or "2,50" in text
    assert "Très concret, merci" in text


def test_the_trainer_of_the_session_sees_the_report(client, reported, django_user_model):
    user = django_user_model.objects.create_user("trainer-report")
    reported.trainers.add(TrainerFactory(user=user))
    client.force_login(user)
    assert client.get(reverse("evaluation:report", kwargs={"pk": reported.pk})).status_code == 200


def test_report_query_count_does_not_grow_with_answers(client, ended, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    url = reverse("evaluation:report", kwargs={"pk": ended.pk})
    bulk_end_survey(ended, [(5, True)] * 3)
    with django_assert_max_num_queries(20):
        client.get(url)
    bulk_end_survey(ended, [(4, False)] * 300)
    with django_assert_max_num_queries(20):
        client.get(url)


# --- Course page figure -----------------------------------------------------------------------


def test_course_page_shows_the_figure_worded_as_the_seed(client, ended, settings):
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 5
    bulk_end_survey(ended, [(5, True)] * 5 + [(4, True)] * 4)  # 41 / 9 = 4.555… → 4.56
    rebuild_daily_satisfaction()
    response = client.get(ended.course.get_absolute_url())
    content = " ".join(response.content.decode().split())
    assert "Ce qu’en disent les participants" in content
    assert "4,56</span> / 5" in content  # the locale's decimal comma, as on the indicators page
    assert "Satisfaction moyenne" in content
    assert "Sur la base de 9 avis, collectés en fin de formation durant les 12 derniers mois." in content
    assert "100</span>&nbsp;%" in content and "recommandent cette formation" in content


def test_course_page_hides_the_figure_below_the_minimum(client, ended, settings):
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 5
    answer_end_survey(ended)
    response = client.get(ended.course.get_absolute_url())
    assert "Satisfaction moyenne" not in response.content.decode()


def test_course_page_query_count_does_not_grow_with_answers(
    client, ended, settings, django_assert_max_num_queries, rf, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from academy.evaluation.panels import course_figures_context

    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 1
    settings.ACADEMY_PAGE_CACHE_ENABLED = False  # count the queries of rendering the page itself
    url = ended.course.get_absolute_url()
    bound = None
    for batch in (10, 9_990):  # 10 answers, then 10,000
        bulk_end_survey(ended, [(5 if i % 2 else 4, i % 10 != 0) for i in range(batch)])
        rebuild_daily_satisfaction()
        # The organisation's timezone, one aggregate over day rows and past figures.
        with django_assert_num_queries(2):
            assert course_figures_context(rf.get(url), ended.course) is not None
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        bound = bound or len(queries)  # the page's count with 10 answers is the bound for 10,000
        with django_assert_max_num_queries(bound):
            response = client.get(url)
        assert not any(
            "evaluation_answer" in q["sql"] or "evaluation_response" in q["sql"] for q in queries.captured_queries
        )
    assert "Sur la base de 10000 avis" in response.content.decode()


# --- Organisation indicators ------------------------------------------------------------------


def test_indicators_page_shows_each_figure_with_period_and_sample_size(client, reported):
    response = client.get(reverse("evaluation:indicators"))
    content = response.content.decode()
    indicators = {i.code: i for i in response.context["indicators"]}
    assert indicators["satisfaction_mean"].value == Decimal("4.50")
    assert indicators["satisfaction_mean"].sample_size == 2
    assert indicators["satisfaction_rate"].value == Decimal("100")
    assert indicators["trainees"].value == 5
    assert indicators["response_rate_end_of_course"].value == Decimal("40")
    assert "Taux de recommandation" in content


def test_indicators_download_as_json_open_data(client, reported):
    response = client.get(reverse("evaluation:indicators_export", kwargs={"fmt": "json"}))
    payload = json.loads(response.content)
    by_code = {i["code"]: i for i in payload["indicators"]}
    assert by_code["recommendation_rate"]["value"] == "50"
    assert by_code["recommendation_rate"]["sample_size"] == 2
    assert by_code["trainees"]["period_end"] == timezone.localdate().isoformat()


def test_indicators_download_as_csv(client, reported):
    response = client.get(reverse("evaluation:indicators_export", kwargs={"fmt": "csv"}))
    text = response.content.decode("utf-8")
    assert "satisfaction_mean;Satisfaction moyenne (sur 5);4,50;/5;2;" in text


def test_editing_questionnaire_in_admin_creates_a_new_version(client, admin_user, ended):
    response_obj = answer_end_survey(ended, overall=5)
    questionnaire = current_questionnaire(course=ended.course, kind="end_of_course")
    questions = list(questionnaire.questions.all())
    url = reverse("admin:evaluation_questionnaire_change", args=[questionnaire.pk])
    data = {
        "title": questionnaire.title,
        "introduction": "",
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for i, q in enumerate(questions):
        data.update(
            {
                "questions-%d-id" % i: q.pk,
                "questions-%d-questionnaire" % i: questionnaire.pk,
                "questions-%d-position" % i: q.position,
                "questions-%d-kind" % i: q.kind,
                "questions-%d-text" % i: "Nouvelle formulation" if q.key == "overall" else q.text,
                "questions-%d-key" % i: q.key,
                "questions-%d-learning_objective" % i: "",
                "questions-%d-scale_labels" % i: json.dumps(q.scale_labels),
                "questions-%d-required" % i: "on" if q.required else "",
            }
        )
    client.force_login(admin_user)
    result = client.post(url, data)
    assert result.status_code == 302, result.content.decode()[:3000]
    questionnaire.refresh_from_db()
    assert questionnaire.version == 2 and questionnaire.is_current
    assert questionnaire.questions.get(key="overall").text == "Nouvelle formulation"
    response_obj.refresh_from_db()
    assert response_obj.questionnaire.version == 1
    assert (
        response_obj.answers.get(question__key="overall").question.text
        == "Dans l’ensemble, quelle est votre satisfaction sur cette formation ?"
    )


def test_a_level_question_needs_at_least_two_labels(seed_course):
    from django.core.exceptions import ValidationError

    from academy.evaluation.models import Question

    question = Question(
        questionnaire=current_questionnaire(course=seed_course, kind="positioning_before"),
        kind="level",
        text="Objectif",
        scale_labels=["Seul"],
    )
    with pytest.raises(ValidationError, match="au moins deux libellés"):
        question.full_clean()


def test_course_page_figure_reads_in_english(client, ended, settings):
    settings.EVALUATION_PUBLIC_FIGURE_MIN_ANSWERS = 1
    answer_end_survey(ended, overall=4, recommend=False)
    response = client.get("/en" + ended.course.get_absolute_url())
    content = " ".join(response.content.decode().split())
    assert "What participants say" in content
    assert "Based on 1 review, collected at the end of the course during the last 12 months." in content
    assert '<span class="figure-number">0</span>&nbsp;%</p> <p class="figure-label">recommend this course' in content


def test_indicators_page_query_count_does_not_grow_with_answers(client, ended, django_assert_max_num_queries):
    url = reverse("evaluation:indicators")
    bulk_end_survey(ended, [(5, True)] * 5)
    rebuild_daily_satisfaction()
    with django_assert_max_num_queries(8):
        client.get(url)
    bulk_end_survey(ended, [(4, False)] * 2000)
    rebuild_daily_satisfaction()
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert {i.code: i.sample_size for i in response.context["indicators"]}["satisfaction_mean"] == 2005

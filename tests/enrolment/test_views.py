import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from academy.core.models import OutboundEmail
from academy.enrolment.models import Booking, Enrolment
from tests.factories.enrolment import EnrolmentFactory

from .helpers import open_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def form_data(*trainees, **overrides):
    data = {
        "for_whom": "others",
        "contact_first_name": "Camille",
        "contact_last_name": "Contact",
        "contact_email": "camille@exemple.fr",
        "contact_phone": "",
        "organisation_name": "Société Générale d'Électricité",
        "organisation_siret": "",
        "funding": "employer",
        "funder_name": "",
        "overflow_policy": "waitlist_rest",
        "accept_terms": "on",
        "submission_key": str(uuid.uuid4()),
        "website": "",
        "trainees-TOTAL_FORMS": str(len(trainees)),
        "trainees-INITIAL_FORMS": "0",
        "trainees-MIN_NUM_FORMS": "1",
        "trainees-MAX_NUM_FORMS": "20",
    }
    for i, (first, last, email) in enumerate(trainees):
        data.update(
            {
                "trainees-%d-first_name" % i: first,
                "trainees-%d-last_name" % i: last,
                "trainees-%d-email" % i: email,
                "trainees-%d-job_title" % i: "",
                "trainees-%d-accessibility_needs" % i: "",
            }
        )
    data.update(overrides)
    return data


ZOE = ("Zoë", "Ñúñez-Łukasiewicz", "zoe.nunez@exemple.fr")
ANH = ("Ánh", "Nguyễn Thị", "anh.nguyen@exemple.fr")


def url(course_session):
    return reverse("enrolment:enrol", kwargs={"pk": course_session.pk})


def test_the_form_shows_the_seats_left_and_what_happens_to_a_larger_group(client):
    course_session = open_session(capacity_seats=3)
    EnrolmentFactory(booking__course_session=course_session)

    response = client.get(url(course_session))

    content = response.content.decode()
    assert response.status_code == 200
    assert "2 places restantes" in content
    assert 'data-seats-left="2"' in content
    assert "Places restantes : 2. Si votre groupe" in content
    assert "Confirmer les places restantes" in content


def test_a_company_contact_enrols_two_trainees_and_sees_the_confirmation(client, django_capture_on_commit_callbacks):
    course_session = open_session()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(course_session), form_data(ZOE, ANH), follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "2 places confirmées" in content
    assert "Ñúñez-Łukasiewicz" in content
    assert sorted(course_session.enrolments.values_list("status", flat=True)) == ["confirmed", "confirmed"]
    assert OutboundEmail.objects.filter(category="enrolment.booking_received", to=["camille@exemple.fr"]).exists()


def test_enrolling_oneself_uses_the_contact_as_the_trainee(client):
    course_session = open_session()
    data = form_data(("", "", ""), for_whom="self", funding="personal", organisation_name="")

    response = client.post(url(course_session), data)

    assert response.status_code == 302
    enrolment = course_session.enrolments.get()
    assert (enrolment.first_name, enrolment.email) == ("Camille", "camille@exemple.fr")


def test_missing_fields_get_field_level_messages_in_french_and_nothing_is_saved(client):
    course_session = open_session()
    data = form_data(("", "Sans", "pas-un-email"), accept_terms="", funding="opco")

    response = client.post(url(course_session), data)

    content = response.content.decode()
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in content
    assert "Saisissez une adresse de courriel valide." in content
    assert "Veuillez accepter les conditions pour vous inscrire." in content
    assert "Quel OPCO ?" in content
    assert Booking.objects.count() == 0


def test_field_messages_are_in_english_on_the_english_page(client):
    course_session = open_session()
    response = client.post("/en" + url(course_session), form_data(("", "Sans", "x@exemple.fr"), accept_terms=""))

    content = response.content.decode()
    assert "This field is required." in content
    assert "Please accept the terms to enrol." in content


def test_an_invalid_siret_is_refused_with_a_clear_message(client):
    course_session = open_session()
    response = client.post(url(course_session), form_data(ZOE, organisation_siret="123 456 789 00013"))

    assert "Ce SIRET n’est pas valide" in response.content.decode()


def test_a_valid_siret_with_spaces_is_stored_without_them(client):
    course_session = open_session()
    client.post(url(course_session), form_data(ZOE, organisation_siret="732 829 320 00074"))

    assert Booking.objects.get().client_organisation.siret == "73282932000074"


def test_fc02_the_same_person_again_is_told_clearly_and_nothing_is_duplicated(client):
    course_session = open_session()
    client.post(url(course_session), form_data(("Zoe", "Nunez", "zoe.nunez@exemple.fr")))

    response = client.post(url(course_session), form_data(("Zoe", "Nunez", " Zoe.Nunez@Exemple.FR ")))

    content = response.content.decode()
    assert response.status_code == 409
    assert "Cette personne est déjà inscrite à cette session" in content
    assert course_session.enrolments.count() == 1


def test_a_resubmitted_form_shows_the_first_confirmation_and_enrols_nobody_twice(client):
    course_session = open_session()
    data = form_data(ZOE, ANH)
    client.post(url(course_session), data)

    response = client.post(url(course_session), data, follow=True)

    assert "déjà été envoyé" in response.content.decode()
    assert course_session.enrolments.count() == 2
    assert Booking.objects.count() == 1


def test_the_honeypot_looks_accepted_to_robots_and_saves_nothing(client):
    course_session = open_session()
    response = client.post(url(course_session), form_data(ZOE, website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == course_session.course.get_absolute_url()
    assert Booking.objects.count() == 0
    assert not OutboundEmail.objects.exists()


def test_too_many_submissions_from_one_address_are_slowed_down(client, settings):
    settings.ENROLMENT_RATE_LIMIT = (2, 600)
    course_session = open_session()
    for n in range(2):
        client.post(url(course_session), form_data(("A", "B", "p%d@exemple.fr" % n)))

    response = client.post(url(course_session), form_data(("A", "B", "late@exemple.fr")))

    assert response.status_code == 429
    assert "Trop d’envois" in response.content.decode()
    assert not Enrolment.objects.filter(email="late@exemple.fr").exists()


def test_adding_a_trainee_without_javascript_shows_one_more_row_and_keeps_what_was_typed(client):
    course_session = open_session()
    data = form_data(ZOE, add_trainee="1")

    response = client.post(url(course_session), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="trainees-1-email"' in content
    assert "zoe.nunez@exemple.fr" in content
    assert Booking.objects.count() == 0


def test_a_group_larger_than_the_seats_left_gets_what_the_contact_chose(client):
    course_session = open_session(capacity_seats=1)
    response = client.post(url(course_session), form_data(ZOE, ANH, overflow_policy="waitlist_rest"), follow=True)

    content = response.content.decode()
    assert "1 place confirmée" in content
    assert "1 personne sur liste d’attente" in content


def test_a_refused_group_is_told_why_and_nothing_is_saved(client):
    course_session = open_session(capacity_seats=1)
    response = client.post(url(course_session), form_data(ZOE, ANH, overflow_policy="refuse"))

    assert response.status_code == 409
    assert "personne n’a été inscrit" in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_closed_session_shows_that_it_takes_no_enrolment(client):
    course_session = open_session(status="closed")
    response = client.get(url(course_session))

    assert response.status_code == 410
    assert "ne prend pas d’inscription" in response.content.decode()


def test_accessibility_needs_are_not_shown_on_the_confirmation_page(client):
    course_session = open_session()
    data = form_data(ZOE)
    data["trainees-0-accessibility_needs"] = "Boucle magnétique"

    response = client.post(url(course_session), data, follow=True)

    assert "Boucle magnétique" not in response.content.decode()
    assert course_session.enrolments.get().accessibility_needs == "Boucle magnétique"


def test_the_cancel_link_cancels_after_confirmation_and_promotes_the_waiting_list(client):
    from academy.enrolment.links import cancel_url

    course_session = open_session(capacity_seats=1)
    client.post(url(course_session), form_data(ZOE))
    client.post(url(course_session), form_data(ANH))
    enrolment = course_session.enrolments.get(email="zoe.nunez@exemple.fr")
    link = cancel_url(enrolment).split("127.0.0.1:8000", 1)[-1]

    assert client.get(link).status_code == 200
    assert course_session.enrolments.get(pk=enrolment.pk).status == "confirmed"
    response = client.post(link)

    assert response.status_code == 200
    assert "Inscription annulée" in response.content.decode()
    assert course_session.enrolments.get(pk=enrolment.pk).status == "cancelled"
    assert course_session.enrolments.get(email="anh.nguyen@exemple.fr").status == "offered"


def test_a_tampered_cancel_link_is_refused(client):
    from academy.enrolment.links import cancel_token

    enrolment = EnrolmentFactory()
    response = client.post(reverse("enrolment:cancel", kwargs={"token": cancel_token(enrolment) + "x"}))

    assert response.status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == "confirmed"


def test_an_expired_cancel_link_is_refused(client, settings):
    from academy.enrolment.links import cancel_token

    settings.ENROLMENT_LINK_MAX_AGE_DAYS = -1
    enrolment = EnrolmentFactory()
    response = client.post(reverse("enrolment:cancel", kwargs={"token": cancel_token(enrolment)}))

    assert response.status_code == 404


def test_the_offer_link_confirms_the_offered_seat(client):
    from academy.enrolment.links import offer_token
    from academy.enrolment.services import cancel_enrolment

    course_session = open_session(capacity_seats=1)
    client.post(url(course_session), form_data(ZOE))
    client.post(url(course_session), form_data(ANH))
    cancel_enrolment(enrolment=course_session.enrolments.get(email="zoe.nunez@exemple.fr"), by=None)
    offered = course_session.enrolments.get(email="anh.nguyen@exemple.fr")

    response = client.post(reverse("enrolment:offer", kwargs={"token": offer_token(offered)}))

    assert response.status_code == 200
    assert Enrolment.objects.get(pk=offered.pk).status == "confirmed"


def test_emailed_links_do_not_carry_the_email_address(client):
    import json

    from django.core import signing

    from academy.enrolment.links import CANCEL_PURPOSE, cancel_token

    enrolment = EnrolmentFactory(email="zoe.nunez@exemple.fr")
    payload = signing.loads(cancel_token(enrolment), salt="academy.%s" % CANCEL_PURPOSE)

    assert payload["e"] == enrolment.pk
    assert "zoe" not in json.dumps(payload)


def test_a_cancel_link_stops_working_once_the_person_is_erased(client):
    from academy.enrolment.links import cancel_token
    from academy.enrolment.personal_data import erase

    enrolment = EnrolmentFactory(email="zoe.nunez@exemple.fr")
    token = cancel_token(enrolment)
    erase("zoe.nunez@exemple.fr")

    assert client.get(reverse("enrolment:cancel", kwargs={"token": token})).status_code == 404


def test_a_form_sent_without_any_trainee_says_what_to_give_in_words(client):
    course_session = open_session()
    with translation.override("fr"):
        response = client.post(
            reverse("enrolment:enrol", kwargs={"pk": course_session.pk}),
            form_data(("", "", ""), submission_key=str(uuid.uuid4())),
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    page = response.content.decode()
    assert response.status_code == 400  # the form again, with what is wrong
    assert "Indiquez au moins un stagiaire : prénom, nom et e-mail." in page
    assert "Veuillez soumettre au moins" not in page
    assert not Booking.objects.exists()


def test_the_cpf_is_offered_only_for_a_course_it_can_fund():
    from academy.catalog.models import Course

    course_session = open_session()
    url = reverse("enrolment:enrol", kwargs={"pk": course_session.pk})
    client = Client()
    assert 'value="cpf"' in client.get(url).content.decode()  # objective not stated: not excluded
    Course.objects.filter(pk=course_session.course_id).update(general_objective="other")
    page = client.get(url).content.decode()
    assert 'value="cpf"' not in page and 'value="employer"' in page
    with translation.override("fr"):
        response = client.post(url, form_data(ZOE, funding="cpf", for_whom="self"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "ne peut pas financer cette formation" in response.content.decode()
    assert not Booking.objects.exists()
    Course.objects.filter(pk=course_session.course_id).update(general_objective="rncp")
    assert 'value="cpf"' in client.get(url).content.decode()

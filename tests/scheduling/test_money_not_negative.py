"""Money and quantities that must not be negative are refused by the forms and by the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from academy.catalog.models import Course
from academy.scheduling.models import CourseSession
from tests.factories.catalog import CourseFactory
from tests.factories.scheduling import CourseSessionFactory, TrainerFactory

from .test_admin import session_form

pytestmark = pytest.mark.django_db


def test_a_negative_session_price_gets_a_field_message_in_the_admin(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()

    response = admin_client.post(
        reverse("admin:scheduling_coursesession_add"), session_form(course, trainer, price_excl_vat="-5")
    )

    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in response.content.decode()
    assert CourseSession.objects.count() == 0


def test_a_vat_rate_above_100_percent_gets_a_field_message_in_the_admin(admin_client):
    course, trainer = CourseFactory(), TrainerFactory()

    response = admin_client.post(
        reverse("admin:scheduling_coursesession_add"), session_form(course, trainer, vat_rate_pct="120")
    )

    assert response.status_code == 200
    assert "Assurez-vous que cette valeur est inférieure ou égale à 100." in response.content.decode()
    assert CourseSession.objects.count() == 0


@pytest.mark.parametrize(
    ("model", "factory", "field"),
    [
        (CourseSession, CourseSessionFactory, "price_excl_vat"),
        (CourseSession, CourseSessionFactory, "vat_rate_pct"),
        (Course, CourseFactory, "price_excl_vat"),
        (Course, CourseFactory, "duration_hours"),
        (Course, CourseFactory, "duration_days"),
    ],
)
def test_the_database_refuses_a_negative_amount_written_without_the_forms(model, factory, field):
    instance = factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=instance.pk).update(**{field: Decimal("-5")})

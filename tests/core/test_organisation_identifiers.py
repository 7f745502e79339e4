"""The training organisation's SIRET and declaration number: checked, typed with spaces, stored as digits."""

import pytest
from django.urls import reverse

from academy.core.admin import TrainingOrganisationForm
from academy.core.models import TrainingOrganisation
from tests.factories.core import TrainingOrganisationFactory

pytestmark = pytest.mark.django_db


def form_data(organisation, **overrides):
    data = {
        "name": organisation.name,
        "siret": organisation.siret,
        "declaration_number": organisation.declaration_number,
        "timezone": "Europe/Paris",
        "fiscal_year_start_month": "1",
    }
    data.update(overrides)
    return data


def test_the_factory_organisation_is_valid():
    TrainingOrganisationFactory().full_clean()


def test_a_siret_typed_with_spaces_is_stored_as_its_14_digits(admin_client):
    organisation = TrainingOrganisationFactory()
    url = reverse("admin:core_trainingorganisation_change", args=[organisation.pk])
    assert 'maxlength="14"' not in admin_client.get(url).content.decode()
    form = TrainingOrganisationForm(
        form_data(organisation, siret="123 456 782 00002", declaration_number="11 75 99999 75"), instance=organisation
    )

    assert form.is_valid(), form.errors
    form.save()

    organisation.refresh_from_db()
    assert organisation.siret == "12345678200002"
    assert organisation.declaration_number == "11759999975"


@pytest.mark.parametrize("siret", ["12345678200003", "1234567820000", "12345678A00002"])
def test_an_invalid_siret_is_refused(siret):
    organisation = TrainingOrganisationFactory()
    form = TrainingOrganisationForm(form_data(organisation, siret=siret), instance=organisation)

    assert not form.is_valid()
    assert "siret" in form.errors
    assert TrainingOrganisation.objects.get().siret == "12345678900015"


@pytest.mark.parametrize("number", ["117599", "117599999751", "1175999997A"])
def test_a_declaration_number_without_11_digits_is_refused(number):
    organisation = TrainingOrganisationFactory()
    form = TrainingOrganisationForm(form_data(organisation, declaration_number=number), instance=organisation)

    assert not form.is_valid()
    assert "11 chiffres" in str(form.errors["declaration_number"])


def test_both_identifiers_may_stay_empty():
    organisation = TrainingOrganisationFactory()
    form = TrainingOrganisationForm(form_data(organisation, siret="", declaration_number=""), instance=organisation)

    assert form.is_valid(), form.errors

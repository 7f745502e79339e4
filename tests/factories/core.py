import factory

from academy.core.models import ClientOrganisation, TrainingOrganisation


class TrainingOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingOrganisation

    name = "Académie Exemple"
    legal_name = "Académie Exemple SAS"
    siret = "12345678900015"
    declaration_number = "11759999975"
    address = "12, rue de la Paix\n75002 Paris"
    email = "contact@academie.exemple"
    legal_representative = "Camille Martin"
    accessibility_referent_name = "Alex Dupont"
    accessibility_referent_email = "accessibilite@academie.exemple"


class ClientOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientOrganisation

    name = factory.Sequence(lambda n: "Société %d" % n)

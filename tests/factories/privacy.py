"""Users for each role, and the objects the privacy app holds."""

import functools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from academy.accounts import access as roles
from academy.catalog.models import Lead
from academy.core.models import OutboundEmail
from academy.privacy.models import ClientContact

from .catalog import CourseFactory
from .core import ClientOrganisationFactory

PASSWORD = "correct horse battery staple"


@functools.cache
def password_hash() -> str:
    """The hash of PASSWORD, computed once: Argon2 is deliberately slow."""
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: "user%d" % n)
    email = factory.Sequence(lambda n: "user%d@academie.exemple" % n)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: "Utilisatrice%d" % n)
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=extracted)
            obj.groups.add(group)


def staff_admin(**kwargs):
    return UserFactory(is_staff=True, role=roles.STAFF_ADMIN, **kwargs)


def staff_planner(**kwargs):
    return UserFactory(is_staff=True, role=roles.STAFF_PLANNER, **kwargs)


def trainer_user(**kwargs):
    from .scheduling import TrainerFactory

    user = UserFactory(role=roles.TRAINER, **kwargs)
    TrainerFactory(user=user, email=user.email)
    return user


def client_contact_user(client_organisation=None, **kwargs):
    user = UserFactory(role=roles.CLIENT_CONTACT, **kwargs)
    ClientContact.objects.create(user=user, client_organisation=client_organisation or ClientOrganisationFactory())
    return user


def trainee_user(**kwargs):
    return UserFactory(role=roles.TRAINEE, **kwargs)


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    kind = Lead.Kind.QUOTE
    course = factory.SubFactory(CourseFactory)
    organisation_name = "Société Générale d'Électricité"
    first_name = "Zoë"
    last_name = "Ñúñez-Łukasiewicz"
    email = factory.Sequence(lambda n: "prospect%d@exemple.fr" % n)
    phone = "+33 1 23 45 67 89"
    trainee_count = 4
    message = "Nous aimerions une session dédiée."


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundEmail

    to = factory.Sequence(lambda n: ["destinataire%d@exemple.fr" % n])
    subject = "Votre inscription"
    body_text = "Bonjour,"
    status = OutboundEmail.Status.SENT

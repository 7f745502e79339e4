import datetime

import factory

from academy.catalog.models import Course, Domain, LearningObjective, ProgrammeItem, ProgrammeSection


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    name = "Innovation & Expérimentation"
    slug = "innovation-experimentation"


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: "C%04d" % n)
    title = factory.Sequence(lambda n: "Formation %d" % n)
    domain = factory.SubFactory(DomainFactory)
    format = "Stage pratique"
    level = Course.Level.FUNDAMENTALS
    duration_hours = 7
    duration_days = 1
    split_lectures_pct = 40
    split_practice_pct = 40
    split_discussion_pct = 20
    description = "Une formation."
    audience = "- Chef de projet"
    has_prerequisites = False
    teaching_methods = "Apports théoriques et pratique."
    accessibility = "Nos référent·es sont à votre disposition."
    trainer_profile = "Consultant·es expert·es."
    evaluation_methods = "Auto-positionnement en amont et en aval."
    access_delay = "Inscription jusqu'à 7 jours avant la session."
    price_excl_vat = "950.00"
    status = Course.Status.PUBLISHED
    content_updated_on = datetime.date(2026, 11, 1)


class LearningObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningObjective

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: "Objectif %d" % n)


class ProgrammeSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeSection

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(int)
    title = factory.Sequence(lambda n: "SECTION %d" % n)


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    section = factory.SubFactory(ProgrammeSectionFactory)
    position = factory.Sequence(int)
    text = "Un point du programme"

"""Generate a realistic catalogue at a chosen scale in the configured (PostgreSQL) database.

Scale S: 100 courses, 900 sessions, 10,000 enrolments, 10,000 answers.
Scale L: 10,000 courses, 90,000 sessions, 1,000,000 enrolments, 1,000,000 answers.

The bundled catalogue (the seed course COMNUM among it) is imported first, then generated
courses spread over twelve domains with French Markdown text (accents included), four learning
objectives, three programme sections of three items, nine sessions each (four past, five
upcoming; the seed course has twenty upcoming), enrolments in every session and end-of-course
answers (overall score and recommendation) from trainees of past sessions. Big tables are loaded
with PostgreSQL ``COPY``; the daily satisfaction figures are rebuilt at the end.

Must run in an empty, migrated database (``bench/run.py`` drops and creates it).
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

SCALES = {
    "S": {"courses": 100, "sessions_per_course": 9, "enrolments": 10_000, "answers": 10_000},
    "L": {"courses": 10_000, "sessions_per_course": 9, "enrolments": 1_000_000, "answers": 1_000_000},
}
SEED_UPCOMING_SESSIONS = 20
PAST_SESSIONS = 4

DOMAINS = [
    "Innovation & Expérimentation",
    "Numérique responsable",
    "Données & Intelligence artificielle",
    "Management & Leadership",
    "Communs numériques",
    "Développement logiciel",
    "Sécurité des systèmes d’information",
    "Design & Expérience utilisateur",
    "Agilité & Organisation",
    "Cloud & Infrastructure",
    "Produit & Stratégie",
    "Qualité & Conformité",
]
SUBJECTS = [
    ("Contribuer à Wikipédia", "écrire, sourcer et défendre un article"),
    ("Piloter un produit numérique", "de la découverte à la mise en production"),
    ("Éco-conception de services numériques", "mesurer et réduire l’empreinte"),
    ("Données ouvertes", "publier, documenter et réutiliser"),
    ("Accessibilité numérique", "le RGAA appliqué à vos projets"),
    ("Facilitation d’ateliers", "animer l’intelligence collective"),
    ("Architecture logicielle", "découper, tester, faire évoluer"),
    ("Sécurité applicative", "les dix risques majeurs et leurs parades"),
    ("IA générative au travail", "usages, limites et éthique"),
    ("Gouvernance des données", "rôles, qualité et conformité RGPD"),
    ("Mesure d’impact", "indicateurs utiles et tableaux de bord"),
    ("Logiciels libres", "licences, communautés et modèles économiques"),
]
LEVELS = ["fundamentals", "intermediate", "advanced"]


@dataclass
class Timer:
    started: float = 0.0

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        return False

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def _say(message: str) -> None:
    print("  %s" % message, flush=True)


class _Rendered:
    """Memo of rendered Markdown: generated text repeats, rendering it once is enough."""

    def __init__(self):
        from academy.core.text import render_markdown

        self._render = render_markdown
        self._memo: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if text not in self._memo:
            self._memo[text] = str(self._render(text))
        return self._memo[text]


def _copy(table: str, columns: list[str], rows) -> int:
    """Load ``rows`` (tuples in ``columns`` order) into ``table`` with COPY; return the count."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy("COPY %s (%s) FROM STDIN" % (table, ", ".join(columns))) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _defaults(model) -> dict[str, object]:
    """Column → database value of every non-key column's default (what a new row would hold)."""
    from django.db import connection

    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        default = field.get_default()
        values[field.column] = field.get_db_prep_save(default, connection) if default is not None else None
    return values


def _copy_model(model, rows: list[dict]) -> list[int]:
    """COPY ``rows`` (column → value, the rest defaults) into ``model``'s table; return new ids in order."""
    from django.db import connection

    table = model._meta.db_table
    defaults = _defaults(model)
    columns = list(defaults)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM %s" % table)
        before = cursor.fetchone()[0]
    _copy(table, columns, ((row.get(c, defaults[c]) for c in columns) for row in rows))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM %s WHERE id > %%s ORDER BY id" % table, [before])
        return [r[0] for r in cursor.fetchall()]


def _course_text(n: int, subject: tuple[str, str], domain: str) -> dict[str, str]:
    title, angle = subject
    return {
        "description": (
            "Une formation **%s** pour les équipes qui veulent passer à l’action : %s. "
            "Elle s’appuie sur des cas réels du secteur public et privé, "
            "des communs numériques comme Wikipédia ou OpenStreetMap et des outils libres.\n\n"
            "- Apports théoriques courts\n- Ateliers pratiques en sous-groupes\n- Retours d’expérience"
        )
        % (title.lower(), angle),
        "audience": "- Chef·fe de projet\n- Responsable produit\n- Toute personne curieuse du domaine « %s »" % domain,
        "audience_also": "Élu·es et agent·es des collectivités territoriales.",
        "prerequisites": "Aucun prérequis technique ; une première expérience de projet est un plus.",
        "teaching_methods": "Alternance d’apports, d’**exercices** et de *mises en situation*.",
        "accessibility": "Nos référent·es handicap étudient chaque besoin d’adaptation avec vous.",
        "trainer_profile": "Consultant·es expert·es du domaine, praticien·nes depuis plus de dix ans.",
        "evaluation_methods": "Auto-positionnement en amont et en aval, questionnaire de satisfaction à chaud.",
        "access_delay": "Inscription possible jusqu’à 7 jours avant la session.",
    }


def _make_courses(count: int, rendered: _Rendered) -> list:
    from academy.catalog.models import (
        MARKDOWN_FIELDS,
        Course,
        Domain,
        LearningObjective,
        ProgrammeItem,
        ProgrammeSection,
    )
    from academy.core.text import markdown_to_text, search_key

    domains = []
    for name in DOMAINS:
        slug = "bench-%d" % len(domains)
        domains.append(Domain.objects.get_or_create(name=name, defaults={"slug": slug})[0])
    courses = []
    today = datetime.date.today()
    for n in range(count):
        subject = SUBJECTS[n % len(SUBJECTS)]
        domain = domains[n % len(domains)]
        text = _course_text(n, subject, domain.name)
        course = Course(
            code="B%05d" % n,
            title="%s — niveau %d" % (subject[0], n % 7 + 1),
            subtitle=subject[1].capitalize(),
            domain=domain,
            format="Présentiel ou distanciel",
            level=LEVELS[n % 3],
            duration_hours=Decimal(7 * (n % 3 + 1)),
            duration_days=Decimal(n % 3 + 1),
            split_lectures_pct=40,
            split_practice_pct=40,
            split_discussion_pct=20,
            has_prerequisites=n % 4 != 0,
            price_excl_vat=Decimal(800 + 50 * (n % 20)),
            status=Course.Status.PUBLISHED if n % 20 else Course.Status.DRAFT,
            content_updated_on=today - datetime.timedelta(days=n % 365),
            **text,
        )
        course.rendered_html = {name: rendered(getattr(course, name)) for name in MARKDOWN_FIELDS}
        description = markdown_to_text(course.description)
        course.search_text = search_key(
            " ".join([course.code, course.title, course.subtitle, domain.name, description])
        )
        courses.append(course)
    courses = Course.objects.bulk_create(courses, batch_size=2000)
    objectives, sections = [], []
    for course in courses:
        for position in range(4):
            text = "Savoir %s (étape %d)" % (
                ["identifier", "expérimenter", "évaluer", "transmettre"][position],
                position + 1,
            )
            objectives.append(LearningObjective(course=course, position=position, text=text, text_html=rendered(text)))
        for position in range(3):
            sections.append(ProgrammeSection(course=course, position=position, title="PARTIE %d" % (position + 1)))
    LearningObjective.objects.bulk_create(objectives, batch_size=5000)
    sections = ProgrammeSection.objects.bulk_create(sections, batch_size=5000)
    items = []
    for section in sections:
        for position in range(3):
            kind = "exercise" if position == 2 else "topic"
            text = "Repères et **notions clés** %d\n\n- exemple concret\n- mise en œuvre" % (position + 1)
            items.append(
                ProgrammeItem(section=section, position=position, kind=kind, text=text, text_html=rendered(text))
            )
    ProgrammeItem.objects.bulk_create(items, batch_size=5000)
    return courses


def generate(scale: str, *, seed: int = 14) -> dict[str, int]:
    """Fill the database at ``scale`` ("S" or "L"); return the row counts written."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from academy.catalog.models import Course
    from academy.enrolment.models import Booking, Enrolment
    from academy.evaluation.models import Answer, Question, Questionnaire, Response
    from academy.evaluation.services import rebuild_daily_satisfaction
    from academy.evaluation.services.questionnaires import current_questionnaire
    from academy.scheduling.models import CourseSession, SessionSlot

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL (set DATABASE_URL)"
    sizes = SCALES[scale]
    rng = random.Random(seed)
    rendered = _Rendered()
    counts: dict[str, int] = {}

    with Timer() as t:
        call_command("import_catalogue", verbosity=0)
        bundled = list(Course.objects.all())
        seed_course = Course.objects.get(code="COMNUM")
    _say("bundled catalogue imported (%d courses) in %.1f s" % (len(bundled), t.seconds))

    with Timer() as t, transaction.atomic():
        generated = _make_courses(sizes["courses"] - len(bundled), rendered)
    courses = [seed_course] + [c for c in bundled if c.pk != seed_course.pk] + generated
    counts["courses"] = len(courses)
    _say("%d courses with objectives and programme in %.1f s" % (len(courses), t.seconds))

    now = timezone.now()
    with Timer() as t, transaction.atomic():
        # Sessions: past (completed) then upcoming (open); the seed course has twenty upcoming.
        session_rows, plan = [], []
        for course in courses:
            upcoming = (
                SEED_UPCOMING_SESSIONS if course.pk == seed_course.pk else sizes["sessions_per_course"] - PAST_SESSIONS
            )
            for i in range(PAST_SESSIONS + upcoming):
                past = i < PAST_SESSIONS
                days = -(30 + 45 * i) if past else 10 + 14 * (i - PAST_SESSIONS) + course.pk % 7
                session_rows.append(
                    {
                        "course_id": course.pk,
                        "status": "completed" if past else "open",
                        "venue_address": "12, rue de la Paix\n75002 Paris" if i % 2 else "",
                        "remote_url": "" if i % 2 else "https://visio.exemple.fr/%s-%d" % (course.code, i),
                        "capacity_seats": 12,
                        "price_excl_vat": course.price_excl_vat,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                plan.append((course, past, days))
        session_ids = _copy_model(CourseSession, session_rows)
        counts["sessions"] = len(session_ids)
        slot_rows = []
        for session_id, (_course, _past, days) in zip(session_ids, plan, strict=True):
            day = (now + datetime.timedelta(days=days)).replace(hour=7, minute=0, second=0, microsecond=0)
            slot_rows.append((session_id, day, day + datetime.timedelta(hours=3, minutes=30), ""))
            afternoon = day + datetime.timedelta(hours=5)
            slot_rows.append((session_id, afternoon, afternoon + datetime.timedelta(hours=3, minutes=30), ""))
        counts["slots"] = _copy(
            SessionSlot._meta.db_table, ["course_session_id", "starts_at", "ends_at", "content"], slot_rows
        )
    _say("%d sessions, %d slots in %.1f s" % (counts["sessions"], counts["slots"], t.seconds))

    with Timer() as t, transaction.atomic():
        # Enrolments: half in past sessions (they answer the survey), half in upcoming ones,
        # never more than 11 confirmed per upcoming session (seats left stay visible).
        past_ids = [sid for sid, (_c, past, _d) in zip(session_ids, plan, strict=True) if past]
        upcoming_ids = [sid for sid, (_c, past, _d) in zip(session_ids, plan, strict=True) if not past]
        wanted_past = max(sizes["answers"] // 2, sizes["enrolments"] // 2)
        wanted_upcoming = sizes["enrolments"] - wanted_past
        per_session: list[tuple[int, int, bool]] = []
        for ids, wanted, past in ((past_ids, wanted_past, True), (upcoming_ids, wanted_upcoming, False)):
            base, extra = divmod(wanted, len(ids))
            for index, sid in enumerate(ids):
                n = base + (1 if index < extra else 0)
                if not past:
                    n = min(n, 11)
                per_session.append((sid, n, past))
        booking_rows, booking_plan = [], []
        for sid, n, past in per_session:
            for start in range(0, n, 10):
                booking_rows.append(
                    {
                        "course_session_id": sid,
                        "contact_first_name": "Camille",
                        "contact_last_name": "Lefèvre",
                        "contact_email": "contact-%d-%d@exemple.fr" % (sid, start),
                        "funding": "employer",
                        "terms_accepted_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                booking_plan.append((sid, min(10, n - start), past))
        booking_ids = _copy_model(Booking, booking_rows)
        counts["bookings"] = len(booking_ids)
        enrolment_rows, survey_plan = [], []
        for booking_id, (sid, n, past) in zip(booking_ids, booking_plan, strict=True):
            for i in range(n):
                email = "stagiaire-%d-%d@exemple.fr" % (booking_id, i)
                enrolment_rows.append(
                    {
                        "course_session_id": sid,
                        "booking_id": booking_id,
                        "first_name": rng.choice(["Zoé", "Noël", "Hélène", "François", "Maëlle", "Jérôme"]),
                        "last_name": "Stagiaire %d" % i,
                        "email": email,
                        "email_normalised": email,
                        "status": "confirmed",
                        "confirmed_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                survey_plan.append((sid, past))
        enrolment_ids = _copy_model(Enrolment, enrolment_rows)
        counts["enrolments"] = len(enrolment_ids)
    _say("%d bookings, %d enrolments in %.1f s" % (counts["bookings"], counts["enrolments"], t.seconds))

    with Timer() as t, transaction.atomic():
        # One end-of-course questionnaire per course, copied from the seed course's default one.
        template = current_questionnaire(course=seed_course, kind="end_of_course")
        template_questions = list(template.questions.all())
        questionnaires = Questionnaire.objects.bulk_create(
            [
                Questionnaire(course=course, kind="end_of_course", version=1, is_current=True, title=template.title)
                for course in courses
                if course.pk != seed_course.pk
            ],
            batch_size=5000,
        )
        questionnaire_of = {q.course_id: q.pk for q in questionnaires}
        questionnaire_of[seed_course.pk] = template.pk
        copies = []
        for questionnaire in questionnaires:
            for question in template_questions:
                copy = Question(
                    **{
                        f.attname: getattr(question, f.attname)
                        for f in Question._meta.concrete_fields
                        if not f.primary_key and f.attname != "questionnaire_id"
                    }
                )
                copy.questionnaire_id = questionnaire.pk
                copies.append(copy)
        Question.objects.bulk_create(copies, batch_size=5000)
        keys = {}
        for questionnaire_id, question_id, key in Question.objects.filter(key__in=["overall", "recommend"]).values_list(
            "questionnaire_id", "pk", "key"
        ):
            keys[(questionnaire_id, key)] = question_id
        session_course = {sid: course.pk for sid, (course, _p, _d) in zip(session_ids, plan, strict=True)}
        session_day = {sid: days for sid, (_c, _p, days) in zip(session_ids, plan, strict=True)}
        responders = [(eid, sid) for eid, (sid, past) in zip(enrolment_ids, survey_plan, strict=True) if past][
            : sizes["answers"] // 2
        ]
        response_rows = []
        for eid, sid in responders:
            submitted = now + datetime.timedelta(days=session_day[sid], hours=9)
            response_rows.append(
                {
                    "questionnaire_id": questionnaire_of[session_course[sid]],
                    "kind": "end_of_course",
                    "course_session_id": sid,
                    "enrolment_id": eid,
                    "submitted_at": submitted,
                }
            )
        response_ids = _copy_model(Response, response_rows)
        counts["responses"] = len(response_ids)

        def answers():
            for response_id, row in zip(response_ids, response_rows, strict=True):
                questionnaire_id = row["questionnaire_id"]
                score = rng.choices([5, 4, 3, 2, 1], weights=[55, 30, 10, 3, 2])[0]
                yield (response_id, keys[(questionnaire_id, "overall")], score, None, "")
                yield (response_id, keys[(questionnaire_id, "recommend")], None, score >= 4, "")

        counts["answers"] = _copy(
            Answer._meta.db_table, ["response_id", "question_id", "value_int", "value_bool", "value_text"], answers()
        )
    _say("%d responses, %d answers in %.1f s" % (counts["responses"], counts["answers"], t.seconds))

    with Timer() as t:
        rebuild_daily_satisfaction()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _say("daily satisfaction figures rebuilt and statistics gathered in %.1f s" % t.seconds)
    return counts

"""The catalogue: courses with every item the law asks to be public (Qualiopi indicator 1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from academy.core.models import TimeStampedModel
from academy.core.text import markdown_to_text, render_markdown, search_key

from .querysets import CourseQuerySet

#: Course fields holding Markdown, kept rendered and sanitised in ``Course.rendered_html``.
MARKDOWN_FIELDS = (
    "description",
    "audience",
    "audience_also",
    "prerequisites",
    "teaching_methods",
    "accessibility",
    "trainer_profile",
    "evaluation_methods",
    "access_delay",
)


def _with_derived_fields(update_fields, derived: tuple[str, ...]):
    return None if update_fields is None else list({*update_fields, *derived})


#: The largest group a request may name: far beyond any real request, far below what an integer
#: column holds on every database.
MAX_GROUP_SIZE = 10_000


class Domain(models.Model):
    """A catalogue grouping (domaine), e.g. "Innovation & Expérimentation"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save, and keep the search text of the domain's courses (which holds its name) in step."""
        super().save(*args, **kwargs)
        for course in self.courses.select_related("domain"):
            course.search_text = course.build_search_text()
            Course.objects.filter(pk=course.pk).update(search_text=course.search_text)


#: An NSF speciality code (nomenclature des spécialités de formation, décret 94-522): three digits,
#: optionally followed by the letter of the field of activity (e.g. ``326``, ``326t``).
NSF_CODE_VALIDATOR = RegexValidator(
    r"^[1-4][0-9]{2}[a-z]?$",
    _("An NSF code is three digits from 100 to 499, optionally followed by a letter, e.g. 326 or 326t."),
)


class Course(TimeStampedModel):
    """A catalogue entry (fiche formation), identified by its stable ``code``.

    Free-text fields hold Markdown, rendered then sanitised. The time split is in whole percent
    and totals 100 (database check). Durations are in hours and days.
    """

    class Level(models.TextChoices):
        FUNDAMENTALS = "fundamentals", _("Fundamentals")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class GeneralObjective(models.TextChoices):
        """The general objective of the training (BPF, Cerfa 10443, frame F-3)."""

        RNCP = "rncp", _("Diploma, title or CQP registered in the RNCP")
        SPECIFIC_REGISTER = "specific_register", _("Certification or authorisation registered in the specific register")
        CQP = "cqp", _("CQP registered in neither the RNCP nor the specific register")
        OTHER = "other", _("Other vocational training")
        SKILLS_ASSESSMENT = "skills_assessment", _("Skills assessment")
        VAE = "vae", _("Support towards the validation of prior experience (VAE)")

    #: General objectives a personal training account (CPF) may fund: a certification registered in
    #: the RNCP or the specific register, a skills assessment, VAE support (Code du travail L6323-6).
    CPF_OBJECTIVES = frozenset({"rncp", "specific_register", "skills_assessment", "vae"})

    class QualificationLevel(models.TextChoices):
        """Level of the RNCP qualification a course leads to (cadre national des certifications
        professionnelles, décret 2019-14), as BPF frame F-3 details it."""

        LEVEL_8 = "8", _("Level 8")
        LEVEL_7 = "7", _("Level 7")
        LEVEL_6 = "6", _("Level 6")
        LEVEL_5 = "5", _("Level 5")
        LEVEL_4 = "4", _("Level 4")
        LEVEL_3 = "3", _("Level 3")
        LEVEL_2 = "2", _("Level 2")
        CQP_WITHOUT_LEVEL = "cqp", _("CQP without qualification level")

    code = models.CharField(_("course code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=250)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    domain = models.ForeignKey(Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="courses")
    format = models.CharField(_("format"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    duration_days = models.DecimalField(
        _("duration (days)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    split_lectures_pct = models.PositiveSmallIntegerField(_("lectures (%)"), default=0)
    split_practice_pct = models.PositiveSmallIntegerField(_("practice (%)"), default=0)
    split_discussion_pct = models.PositiveSmallIntegerField(_("discussion (%)"), default=0)
    description = models.TextField(_("description"), blank=True)
    audience = models.TextField(_("target audience"), blank=True)
    audience_also = models.TextField(_("also for"), blank=True)
    has_prerequisites = models.BooleanField(
        _("has prerequisites"), default=True, help_text=_("Untick for an explicit “no prerequisite”.")
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    teaching_methods = models.TextField(_("teaching methods"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    trainer_profile = models.TextField(_("trainer profile"), blank=True)
    evaluation_methods = models.TextField(_("evaluation and follow-up methods"), blank=True)
    access_delay = models.TextField(_("access delay"), blank=True)
    price_excl_vat = models.DecimalField(
        _("price excl. VAT"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    price_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    price_note = models.CharField(_("price note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    general_objective = models.CharField(
        _("general objective"),
        max_length=20,
        choices=GeneralObjective.choices,
        blank=True,
        help_text=_("What the training leads to, as the yearly report (BPF) asks."),
    )
    qualification_level = models.CharField(
        _("qualification level (RNCP)"),
        max_length=3,
        choices=QualificationLevel.choices,
        blank=True,
        help_text=_("For a course leading to a qualification registered in the RNCP."),
    )
    nsf_code = models.CharField(
        _("training speciality (NSF code)"),
        max_length=4,
        blank=True,
        validators=[NSF_CODE_VALIDATOR],
        help_text=_("Code of the nomenclature of training specialities, e.g. 326 (computing), for the BPF."),
    )
    content_updated_on = models.DateField(_("last updated on"), null=True, blank=True)
    source_checksum = models.CharField(
        _("course file checksum"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("SHA-256 of the course file last imported; an unchanged file is not imported again."),
    )

    rendered_html = models.JSONField(
        _("rendered text"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("The Markdown fields rendered and sanitised when the course is saved."),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        editable=False,
        help_text=_("Code, title, subtitle, domain and description without accents nor case, for search."),
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        indexes = [
            # The listing (published courses by title) and the course page's "other courses" block.
            models.Index(fields=["status", "title", "code"], name="course_listing_order"),
            models.Index(fields=["domain", "status", "title"], name="course_domain_listing"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(split_lectures_pct=0, split_practice_pct=0, split_discussion_pct=0)
                | models.Q(
                    models.lookups.Exact(
                        models.F("split_lectures_pct")
                        + models.F("split_practice_pct")
                        + models.F("split_discussion_pct"),
                        100,
                    )
                ),
                name="course_time_split_totals_100",
                violation_error_message=_("The time split must total 100 %."),
            ),
            # Decimal sizes, which PostgreSQL enforces and SQLite does not, so that a backup of
            # either restores into the other.
            models.CheckConstraint(
                condition=models.Q(duration_hours__isnull=True) | models.Q(duration_hours__lt=10**4),
                name="course_duration_hours_fits",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__isnull=True) | models.Q(duration_days__lt=10**3),
                name="course_duration_days_fits",
            ),
            # Money and quantities are never negative, whichever way they are written.
            models.CheckConstraint(
                condition=models.Q(duration_hours__isnull=True) | models.Q(duration_hours__gte=0),
                name="course_duration_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_days__isnull=True) | models.Q(duration_days__gte=0),
                name="course_duration_days_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(price_excl_vat__isnull=True) | models.Q(price_excl_vat__gte=0),
                name="course_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s" % (self.code, self.title)

    def get_absolute_url(self) -> str:
        return reverse("catalog:course_detail", kwargs={"code": self.code})

    def clean(self) -> None:
        """Check the time split totals 100 % (or is left empty), with a message on its fields."""
        super().clean()
        parts = (self.split_lectures_pct or 0, self.split_practice_pct or 0, self.split_discussion_pct or 0)
        if sum(parts) not in (0, 100):
            message = _("The time split must total 100 %% (it totals %(total)s %%).") % {"total": sum(parts)}
            raise ValidationError(
                {"split_lectures_pct": message, "split_practice_pct": message, "split_discussion_pct": message}
            )

    def build_search_text(self) -> str:
        """The folded text searched (see ``academy.core.text.search_key``)."""
        domain = self.domain.name if self.domain_id else ""
        parts = [self.code, self.title, self.subtitle, domain, markdown_to_text(self.description)]
        return search_key(" ".join(part for part in parts if part))

    def refresh_derived(self) -> None:
        """Compute ``rendered_html`` and ``search_text`` from the fields (called by ``save``)."""
        self.rendered_html = {name: str(render_markdown(getattr(self, name))) for name in MARKDOWN_FIELDS}
        self.search_text = self.build_search_text()

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived()
        kwargs["update_fields"] = _with_derived_fields(kwargs.get("update_fields"), ("rendered_html", "search_text"))
        super().save(*args, **kwargs)

    @property
    def cpf_excluded(self) -> bool:
        """True when the course's stated general objective is one the CPF cannot fund (Code du
        travail L6323-6); a course whose objective is not stated yet is not excluded."""
        return bool(self.general_objective) and self.general_objective not in self.CPF_OBJECTIVES

    @property
    def html(self) -> dict[str, SafeString]:
        """The Markdown fields as sanitised HTML, by field name (rendered when saved)."""
        stored = self.rendered_html or {}
        return {
            name: mark_safe(stored[name]) if name in stored else render_markdown(getattr(self, name))  # noqa: S308 — sanitised with nh3 when saved
            for name in MARKDOWN_FIELDS
        }

    @property
    def has_time_split(self) -> bool:
        return bool(self.split_lectures_pct or self.split_practice_pct or self.split_discussion_pct)


class LearningObjective(models.Model):
    """One learning objective (objectif pédagogique), ordered by ``position``."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="objectives")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("objective"))
    text_html = models.TextField(_("rendered objective"), blank=True, editable=False)

    class Meta:
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        self.text_html = str(render_markdown(self.text))
        kwargs["update_fields"] = _with_derived_fields(kwargs.get("update_fields"), ("text_html",))
        super().save(*args, **kwargs)

    @property
    def html(self) -> SafeString:
        """``text`` as sanitised HTML (rendered when saved)."""
        return mark_safe(self.text_html) if self.text_html or not self.text else render_markdown(self.text)  # noqa: S308


class ProgrammeSection(models.Model):
    """A section of the detailed programme, ordered by ``position``."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("programme section")
        verbose_name_plural = _("programme sections")
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgrammeItem(models.Model):
    """An item of a programme section: a topic (Markdown, may hold a sub-list) or a practical exercise."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        EXERCISE = "exercise", _("Practical exercise")

    section = models.ForeignKey(ProgrammeSection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    text = models.TextField(_("text"))
    text_html = models.TextField(_("rendered text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["section", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs) -> None:
        self.text_html = str(render_markdown(self.text))
        kwargs["update_fields"] = _with_derived_fields(kwargs.get("update_fields"), ("text_html",))
        super().save(*args, **kwargs)

    @property
    def html(self) -> SafeString:
        """``text`` as sanitised HTML (rendered when saved)."""
        return mark_safe(self.text_html) if self.text_html or not self.text else render_markdown(self.text)  # noqa: S308


class Lead(TimeStampedModel):
    """A request from the public about a course: quote for a dedicated session, customisation,
    or an interest signal when no session is scheduled (signalement de besoin)."""

    class Kind(models.TextChoices):
        QUOTE = "quote", _("Quote request")
        CUSTOMISATION = "customisation", _("Customisation request")
        INTEREST = "interest", _("Interest signal")
        CONTACT = "contact", _("Contact")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        QUOTED = "quoted", _("Quoted")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    trainee_count = models.PositiveIntegerField(
        _("number of trainees"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GROUP_SIZE)],
    )
    wished_period = models.CharField(_("wished period"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trainee_count__isnull=True)
                | models.Q(trainee_count__gte=1, trainee_count__lte=MAX_GROUP_SIZE),
                name="lead_trainee_count_in_range",
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s %s" % (self.get_kind_display(), self.first_name, self.last_name)


class CourseResource(models.Model):
    """A teaching resource of a course: a file or a link, for trainers and trainees (Qualiopi indicator 19)."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        HANDOUT = "handout", _("Handout")
        EXERCISE = "exercise", _("Exercise")
        TOOL = "tool", _("Tool or software")
        READING = "reading", _("Further reading")
        OTHER = "other", _("Other resource")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HANDOUT)
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="courses/resources/", blank=True)
    url = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    for_trainees = models.BooleanField(_("given to trainees"), default=True)
    updated_on = models.DateField(_("last reviewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("course resource")
        verbose_name_plural = _("course resources")
        ordering = ["course", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class CoursePageSnapshot(models.Model):
    """The public page of a course as an anonymous visitor saw it at ``taken_at`` (Qualiopi indicator 1).

    ``html`` is the page in ``language`` with per-visitor parts left as placeholders (CSRF token,
    consent banner); ``sha256`` is the hex digest of ``html`` (UTF-8). A snapshot is taken when
    something the page shows changes and only when the page differs from the course's latest
    snapshot in that language. Never edited: evidence of what was published.
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="page_snapshots"
    )
    taken_at = models.DateTimeField(_("taken at"), db_index=True)
    language = models.CharField(_("language"), max_length=10)
    html = models.TextField(_("HTML of the page"))
    sha256 = models.CharField(_("SHA-256 of the page"), max_length=64)

    class Meta:
        verbose_name = _("course page snapshot")
        verbose_name_plural = _("course page snapshots")
        ordering = ["course", "language", "-taken_at", "-pk"]
        indexes = [models.Index(fields=["course", "language", "taken_at"], name="catalog_snapshot_course_lang")]

    def __str__(self) -> str:
        return "%s — %s — %s" % (self.course.code, self.language, self.taken_at.isoformat(timespec="seconds"))

"""Scheduling: sessions of a course and their half-day slots."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.catalog.models import Course
from academy.core.models import ClientOrganisation, TimeStampedModel
from academy.core.numbers import round_half_up

from .querysets import DEFAULT_TIMEZONE, CourseSessionQuerySet, enrolment_deadline_passed

#: Purpose of the signed token in an in-company session's calendar link.
PRIVATE_CALENDAR_PURPOSE = "session-calendar"
#: The most seats a session may offer: beyond any room or webinar, within every database's integers.
MAX_CAPACITY_SEATS = 1_000
#: Half-days are dated from this day on, and at most this many years ahead of today: beyond, a
#: date is a typing mistake (and near year 1 or 9999 no calendar or timezone can show it).
EARLIEST_SLOT_DAY = datetime.date(2000, 1, 1)
MAX_SLOT_YEARS_AHEAD = 10
#: A language code (ISO 639, optionally with a region or script subtag: "fr", "en", "pt-BR").
LANGUAGE_CODE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def latest_slot_day() -> datetime.date:
    """The last day a half-day may be dated: ``MAX_SLOT_YEARS_AHEAD`` years after today."""
    from django.utils import timezone

    today = timezone.localdate()
    try:
        return today.replace(year=today.year + MAX_SLOT_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_SLOT_YEARS_AHEAD, day=28)


def slot_day_problem(day: datetime.date) -> str | None:
    """Why a half-day cannot be dated ``day`` (too early or too far ahead), or ``None``."""
    latest = latest_slot_day()
    if EARLIEST_SLOT_DAY <= day <= latest:
        return None
    return str(
        _("Date a half-day between %(earliest)s and %(latest)s (at most %(years)d years ahead).")
        % {"earliest": EARLIEST_SLOT_DAY.isoformat(), "latest": latest.isoformat(), "years": MAX_SLOT_YEARS_AHEAD}
    )


def validate_timezone(value: str) -> None:
    """Refuse a name that is not an IANA timezone (e.g. "Europe/Paris")."""
    from django.core.exceptions import ValidationError

    if value not in available_timezones():
        raise ValidationError(_("“%(value)s” is not a known timezone, e.g. Europe/Paris."), params={"value": value})


class Trainer(TimeStampedModel):
    """A person who delivers sessions (formateur / formatrice); may have a staff account.

    ``employment`` separates the organisation's own staff from people outside it, as the yearly
    report asks (BPF, Cerfa 10443, frame F) and as Qualiopi indicator 27 needs for subcontracting.
    """

    class Employment(models.TextChoices):
        INTERNAL = "internal", _("Internal (employee of the organisation)")
        EXTERNAL = "external", _("External (independent or subcontracted)")

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"), unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer",
    )
    employment = models.CharField(
        _("employment"), max_length=16, choices=Employment.choices, default=Employment.INTERNAL
    )
    # Profile: Qualiopi indicators 17 and 21 (skills of the people delivering), 22 (their training).
    skills = models.TextField(_("skills"), blank=True, help_text=_("Fields and subjects the trainer masters."))
    qualifications = models.TextField(
        _("qualifications"), blank=True, help_text=_("Diplomas, certifications, professional experience.")
    )
    cv = models.FileField(_("CV"), upload_to="trainers/cv/", blank=True)
    availability = models.TextField(
        _("availability"), blank=True, help_text=_("Days or periods the trainer can deliver sessions.")
    )
    subcontracting_agreement = models.FileField(
        _("subcontracting agreement"),
        upload_to="trainers/subcontracting/",
        blank=True,
        help_text=_("For an external trainer: the signed subcontracting agreement (Qualiopi indicator 27)."),
    )
    subcontracting_agreement_signed_on = models.DateField(
        _("subcontracting agreement signed on"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return "%s %s" % (self.first_name, self.last_name)

    @property
    def full_name(self) -> str:
        return "%s %s" % (self.first_name, self.last_name)

    def profile_gaps(self) -> list[str]:
        """Return what the trainer's file lacks for an audit, each a translated label ([] when complete).

        Qualiopi indicators 21 (skills, qualifications, CV) and 27 (an external trainer's
        subcontracting agreement).
        """
        gaps = []
        if not self.skills.strip():
            gaps.append(str(_("skills")))
        if not self.qualifications.strip():
            gaps.append(str(_("qualifications")))
        if not self.cv:
            gaps.append(str(_("CV")))
        if self.employment == self.Employment.EXTERNAL and not self.subcontracting_agreement:
            gaps.append(str(_("subcontracting agreement")))
        return gaps


class TrainerTraining(models.Model):
    """A training the trainer followed, with its date and evidence (Qualiopi indicator 22)."""

    trainer = models.ForeignKey(Trainer, verbose_name=_("trainer"), on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("title"), max_length=250)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="trainers/trainings/", blank=True)

    class Meta:
        verbose_name = _("training followed")
        verbose_name_plural = _("trainings followed")
        ordering = ["trainer", "-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gte=0),
                name="trainer_training_hours_not_negative",
            )
        ]

    def __str__(self) -> str:
        return "%s (%s)" % (self.title, self.completed_on)


class CourseSession(TimeStampedModel):
    """One scheduled delivery of a course (session), with capacity, price and half-day slots.

    Slots store aware UTC datetimes; they are shown and classified (morning/afternoon) in
    ``timezone``, Europe/Paris by default.
    """

    class Kind(models.TextChoices):
        INTER_COMPANY = "inter_company", _("Inter-company session")
        IN_COMPANY = "in_company", _("In-company session")

    class Subcontracting(models.TextChoices):
        """Whether another training organisation is party to the delivery (BPF frame F-2, Qualiopi 27)."""

        NONE = "none", _("Delivered by the organisation on its own account")
        RECEIVED = "received", _("Entrusted to the organisation by another training organisation")
        GIVEN = "given", _("Entrusted by the organisation to another training organisation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for enrolment")
        FULL = "full", _("Full")
        CLOSED = "closed", _("Enrolment closed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="course_sessions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTER_COMPANY)
    client_organisation = models.ForeignKey(
        ClientOrganisation,
        verbose_name=_("client organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_sessions",
    )
    timezone = models.CharField(_("timezone"), max_length=64, default="Europe/Paris", validators=[validate_timezone])
    venue_address = models.TextField(_("venue address"), blank=True)
    remote_url = models.URLField(_("remote link"), blank=True)
    capacity_seats = models.PositiveIntegerField(
        _("capacity (seats)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY_SEATS)],
    )
    price_excl_vat = models.DecimalField(
        _("price per trainee excl. VAT"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    vat_rate_pct = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    language = models.CharField(_("language"), max_length=10, default="fr")
    trainers = models.ManyToManyField(Trainer, verbose_name=_("trainers"), blank=True, related_name="course_sessions")
    enrolment_deadline = models.DateField(_("enrolment deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    joining_instructions = models.TextField(
        _("joining instructions"),
        blank=True,
        help_text=_("Practical information sent with the joining instructions: access, what to bring… (Markdown)."),
    )
    subcontracting = models.CharField(
        _("subcontracting"), max_length=10, choices=Subcontracting.choices, default=Subcontracting.NONE
    )
    subcontracting_partner = models.CharField(
        _("other training organisation"),
        max_length=200,
        blank=True,
        help_text=_("The organisation that entrusted the session to us, or to which we entrusted it."),
    )

    #: Statuses on which the public may enrol (a full session takes enrolments on its waiting list).
    ENROLLING_STATUSES = (Status.OPEN, Status.FULL)

    objects = CourseSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity_seats__gte=1), name="session_capacity_positive"),
            # The same bound on SQLite as on PostgreSQL, so that a backup of either restores into the other.
            models.CheckConstraint(
                condition=models.Q(capacity_seats__lte=MAX_CAPACITY_SEATS), name="session_capacity_at_most_max"
            ),
            # Money is never negative, whichever way it is written (admin, import, restore).
            models.CheckConstraint(
                condition=models.Q(price_excl_vat__isnull=True) | models.Q(price_excl_vat__gte=0),
                name="session_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(vat_rate_pct__gte=0, vat_rate_pct__lte=100), name="session_vat_rate_in_range"
            ),
        ]

    def __str__(self) -> str:
        return "%s #%s" % (self.course.code, self.pk)

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or DEFAULT_TIMEZONE)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.subcontracting != self.Subcontracting.NONE and not self.subcontracting_partner.strip():
            errors["subcontracting_partner"] = _("Name the other training organisation.")
        if self.kind == self.Kind.IN_COMPANY and not self.client_organisation_id:
            errors["client_organisation"] = _("An in-company session is run for one client organisation: choose it.")
        if self.status in self.ENROLLING_STATUSES and not (self.venue_address or self.remote_url):
            errors["venue_address"] = _("Give a venue address, a remote link, or both, before opening enrolment.")
        if (
            self.kind == self.Kind.INTER_COMPANY
            and self.status in self.ENROLLING_STATUSES
            and self.course_id
            and self.course.status != self.course.Status.PUBLISHED
        ):
            errors["status"] = _(
                "The course %(code)s is not published: publish it before opening enrolment on its sessions."
            ) % {"code": self.course.code}
        import re

        from academy.core.validators import validate_multi_line_text

        # Text the public sees on the session page and in calendars: no control characters.
        for name in ("venue_address", "joining_instructions"):
            try:
                validate_multi_line_text(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc.messages
        if not re.fullmatch(LANGUAGE_CODE_PATTERN, self.language or ""):
            errors["language"] = _("Type a language code such as “fr” or “en”.")
        from .capacity import capacity_errors

        errors.update(capacity_errors(self))
        if errors:
            raise ValidationError(errors)

    def calendar_url(self) -> str:
        """Path of this session's .ics: by id for an inter-company session, which is public;
        behind a signed link for an in-company session, whose dates and place are its client's
        business and must not be found by counting ids."""
        from django.urls import reverse

        if self.kind == self.Kind.INTER_COMPANY:
            return reverse("scheduling:session_ics", kwargs={"pk": self.pk})
        from academy.core.tokens import make_token

        token = make_token(PRIVATE_CALENDAR_PURPOSE, {"s": self.pk})
        return reverse("scheduling:private_session_ics", kwargs={"token": token})

    # Slots and dates -------------------------------------------------------------------------

    def ordered_slots(self) -> list[SessionSlot]:
        """Slots in start order; uses prefetched slots when present (no extra query)."""
        return sorted(self.slots.all(), key=lambda s: s.starts_at)

    @property
    def starts_at(self) -> datetime.datetime | None:
        """Start of the first slot (aware UTC), from the ``first_starts_at`` annotation when present."""
        if hasattr(self, "first_starts_at"):
            return self.first_starts_at
        slots = self.ordered_slots()
        return slots[0].starts_at if slots else None

    @property
    def ends_at(self) -> datetime.datetime | None:
        """End of the last slot (aware UTC), from the ``last_ends_at`` annotation when present."""
        if hasattr(self, "last_ends_at"):
            return self.last_ends_at
        slots = self.ordered_slots()
        return max(s.ends_at for s in slots) if slots else None

    def local_days(self) -> list[dict]:
        """Days of the session in its timezone: ``[{"date": date, "slots": [SessionSlot, …]}, …]``."""
        days: dict[datetime.date, list] = {}
        for slot in self.ordered_slots():
            days.setdefault(slot.local_start.date(), []).append(slot)
        return [{"date": day, "slots": slots} for day, slots in sorted(days.items())]

    @property
    def duration_hours(self) -> Decimal:
        """Total of the slots' durations, in hours."""
        return sum((slot.duration_hours for slot in self.slots.all()), Decimal(0))

    @property
    def is_remote_only(self) -> bool:
        return bool(self.remote_url) and not self.venue_address

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        from django.utils import timezone

        starts_at = self.starts_at
        return starts_at is not None and starts_at <= (now or timezone.now())

    # Enrolment window ------------------------------------------------------------------------

    def enrolment_closed_reason(self, now: datetime.datetime | None = None) -> str | None:
        """Why the public may not enrol on this session at ``now`` (aware; default now), or None when it may.

        The one rule of "open for enrolment", which ``CourseSession.objects.open_for_enrolment()``
        applies in a query. Reasons, checked in this order: ``"reserved"`` (an in-company
        session), ``"unpublished"`` (its course is not published: the public cannot see it),
        ``"status"`` (neither open nor full), ``"started"`` (no slot yet, or the first
        slot has begun), ``"deadline"`` (after the end of the enrolment deadline day in the
        session's timezone).
        """
        from django.utils import timezone

        now = now or timezone.now()
        if self.kind != self.Kind.INTER_COMPANY:
            return "reserved"
        if self.course.status != self.course.Status.PUBLISHED:
            return "unpublished"
        if self.status not in self.ENROLLING_STATUSES:
            return "status"
        if self.starts_at is None or self.has_started(now):
            return "started"
        if enrolment_deadline_passed(self.enrolment_deadline, self.timezone, now):
            return "deadline"
        return None

    # Price ----------------------------------------------------------------------------------

    @property
    def price_incl_vat(self) -> Decimal | None:
        """Price per trainee including VAT, rounded half-up to the cent."""
        if self.price_excl_vat is None:
            return None
        return round_half_up(Decimal(self.price_excl_vat) * (1 + Decimal(self.vat_rate_pct) / 100), 2)


class SessionSlot(models.Model):
    """A half-day slot (demi-journée): the unit of attendance. Times are aware, stored in UTC."""

    course_session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    content = models.CharField(_("content"), max_length=300, blank=True)
    # RFC 5545 SEQUENCE and LAST-MODIFIED of the slot's calendar event: raised whenever what a
    # calendar shows of it changes (its times, its content, or its session's place or status).
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    #: Fields whose change a calendar must see (a new SEQUENCE).
    CALENDAR_FIELDS = ("starts_at", "ends_at", "content")

    class Meta:
        verbose_name = _("half-day slot")
        verbose_name_plural = _("half-day slots")
        ordering = ["course_session", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
            models.UniqueConstraint(fields=["course_session", "starts_at"], name="slot_unique_start"),
        ]

    def __str__(self) -> str:
        local = self.local_start
        return "%s %s" % (local.strftime("%Y-%m-%d %H:%M"), self.half_day_label)

    def save(self, *args, **kwargs):
        """Save; a change of ``CALENDAR_FIELDS`` raises ``sequence`` by one (RFC 5545 3.8.7.4)."""
        if not self._state.adding and self.pk is not None:
            before = type(self).objects.filter(pk=self.pk).values(*self.CALENDAR_FIELDS).first()
            if before and any(before[name] != getattr(self, name) for name in self.CALENDAR_FIELDS):
                self.sequence += 1
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "sequence", "updated_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Refuse a half-day dated before ``EARLIEST_SLOT_DAY`` or more than ``MAX_SLOT_YEARS_AHEAD`` years ahead."""
        from django.core.exceptions import ValidationError

        for moment in (self.starts_at, self.ends_at):
            if moment is None:
                continue
            problem = slot_day_problem(moment.date())
            if problem:
                raise ValidationError(problem, code="slot_day_out_of_range")

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.course_session.tzinfo)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.course_session.tzinfo)

    @property
    def is_morning(self) -> bool:
        """True when the slot starts before 13:00 in the session's timezone (a local-time notion, FC-03)."""
        return self.local_start.hour < 13

    @property
    def half_day_label(self) -> str:
        return str(_("morning") if self.is_morning else _("afternoon"))

    @property
    def duration_hours(self):
        from decimal import Decimal

        return Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)

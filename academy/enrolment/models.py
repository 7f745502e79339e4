"""Enrolment: a contact's booking of one or more trainees on a session, and the waiting list."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from academy.core.models import ClientOrganisation, TimeStampedModel
from academy.core.notifications import ERASED_DOMAIN, is_erased_address
from academy.scheduling.models import CourseSession

#: Filter for enrolments still tied to a person: periodic e-mails and personal links skip the others.
NOT_ERASED = ~models.Q(email_normalised__endswith="@" + ERASED_DOMAIN)


class Booking(TimeStampedModel):
    """One submission of the enrolment form by a contact, for themself or for several trainees.

    Carries who pays (funding) and what the contact chose when the group exceeds the seats left.
    """

    class Funding(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        OPCO = "opco", _("OPCO")
        CPF = "cpf", _("CPF (Mon Compte Formation)")
        PERSONAL = "personal", _("Personal")
        PUBLIC_FUNDER = "public_funder", _("Public funder")
        OTHER = "other", pgettext_lazy("funding", "Other")

    class OverflowPolicy(models.TextChoices):
        WAITLIST_REST = "waitlist_rest", _("Confirm the seats left, put the others on the waiting list")
        ALL_OR_NOTHING = "all_or_nothing", _("Put the whole group on the waiting list")
        REFUSE = "refuse", _("Do not enrol anyone unless the whole group can be confirmed")

    course_session = models.ForeignKey(
        CourseSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="bookings"
    )
    client_organisation = models.ForeignKey(
        ClientOrganisation,
        verbose_name=_("client organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    contact_first_name = models.CharField(_("contact first name"), max_length=150)
    contact_last_name = models.CharField(_("contact last name"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    funder_name = models.CharField(_("funder name (OPCO…)"), max_length=200, blank=True)
    overflow_policy = models.CharField(
        _("if the group exceeds the seats left"),
        max_length=20,
        choices=OverflowPolicy.choices,
        default=OverflowPolicy.WAITLIST_REST,
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"))
    language = models.CharField(_("language"), max_length=10, default="fr")
    submission_key = models.UUIDField(
        _("submission key"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Identifies one displayed form, so that submitting it twice stores one booking."),
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "%s %s (%s)" % (self.contact_first_name, self.contact_last_name, self.course_session)

    @property
    def is_erased(self) -> bool:
        """True once the contact's data was erased (GDPR art. 17): the booking page link no longer opens."""
        return is_erased_address(self.contact_email)


class TraineeCategory(models.TextChoices):
    """Who the trainee is, as the yearly report counts them (BPF, Cerfa 10443, frame F-1)."""

    PRIVATE_EMPLOYEE = "private_employee", _("Employee of a private employer")
    APPRENTICE = "apprentice", _("Apprentice")
    JOB_SEEKER = "job_seeker", _("Job seeker")
    INDIVIDUAL = "individual", _("Individual paying for themself")
    PUBLIC_EMPLOYEE = "public_employee", _("Public employee")
    OTHER = "other", pgettext_lazy("trainee category", "Other")


class DropoutReason(models.TextChoices):
    """Why a trainee stopped before the end (Qualiopi indicator 12, prevention of drop-outs)."""

    HEALTH = "health", _("Health")
    WORK = "work", _("Work constraints")
    PERSONAL = "personal", _("Personal reasons")
    CONTENT = "content", _("Course not matching the need")
    OTHER = "other", pgettext_lazy("reason", "Other")


class Enrolment(TimeStampedModel):
    """A trainee's place on a session (inscription), confirmed or on the waiting list.

    Invariants held by the database: one live enrolment per (session, normalised e-mail) (FC-02);
    confirmed enrolments never exceed the session's capacity, guaranteed by the services that lock
    the session row when seats change (FC-01).
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Seat offered, awaiting confirmation")
        CANCELLED = "cancelled", _("Cancelled")

    course_session = models.ForeignKey(
        CourseSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="enrolments"
    )
    booking = models.ForeignKey(Booking, verbose_name=_("booking"), on_delete=models.PROTECT, related_name="enrolments")
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    email_normalised = models.CharField(_("normalised e-mail"), max_length=254, editable=False)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    trainee_category = models.CharField(
        _("trainee category"),
        max_length=20,
        choices=TraineeCategory.choices,
        blank=True,
        help_text=_("Asked on the enrolment form; counted in the yearly report (BPF)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    joining_instructions_sent_at = models.DateTimeField(_("joining instructions sent at"), null=True, blank=True)
    # Needs analysis at enrolment (Qualiopi indicator 4), shown to the trainer before the session.
    work_context = models.TextField(
        _("professional context"),
        blank=True,
        help_text=_("The trainee's job, situation and what brings them to this course."),
    )
    expectations = models.TextField(
        _("expectations"), blank=True, help_text=_("What the trainee expects to be able to do.")
    )
    # Engagement (Qualiopi indicator 12): a drop-out ends the trainee's course without cancelling the enrolment.
    dropped_out_at = models.DateTimeField(_("dropped out at"), null=True, blank=True)
    dropout_reason = models.CharField(_("drop-out reason"), max_length=20, choices=DropoutReason.choices, blank=True)
    dropout_detail = models.TextField(_("drop-out details"), blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course_session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_session", "email_normalised"],
                condition=~models.Q(status="cancelled"),
                name="enrolment_one_live_per_person_and_session",
                violation_error_message=_("This person is already enrolled on this session."),
            ),
        ]
        indexes = [models.Index(fields=["course_session", "status"])]

    def __str__(self) -> str:
        return "%s %s — %s" % (self.first_name, self.last_name, self.course_session)

    @property
    def full_name(self) -> str:
        return "%s %s" % (self.first_name, self.last_name)

    @property
    def is_erased(self) -> bool:
        """True once the person's data was erased (GDPR art. 17): nothing is sent to it, no link opens."""
        return is_erased_address(self.email_normalised or self.email)

    @property
    def holds_seat(self) -> bool:
        """True while this enrolment holds one of its session's seats (see ``academy.enrolment.seats``)."""
        from .seats import SEAT_HOLDING_STATUSES

        return self.status in SEAT_HOLDING_STATUSES

    # Transitions: each sets the status and its timestamps and saves those fields only. The
    # services around them hold the session lock, queue the e-mails and write the audit events.

    def offer(self, *, now: datetime.datetime, expires_at: datetime.datetime) -> None:
        """Offer a freed seat to this waiting-list entry until ``expires_at`` (aware UTC)."""
        self.status = self.Status.OFFERED
        self.offer_expires_at = expires_at
        self.save(update_fields=["status", "offer_expires_at", "updated_at"])

    def confirm(self, *, now: datetime.datetime) -> None:
        """Confirm this enrolment at ``now`` (aware UTC); an offer it held is used up."""
        self.status = self.Status.CONFIRMED
        self.confirmed_at = now
        self.offer_expires_at = None
        self.save(update_fields=["status", "confirmed_at", "offer_expires_at", "updated_at"])

    def cancel(self, *, now: datetime.datetime, reason: str = "") -> None:
        """Cancel this enrolment at ``now`` (aware UTC) with ``reason``; an offer it held lapses."""
        self.status = self.Status.CANCELLED
        self.cancelled_at = now
        self.cancellation_reason = str(reason).strip()
        self.offer_expires_at = None
        self.save(update_fields=["status", "cancelled_at", "cancellation_reason", "offer_expires_at", "updated_at"])

    @property
    def has_needs_analysis(self) -> bool:
        """True when the trainee's context or expectations were captured (Qualiopi indicator 4)."""
        return bool(self.work_context.strip() or self.expectations.strip())

    def save(self, *args, **kwargs) -> None:
        from academy.core.text import normalise_email

        self.email = (self.email or "").strip()
        self.email_normalised = normalise_email(self.email)
        super().save(*args, **kwargs)


class Adaptation(TimeStampedModel):
    """An adaptation asked for one trainee and what was decided, by whom (Qualiopi indicators 10 and 26).

    ``decision`` stays empty while the request waits; ``decided_by`` and ``decided_at`` are set
    together with it (database check).
    """

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="adaptations"
    )
    requested = models.TextField(_("what was asked"))
    decision = models.TextField(_("what was decided"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")
        ordering = ["enrolment", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(decided_at__isnull=False),
                name="adaptation_decision_is_dated",
                violation_error_message=_("A decision needs its date."),
            ),
        ]

    def __str__(self) -> str:
        return "%s — %s" % (self.enrolment.full_name, self.requested[:60])

    @property
    def is_decided(self) -> bool:
        return bool(self.decision.strip())

"""Commerce records: the organisation's versioned terms of sale and internal rules, and which
versions each booking accepted."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from academy.core.models import TimeStampedModel
from academy.enrolment.models import Booking


class TermsDocument(TimeStampedModel):
    """One version of the terms of sale (CGV) or of the internal rules (règlement intérieur).

    A draft may be edited; once published it is immutable, and a change is a new version
    (Code de la consommation L111-1 / L221-5 for the terms a buyer accepted; Code du travail
    L6352-3 to L6352-5 for the internal rules given to trainees before the session).
    """

    class Kind(models.TextChoices):
        TERMS_OF_SALE = "terms_of_sale", _("Terms of sale")
        INTERNAL_RULES = "internal_rules", _("Internal rules")

    #: Fields frozen once the version is published.
    FROZEN_FIELDS = ("kind", "version", "title", "body", "effective_date")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    effective_date = models.DateField(_("effective date"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("terms document")
        verbose_name_plural = _("terms documents")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="commerce_terms_one_kind_version"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="commerce_terms_version_positive"),
        ]

    def __str__(self):
        return "%s v%d" % (self.get_kind_display(), self.version)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def save(self, *args, **kwargs):
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS, "published_at").first()
            if stored and stored["published_at"] is not None:
                changed = [name for name in self.FROZEN_FIELDS if stored[name] != getattr(self, name)]
                if changed or self.published_at != stored["published_at"]:
                    raise ValidationError(
                        _("Version %(version)d is published and cannot change: create a new version."),
                        params={"version": stored["version"]},
                        code="published",
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise ValidationError(
                _("Version %(version)d is published and cannot be deleted."),
                params={"version": self.version},
                code="published",
            )
        return super().delete(*args, **kwargs)


class TermsAcceptance(models.Model):
    """The versions of the terms of sale and internal rules in force when a booking was made.

    Written in the booking's own transaction (``academy.enrolment.signals.booking_created``), so
    a booking never exists without the record of what its contact accepted.
    """

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="terms_acceptance", verbose_name=_("booking")
    )
    terms_of_sale = models.ForeignKey(
        TermsDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("terms of sale accepted"),
    )
    internal_rules = models.ForeignKey(
        TermsDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("internal rules given"),
    )
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("terms acceptance")
        verbose_name_plural = _("terms acceptances")

    def __str__(self):
        return "%s — %s" % (self.booking_id, self.terms_of_sale or "—")


class FundingType(models.TextChoices):
    """Where the money of a sale comes from, as the yearly report sorts income (BPF, Cerfa 10443,
    frame C, lines 1 to 11). Each value names its line in ``academy.compliance.bpf``."""

    EMPLOYER = "employer", _("Employer, for the training of its employees")
    OPCO_APPRENTICESHIP = "opco_apprenticeship", _("OPCO: apprenticeship contract")
    OPCO_PROFESSIONALISATION = "opco_professionalisation", _("OPCO: professionalisation contract")
    OPCO_PRO_A = "opco_pro_a", _("OPCO: promotion or retraining by work-study (Pro-A)")
    TRANSITION = "transition", _("Career transition project (PTP)")
    CPF = "cpf", _("Personal training account (CPF)")
    OPCO_JOB_SEEKERS = "opco_job_seekers", _("Fund scheme for job seekers")
    OPCO_SELF_EMPLOYED = "opco_self_employed", _("Fund scheme for self-employed workers")
    OPCO_SKILLS_PLAN = "opco_skills_plan", _("OPCO: skills development plan or other scheme")
    PUBLIC_EMPLOYER = "public_employer", _("Public employer, for the training of its employees")
    EUROPEAN_UNION = "european_union", _("European bodies")
    STATE = "state", _("State")
    REGION = "region", _("Regional council")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    OTHER_PUBLIC = "other_public", _("Other public funds")
    INDIVIDUAL = "individual", _("Individual paying for themself")
    TRAINING_ORGANISATION = "training_organisation", _("Other training organisation (we are its subcontractor)")
    OTHER = "other", pgettext_lazy("funding type", "Other income from vocational training")


class FundingLine(TimeStampedModel):
    """Who pays how much of one booking (or of one of its trainees), excluding VAT.

    The lines of a booking add up to its price excluding VAT (``funding.set_funding`` checks it).
    An OPCO line carries the funding agreement number (accord de prise en charge) and whether
    the OPCO pays the organisation directly (subrogation de paiement).
    """

    class PayerKind(models.TextChoices):
        CLIENT = "client", _("Employer (client organisation)")
        OPCO = "opco", _("OPCO")
        PERSON = "person", _("The person")
        PUBLIC = "public", _("Public funder")

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="funding_lines", verbose_name=_("booking")
    )
    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="funding_lines",
        verbose_name=_("trainee (when the line is for one trainee)"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    payer_kind = models.CharField(_("payer"), max_length=10, choices=PayerKind.choices)
    payer_name = models.CharField(_("payer name"), max_length=200)
    client_organisation = models.ForeignKey(
        "core.ClientOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("client organisation"),
    )
    email = models.EmailField(_("billing e-mail"), blank=True)
    address = models.TextField(_("billing address"), blank=True)
    agreement_number = models.CharField(_("funding agreement number"), max_length=60, blank=True)
    amount_excl_vat = models.DecimalField(_("amount excl. VAT"), max_digits=10, decimal_places=2)
    direct_payment = models.BooleanField(_("direct payment (subrogation)"), default=False)
    funding_type = models.CharField(
        _("funding type"),
        max_length=30,
        choices=FundingType.choices,
        blank=True,
        help_text=_("The scheme that pays, as the yearly report (BPF) sorts income."),
    )

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["booking", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_excl_vat__gt=0), name="commerce_funding_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(direct_payment=False) | models.Q(payer_kind="opco"),
                name="commerce_funding_direct_payment_opco_only",
            ),
        ]

    def __str__(self):
        return "%s — %s %s" % (self.get_payer_kind_display(), self.payer_name, self.amount_excl_vat)


class Quote(TimeStampedModel):
    """A priced offer (devis) to a client, from a lead or from scratch.

    Editable while a draft; once issued it never changes (``quotes.issue``): a revision is a new
    quote that ``revises`` the old one.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Replaced by a revision")

    reference = models.CharField(_("reference"), max_length=20, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    lead = models.ForeignKey(
        "catalog.Lead",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
        verbose_name=_("request"),
    )
    revises = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("revises")
    )
    client_organisation = models.ForeignKey(
        "core.ClientOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("client organisation"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    client_need = models.TextField(
        _("client's need"),
        blank=True,
        help_text=_(
            "The need the client expressed: context, people concerned, expected results (Qualiopi indicator 4)."
        ),
    )
    course = models.ForeignKey(
        "catalog.Course",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quotes",
        verbose_name=_("course"),
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes shown on the quote"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    course_session = models.ForeignKey(
        "scheduling.CourseSession",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
        editable=False,
        verbose_name=_("in-company session"),
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference or _("Draft quote %(pk)s") % {"pk": self.pk}

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class QuoteLine(models.Model):
    """One priced line of a quote: a course, a session or in-company days, for a number of trainees.

    Amount excl. VAT = quantity × unit price. ``vat_exempt`` applies the training exemption of
    CGI art. 261-4-4°-a instead of ``vat_rate_pct``.
    """

    class Kind(models.TextChoices):
        COURSE = "course", _("Course (per trainee)")
        SESSION = "session", _("Seat on a session (per trainee)")
        IN_COMPANY_DAYS = "in_company_days", _("In-company days (per day)")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote"))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.IN_COMPANY_DAYS)
    description = models.CharField(_("description"), max_length=300)
    course_session = models.ForeignKey(
        "scheduling.CourseSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("session"),
    )
    quantity = models.DecimalField(_("quantity (trainees or days)"), max_digits=8, decimal_places=2)
    trainees = models.PositiveIntegerField(_("number of trainees"), default=1)
    unit_price_excl_vat = models.DecimalField(_("unit price excl. VAT"), max_digits=10, decimal_places=2)
    vat_rate_pct = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=20)
    vat_exempt = models.BooleanField(_("VAT exempt (CGI art. 261-4-4°-a)"), default=False)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="commerce_quote_line_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(unit_price_excl_vat__gte=0), name="commerce_quote_line_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(vat_rate_pct__gte=0) & models.Q(vat_rate_pct__lte=100),
                name="commerce_quote_line_vat_rate_range",
            ),
        ]

    def __str__(self):
        return self.description


class Agreement(TimeStampedModel):
    """A training agreement (convention, Code du travail L6353-1/2, D6353-1) with a client
    organisation, or a training contract (L6353-3 to L6353-7) with a person paying themself.

    Its mandatory items are copied when the draft is made, so the document stays what was
    signed. Issuing freezes the PDF bytes and their SHA-256; the client signs those exact bytes
    through a signed link, then the organisation countersigns. An amendment is a new version.
    """

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Training agreement")
        CONTRACT = "contract", _("Training contract")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Awaiting the client's signature")
        SIGNED = "signed", _("Signed by the client")
        COUNTERSIGNED = "countersigned", _("Countersigned")
        SUPERSEDED = "superseded", _("Replaced by an amendment")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("replaces")
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("booking")
    )
    quote = models.ForeignKey(
        Quote, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("quote")
    )
    client_organisation = models.ForeignKey(
        "core.ClientOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("client organisation"),
    )
    party_name = models.CharField(_("client (organisation or person)"), max_length=200, blank=True)
    party_address = models.TextField(_("client address"), blank=True)
    signer_email = models.EmailField(_("signer e-mail"), blank=True)
    title = models.CharField(_("title of the action"), max_length=250, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    nature = models.CharField(_("nature of the action"), max_length=250, blank=True)
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=6, decimal_places=2, null=True, blank=True)
    dates = models.TextField(_("dates and times"), blank=True)
    place = models.TextField(_("place"), blank=True)
    trainees = models.TextField(_("trainees"), blank=True)
    teaching_methods = models.TextField(_("teaching methods"), blank=True)
    evaluation_methods = models.TextField(_("follow-up and evaluation methods"), blank=True)
    price_excl_vat = models.DecimalField(_("price excl. VAT"), max_digits=10, decimal_places=2, null=True, blank=True)
    payment_terms = models.TextField(_("payment terms"), blank=True)
    funding = models.TextField(_("funding"), blank=True)
    terms_of_sale = models.ForeignKey(
        TermsDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("terms of sale"),
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF issued"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_sha256 = models.CharField(_("SHA-256 of the PDF signed"), max_length=64, blank=True)
    signed_ip = models.GenericIPAddressField(_("signer IP address"), null=True, blank=True)
    signed_user_agent = models.CharField(_("signer browser"), max_length=500, blank=True)
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("countersigned by"),
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at"]

    def __str__(self):
        return "%s %s v%d" % (self.get_kind_display(), self.party_name or self.pk, self.version)


class PaymentInstalment(models.Model):
    """One payment due under an agreement. For a training contract none may fall due before the
    withdrawal period ends, and the advance is at most 30 % of the price (L6353-6)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="instalments", verbose_name=_("agreement")
    )
    due_date = models.DateField(_("due date"))
    amount_excl_vat = models.DecimalField(_("amount excl. VAT"), max_digits=10, decimal_places=2)
    is_advance = models.BooleanField(_("advance"), default=False)

    class Meta:
        verbose_name = _("payment instalment")
        verbose_name_plural = _("payment instalments")
        ordering = ["agreement", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_excl_vat__gt=0), name="commerce_instalment_positive"),
        ]

    def __str__(self):
        return "%s — %s" % (self.due_date, self.amount_excl_vat)

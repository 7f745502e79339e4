"""Commerce records: the organisation's versioned terms of sale and internal rules, and which
versions each booking accepted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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

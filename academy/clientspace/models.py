"""What a client organisation receives besides its invoices: per-organisation document sharing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from academy.core.models import ClientOrganisation


class DocumentSharing(models.Model):
    """Whether a client organisation's contact (and its funder) get the trainees' documents.

    Certificates of completion and attendance sheets hold personal data of the trainees; the
    organisation that paid for the training usually needs them (proof of the training for the
    funder, Code du travail R.6332-26), but staff decide per organisation. Without a row, the
    contact gets them and the funder does not (``for_organisation``).
    """

    client_organisation = models.OneToOneField(
        ClientOrganisation,
        on_delete=models.CASCADE,
        related_name="document_sharing",
        verbose_name=_("client organisation"),
    )
    to_contact = models.BooleanField(
        _("certificates and attendance sheets go to the contact"),
        default=True,
        help_text=_("The contact sees and downloads them in the client space, and is e-mailed them."),
    )
    to_funder = models.BooleanField(
        _("certificates and attendance sheets go to the funder"),
        default=False,
        help_text=_("The OPCO and public funders of the booking are e-mailed them."),
    )

    class Meta:
        verbose_name = _("document sharing")
        verbose_name_plural = _("document sharing")

    def __str__(self) -> str:
        return str(self.client_organisation)

    @classmethod
    def for_organisation(cls, client_organisation_id: int) -> DocumentSharing:
        """The organisation's setting, or the default one (contact yes, funder no) when none is stored."""
        found = cls.objects.filter(client_organisation_id=client_organisation_id).first()
        return found or cls(client_organisation_id=client_organisation_id)

"""Privacy: proof of cookie consent, anonymous audience counts, client-organisation contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentRecord(models.Model):
    """Proof of one cookie-consent choice (CNIL deliberation 2020-091, art. 2: prove consent).

    Holds when, which banner version, which choice per purpose, and the pseudonymous identifier
    also kept in the visitor's consent cookie — never an IP address nor a user agent.
    """

    class Action(models.TextChoices):
        ACCEPT_ALL = "accept_all", _("Accepted all")
        REFUSE_ALL = "refuse_all", _("Refused all")
        CUSTOM = "custom", _("Chose per purpose")
        WITHDRAW = "withdraw", _("Withdrew consent")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    consent_id = models.CharField(_("pseudonymous identifier"), max_length=32, db_index=True)
    banner_version = models.CharField(_("banner version"), max_length=20)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    choices = models.JSONField(_("choices per purpose"), default=dict)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at"]

    def __str__(self) -> str:
        return "%s %s %s" % (self.at, self.consent_id, self.action)


class PageViewCount(models.Model):
    """Anonymous page views of one path on one day (Paris date): no cookie, no IP, no user agent.

    Audience measurement exempt from consent under CNIL deliberation 2020-091 art. 5 (strictly
    anonymous statistics for the site's own use, kept no longer than 25 months).
    """

    day = models.DateField(_("day"))
    path = models.CharField(_("path"), max_length=200)
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("page views")
        ordering = ["-day", "path"]
        constraints = [models.UniqueConstraint(fields=["day", "path"], name="pageview_one_row_per_day_and_path")]

    def __str__(self) -> str:
        return "%s %s %s" % (self.day, self.path, self.views)


class ClientContact(models.Model):
    """Links a user account to the client organisation it acts for (role "client contact")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="client_contact"
    )
    client_organisation = models.ForeignKey(
        "core.ClientOrganisation",
        verbose_name=_("client organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )

    class Meta:
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")

    def __str__(self) -> str:
        return "%s — %s" % (self.user, self.client_organisation)

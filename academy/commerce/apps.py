from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: E-mails commerce sends through ``academy.core.notifications.notify``.
EMAIL_EVENTS = {
    "commerce.quote_issued": "A quote sent to its contact, with the PDF and a signed link to accept or decline it.",
    "commerce.agreement_issued": "A training agreement or contract sent to its signer, with a signed link to sign it.",
}


class CommerceConfig(AppConfig):
    """What the organisation is paid on, before the invoice: terms of sale, quotes, agreements, funding."""

    name = "academy.commerce"
    label = "commerce"
    verbose_name = _("Commerce")

    def ready(self):
        from academy.accounts.space import register_section
        from academy.core.notifications import register_email_events
        from academy.enrolment.models import Booking
        from academy.enrolment.signals import booking_created

        from .space import staff_section
        from .terms import record_acceptance

        def _on_booking_created(sender, booking, **kwargs):
            record_acceptance(booking)

        register_email_events(self.label, EMAIL_EVENTS)
        register_section(staff_section)
        booking_created.connect(_on_booking_created, sender=Booking, weak=False, dispatch_uid="commerce.terms")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    """What the organisation is paid on, before the invoice: terms of sale, quotes, agreements, funding."""

    name = "academy.commerce"
    label = "commerce"
    verbose_name = _("Commerce")

    def ready(self):
        from academy.enrolment.models import Booking
        from academy.enrolment.signals import booking_created

        from .terms import record_acceptance

        def _on_booking_created(sender, booking, **kwargs):
            record_acceptance(booking)

        booking_created.connect(_on_booking_created, sender=Booking, weak=False, dispatch_uid="commerce.terms")

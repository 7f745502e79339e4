from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "academy.certification"
    label = "certification"
    verbose_name = _("Certification")

    #: E-mail events of certification (``academy.core.notifications``).
    email_events = {
        "certificate.issued": "To the holder alone: the certificate of completion, PDF attached.",
    }

    def ready(self) -> None:
        from academy.core.notifications import register_email_events

        # The contact's section of "my space" is registered by the client space, which sits above
        # and decides whether certificates are shared with the contact.
        register_email_events(self.label, self.email_events)

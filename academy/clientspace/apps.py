from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientSpaceConfig(AppConfig):
    name = "academy.clientspace"
    label = "clientspace"
    verbose_name = _("Client space")

    #: E-mail events of the client space (``academy.core.notifications``).
    email_events = {
        "clientspace.document_shared": _(
            "To a client organisation's contacts or its funders: a certificate of completion or an "
            "attendance sheet, PDF attached, as the organisation's document sharing allows."
        ),
    }

    def ready(self) -> None:
        from academy.accounts.space import register_section
        from academy.certification.signals import certificate_issued
        from academy.core.notifications import register_email_events

        from .sharing import on_certificate_issued
        from .views import my_space_section

        register_email_events(self.label, self.email_events)
        register_section(my_space_section)
        certificate_issued.connect(on_certificate_issued, dispatch_uid="clientspace.share_certificate")

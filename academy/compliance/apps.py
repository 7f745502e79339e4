from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "academy.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    #: E-mail events of quality (``academy.core.notifications``).
    email_events = {
        "compliance.complaint_acknowledged": _(
            "To the person: their complaint arrived, with its reference and answer date."
        ),
        "compliance.complaint_received": _("To staff: a complaint to answer."),
        "compliance.complaint_answered": _("To the person: the answer to their complaint."),
    }

    def ready(self) -> None:
        from academy.accounts.space import register_section
        from academy.core.notifications import register_email_events

        from .space import staff_section

        register_email_events(self.label, self.email_events)
        register_section(staff_section)

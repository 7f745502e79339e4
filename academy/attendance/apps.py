from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "academy.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    #: E-mail events of attendance (``academy.core.notifications``).
    email_events = {
        "attendance.signing_link": _("To a trainee: their personal link to sign one half-day."),
    }

    def ready(self) -> None:
        from academy.core.notifications import register_email_events

        register_email_events(self.label, self.email_events)

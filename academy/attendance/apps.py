from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "academy.attendance"
    label = "attendance"
    verbose_name = _("Attendance")

    #: E-mail events of attendance (``academy.core.notifications``).
    email_events = {
        "attendance.signing_link": _("To a trainee: their personal link to sign one half-day."),
        "attendance.absence_follow_up": _("To a trainee: we noticed an absence and ask how we can help."),
    }

    def ready(self) -> None:
        from academy.core.notifications import register_email_events
        from academy.core.scheduler import register_periodic

        from .tasks import detect_absences_task

        register_email_events(self.label, self.email_events)
        register_periodic("attendance.detect_absences", detect_absences_task.enqueue)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "academy.enrolment"
    label = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        from academy.catalog.extensions import CoursePanel, register_course_panel
        from academy.core.notifications import register_email_events
        from academy.core.scheduler import register_periodic

        from . import tasks
        from .emails import EMAIL_EVENTS
        from .panels import sessions_panel_context

        register_course_panel(
            CoursePanel(
                name="enrolment.sessions",
                slot="sessions",
                template="enrolment/panels/sessions.html",
                context=sessions_panel_context,
            )
        )
        register_email_events(self.label, EMAIL_EVENTS)
        register_periodic("enrolment.joining_instructions", tasks.send_due_joining_instructions.enqueue)
        register_periodic("enrolment.expire_offers", tasks.expire_waiting_list_offers.enqueue)

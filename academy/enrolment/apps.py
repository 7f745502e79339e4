from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "academy.enrolment"
    label = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        from academy.catalog.extensions import CoursePanel, register_course_instances, register_course_panel
        from academy.core.notifications import register_email_events
        from academy.core.scheduler import register_periodic
        from academy.scheduling.access import register_session_viewer_rule
        from academy.scheduling.capacity import register_capacity_check

        from . import pagecache, tasks
        from .access import can_view_session_as_enrolled
        from .emails import EMAIL_EVENTS
        from .panels import course_instances, sessions_panel_context
        from .seats import capacity_errors

        register_course_panel(
            CoursePanel(
                name="enrolment.sessions",
                slot="sessions",
                template="enrolment/panels/sessions.html",
                context=sessions_panel_context,
            )
        )
        register_course_instances("enrolment.open_sessions", course_instances)
        register_email_events(self.label, EMAIL_EVENTS)
        register_periodic("enrolment.joining_instructions", tasks.send_due_joining_instructions.enqueue)
        register_periodic("enrolment.expire_offers", tasks.expire_waiting_list_offers.enqueue)
        # A session's capacity may not fall below the seats its enrolments hold.
        register_capacity_check(capacity_errors)
        register_session_viewer_rule(can_view_session_as_enrolled)
        pagecache.connect()

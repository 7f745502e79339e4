from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "academy.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from academy.catalog.extensions import CoursePanel, register_course_panel
        from academy.core.notifications import register_email_events
        from academy.core.scheduler import register_periodic

        from . import receivers  # noqa: F401 — connects the signal receivers
        from .panels import course_figures_context
        from .sending import EMAIL_EVENTS
        from .stakeholders import EMAIL_EVENTS as STAKEHOLDER_EMAIL_EVENTS
        from .tasks import send_due_evaluations_task

        register_email_events(self.label, {**EMAIL_EVENTS, **STAKEHOLDER_EMAIL_EVENTS})
        register_periodic("evaluation.send_due", send_due_evaluations_task.enqueue)
        register_course_panel(
            CoursePanel(
                name="evaluation.satisfaction",
                slot="figures",
                template="evaluation/_course_figures.html",
                context=course_figures_context,
                order=10,
            )
        )

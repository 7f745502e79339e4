from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "academy.certification"
    label = "certification"
    verbose_name = _("Certification")

    #: E-mail events of certification (``academy.core.notifications``).
    email_events = {
        "certificate.issued": _("To the holder alone: the certificate of completion, PDF attached."),
    }

    def ready(self) -> None:
        from academy.accounts.space import register_section
        from academy.core.notifications import register_email_events
        from academy.core.scheduler import register_periodic

        from .tasks import resume_interrupted_batches
        from .trainee_space import trainee_section

        # The contact's section of "my space" is registered by the client space, which sits above
        # and decides whether certificates are shared with the contact.
        register_email_events(self.label, self.email_events)
        register_section(trainee_section)
        # A batch whose task was lost (queue data lost, worker dead) is queued again.
        register_periodic("certification.resume_interrupted_batches", resume_interrupted_batches.enqueue)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default = True
    name = "academy.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from academy.core.scheduler import register_periodic

        from . import tasks

        register_periodic("privacy.purge_audience", tasks.purge_audience_task.enqueue)
        register_periodic("privacy.flush_audience", tasks.flush_audience_task.enqueue)
        register_periodic("privacy.apply_retention", tasks.apply_retention_task.enqueue)

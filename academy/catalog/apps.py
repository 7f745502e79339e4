from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "academy.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from academy.core.notifications import register_email_events
        from academy.core.scheduler import register_periodic

        from . import pagecache, snapshots
        from .services import EMAIL_EVENTS
        from .tasks import refresh_course_page_snapshots_task

        register_email_events(self.label, EMAIL_EVENTS)
        pagecache.connect()
        snapshots.connect()
        register_periodic("catalog.refresh_course_page_snapshots", refresh_course_page_snapshots_task.enqueue)

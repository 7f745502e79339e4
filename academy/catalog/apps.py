from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "academy.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from academy.core.notifications import register_email_events

        from . import pagecache, snapshots
        from .services import EMAIL_EVENTS

        register_email_events(self.label, EMAIL_EVENTS)
        pagecache.connect()
        snapshots.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "academy.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from academy.catalog.extensions import ListingAnnotator, register_listing_annotator

        from . import pagecache
        from .listing import next_session_dates

        register_listing_annotator(ListingAnnotator("scheduling.next_session", next_session_dates))
        pagecache.connect()

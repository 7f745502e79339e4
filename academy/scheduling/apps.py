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

        from django.db.models.signals import post_save, pre_save

        from .calendar import raise_slot_sequences, remember_calendar_fields
        from .models import CourseSession

        pre_save.connect(remember_calendar_fields, sender=CourseSession, dispatch_uid="scheduling.calendar_fields")
        post_save.connect(raise_slot_sequences, sender=CourseSession, dispatch_uid="scheduling.slot_sequences")

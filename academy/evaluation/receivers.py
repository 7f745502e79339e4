"""Signal receivers, connected in ``EvaluationConfig.ready()``."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from academy.enrolment.signals import enrolment_confirmed

from .models import Response


@receiver(enrolment_confirmed, dispatch_uid="evaluation.send_positioning_before")
def on_enrolment_confirmed(sender, enrolment, **kwargs) -> None:
    """Queue the "before" self-positioning for the newly confirmed ``enrolment``."""
    from .tasks import send_positioning_before_task

    send_positioning_before_task.enqueue(enrolment.pk)


@receiver(pre_delete, sender=Response, dispatch_uid="evaluation.response_pre_delete")
def on_response_deleted(sender, instance: Response, **kwargs) -> None:
    """Keep the public figures right when a response is deleted (from a service, the admin or a cascade)."""
    from .services import remove_from_daily

    remove_from_daily(instance)

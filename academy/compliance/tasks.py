"""Background work of the compliance app (Django Tasks API)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_evidence_pack_task(pack_id: int) -> str:
    """Build the ZIP of evidence pack ``pack_id``; returns its SHA-256."""
    from .models import EvidencePack
    from .quality.packs import build_evidence_pack

    pack = EvidencePack.objects.select_related("course_session__course", "requested_by").get(pk=pack_id)
    return build_evidence_pack(pack=pack).sha256

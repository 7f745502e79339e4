"""Who may reach each compliance page (merged into the project's role matrix by the accounts tests).

The legal pages, the complaint form and the LHEO training offer are public; every quality page
(indicator map, session evidence, complaints, improvement actions, watch, yearly review, evidence
packs) and the yearly report (BPF) are for staff; filing and locking a year is for administrators.
"""

from __future__ import annotations

import datetime

from tests.accounts.role_matrix import ADMINS, EVERYONE, STAFF, Rule


def _session(world) -> dict:
    return {"pk": world.course_session.pk}


def _enrolment(world) -> dict:
    return {"pk": world.enrolment.pk}


def _complaint(world) -> dict:
    from django.utils import timezone

    from academy.compliance.models import Complaint

    complaint = Complaint.objects.create(
        reference="R-2027-9999",
        source=Complaint.Source.TRAINEE,
        name="Autre personne",
        subject="Salle",
        description="Bruit",
        received_at=timezone.now(),
        answer_due_on=timezone.localdate() + datetime.timedelta(days=15),
    )
    return {"pk": complaint.pk}


def _action(world) -> dict:
    from academy.compliance.models import ImprovementAction
    from tests.factories.privacy import UserFactory

    action = ImprovementAction.objects.create(
        title="Autre action",
        cause=ImprovementAction.Cause.OTHER,
        owner=UserFactory(username="owner-of-action"),
        due_on=datetime.date(2027, 6, 30),
    )
    return {"pk": action.pk}


def _follow_up(world) -> dict:
    from django.utils import timezone

    from academy.attendance.models import AbsenceFollowUp

    follow_up = AbsenceFollowUp.objects.create(slot=world.slot, enrolment=world.enrolment, detected_at=timezone.now())
    return {"pk": follow_up.pk}


def _pack(done: bool):
    def build(world) -> dict:
        from django.core.files.base import ContentFile

        from academy.compliance.models import EvidencePack

        pack = EvidencePack.objects.create(course_session=world.course_session)
        if done:
            pack.status = EvidencePack.Status.DONE
            pack.file.save("pack.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=True)
        return {"pk": pack.pk}

    return build


def _issued(world) -> dict:
    from academy.invoicing.services import issue_invoice
    from tests.invoicing.helpers import draft

    return {"pk": issue_invoice(draft(client_organisation_id=world.client_organisation.pk)).pk}


YEAR = {"year": 2026}

MATRIX = {
    "compliance:complaint_form": Rule(EVERYONE),
    "compliance:quality": Rule(STAFF),
    "compliance:period_quality": Rule(STAFF),
    "compliance:session_quality": Rule(STAFF, kwargs=_session),
    "compliance:session_detect_absences": Rule(STAFF, kwargs=_session, method="POST"),
    "compliance:session_send_feedback": Rule(STAFF, kwargs=_session, method="POST"),
    "compliance:enrolment_adaptation": Rule(
        STAFF, kwargs=_enrolment, method="POST", data=lambda w: {"requested": "Supports en gros caractères"}
    ),
    "compliance:enrolment_dropout": Rule(STAFF, kwargs=_enrolment, method="POST", data=lambda w: {"reason": "work"}),
    "compliance:follow_up_close": Rule(
        STAFF, kwargs=_follow_up, method="POST", data=lambda w: {"outcome": "Appel passé"}
    ),
    "compliance:complaints": Rule(STAFF),
    "compliance:complaint_new": Rule(STAFF),
    "compliance:complaint": Rule(STAFF, kwargs=_complaint),
    "compliance:actions": Rule(STAFF),
    "compliance:action_new": Rule(STAFF),
    "compliance:action": Rule(STAFF, kwargs=_action),
    "compliance:watch": Rule(STAFF),
    "compliance:review": Rule(STAFF),
    "compliance:review_year": Rule(STAFF, kwargs=lambda w: {"year": 2027}),
    "compliance:pack_start": Rule(STAFF, method="POST", data=lambda w: {"session": w.course_session.pk}),
    "compliance:pack": Rule(STAFF, kwargs=_pack(done=False)),
    "compliance:pack_download": Rule(STAFF, kwargs=_pack(done=True)),
    "compliance:bpf_index": Rule(STAFF),
    "compliance:bpf_year": Rule(STAFF, kwargs=lambda w: YEAR),
    "compliance:bpf_line": Rule(STAFF, kwargs=lambda w: {**YEAR, "frame": "C", "code": "1"}),
    "compliance:bpf_export": Rule(STAFF, kwargs=lambda w: {**YEAR, "fmt": "json"}),
    "compliance:bpf_charges": Rule(STAFF, kwargs=lambda w: YEAR, method="POST", data=lambda w: {"charges_total": "10"}),
    "compliance:bpf_lock": Rule(ADMINS, kwargs=lambda w: YEAR, method="POST"),
    "compliance:bpf_invoice_funding_type": Rule(
        STAFF, kwargs=_issued, method="POST", data=lambda w: {"funding_type": "employer"}
    ),
    "compliance:lheo_offer": Rule(EVERYONE),
    "compliance:lheo_import": Rule(STAFF),
}

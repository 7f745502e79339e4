"""The attendance sheet (feuille d'émargement) of a session as PDF."""

from __future__ import annotations

import base64

from django.utils import translation

from academy.core.models import TrainingOrganisation
from academy.core.pdf import render_pdf
from academy.scheduling.models import CourseSession

from .services import session_attendance
from .strokes import strokes_to_svg


def signature_data_uri(strokes: dict) -> str:
    """Return a drawing as an ``data:image/svg+xml`` URI for PDF templates."""
    return "data:image/svg+xml;base64," + base64.b64encode(strokes_to_svg(strokes).encode()).decode()


def render_attendance_sheet(*, course_session: CourseSession, language: str = "fr") -> bytes:
    """Render the session's attendance sheet: one table per day, a column per half-day.

    Shows the organisation, course, dates, each half-day with its local hours and content, every
    confirmed trainee with their signature (or status) per half-day, and each trainer's name and
    countersignature. Times are shown in the session's timezone (FC-03).
    """
    slots, rows = session_attendance(course_session=course_session)
    days: dict = {}
    for index, slot in enumerate(slots):
        days.setdefault(slot.local_start.date(), []).append(index)
    trainers = list(course_session.trainers.all())
    tables = []
    for day, indexes in days.items():
        day_slots = [slots[i] for i in indexes]
        trainee_rows = []
        for row in rows:
            cells = []
            for i in indexes:
                line = row.lines[i]
                cells.append(
                    {
                        "line": line,
                        "signature": signature_data_uri(line.trainee_signature.strokes)
                        if line.trainee_signature
                        else "",
                    }
                )
            trainee_rows.append({"enrolment": row.enrolment, "name": row.name, "cells": cells})
        trainer_rows = []
        for trainer in trainers:
            cells = []
            for slot_index in indexes:
                signature = (
                    next((s for s in rows[0].lines[slot_index].trainer_signatures if s.trainer_id == trainer.pk), None)
                    if rows
                    else None
                )
                cells.append(signature_data_uri(signature.strokes) if signature else "")
            trainer_rows.append({"trainer": trainer, "cells": cells})
        tables.append({"day": day, "slots": day_slots, "trainees": trainee_rows, "trainers": trainer_rows})
    with translation.override(language):
        return render_pdf(
            "attendance/sheet_pdf.html",
            {
                "organisation": TrainingOrganisation.current(),
                "course_session": course_session,
                "course": course_session.course,
                "slots": slots,
                "tables": tables,
                "first_day": slots[0].local_start.date() if slots else None,
                "last_day": slots[-1].local_start.date() if slots else None,
            },
        )

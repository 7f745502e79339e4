"""Send a session's attendance sheet to its client organisation: ``share_attendance_sheet --session 12``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from academy.clientspace.sharing import SharingError, share_attendance_sheet
from academy.scheduling.models import CourseSession


class Command(BaseCommand):
    help = (
        "Send the attendance sheet PDF of a session run for one client organisation to its contacts and "
        "funders, as the organisation's document sharing allows. Inter-company sheets are never sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--session", type=int, required=True, help="Session id.")

    def handle(self, *args, session: int, **options):
        course_session = (
            CourseSession.objects.filter(pk=session).select_related("course", "client_organisation").first()
        )
        if course_session is None:
            raise CommandError("No session with id %s." % session)
        try:
            sent = share_attendance_sheet(course_session)
        except SharingError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("Attendance sheet of session %s sent in %d e-mail(s)." % (course_session.pk, sent))

"""Issue (and e-mail) the certificates of completion of a session: ``issue_certificates --session 12``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from academy.attendance.services import session_attendance
from academy.certification.services import CertificateError, ensure_issuing_allowed, format_hours, issue_in_turn
from academy.scheduling.models import CourseSession


class Command(BaseCommand):
    help = "Issue the certificate of completion of every confirmed trainee of a session, and e-mail each one."

    def add_arguments(self, parser):
        parser.add_argument("--session", type=int, required=True, help="Session id.")
        parser.add_argument("--dry-run", action="store_true", help="Show the credited hours without issuing anything.")
        parser.add_argument("--no-email", action="store_true", help="Issue without e-mailing the trainees.")

    def handle(self, *args, session: int, dry_run: bool, no_email: bool, **options):
        course_session = CourseSession.objects.filter(pk=session).select_related("course").first()
        if course_session is None:
            raise CommandError("No session with id %s." % session)
        if not dry_run:
            try:
                ensure_issuing_allowed(course_session=course_session)
            except CertificateError as exc:
                raise CommandError(str(exc)) from None
        _slots, rows = session_attendance(course_session=course_session)
        if dry_run:
            for index, row in enumerate(rows, start=1):
                self.stdout.write(self._prefix(index, len(rows), row))
            return
        issued = skipped = 0
        hours = {row.enrolment.pk: row for row in rows}
        outcomes = issue_in_turn([row.enrolment for row in rows], send=not no_email)
        for index, (enrolment, certificate, error) in enumerate(outcomes, start=1):
            prefix = self._prefix(index, len(rows), hours[enrolment.pk])
            if certificate is None:
                skipped += 1
                self.stdout.write("%s — skipped: %s" % (prefix, error))
            else:
                issued += 1
                self.stdout.write("%s — certificate %s v%d" % (prefix, certificate.public_id, certificate.version))
        self.stdout.write(self.style.SUCCESS("%d issued, %d skipped." % (issued, skipped)))

    @staticmethod
    def _prefix(index: int, total: int, row) -> str:
        return "[%d/%d] %s: %s h" % (index, total, row.enrolment.full_name, format_hours(row.hours, "en"))

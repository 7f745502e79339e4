"""Issue (and e-mail) the certificates of completion of a session: ``issue_certificates --session 12``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from academy.attendance.services import session_attendance
from academy.certification.services import CertificateError, ensure_issuing_allowed, format_hours, issue_certificate
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
        issued = skipped = 0
        for index, row in enumerate(rows, start=1):
            prefix = "[%d/%d] %s: %s h" % (index, len(rows), row.enrolment.full_name, format_hours(row.hours, "en"))
            if dry_run:
                self.stdout.write(prefix)
                continue
            try:
                certificate = issue_certificate(enrolment=row.enrolment, send=not no_email)
            except CertificateError as exc:
                skipped += 1
                self.stdout.write("%s — skipped: %s" % (prefix, exc))
            else:
                issued += 1
                self.stdout.write("%s — certificate %s v%d" % (prefix, certificate.public_id, certificate.version))
        if not dry_run:
            self.stdout.write(self.style.SUCCESS("%d issued, %d skipped." % (issued, skipped)))

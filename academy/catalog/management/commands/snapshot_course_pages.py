"""Take a snapshot of the public page of every published course (``manage.py snapshot_course_pages``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from academy.catalog.models import Course
from academy.catalog.snapshots import snapshot_course_pages


class Command(BaseCommand):
    help = (
        "Snapshot the public page of every published course (or of --course CODE), in each language, "
        "where it differs from the latest snapshot. Run once on an existing install."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", action="append", dest="codes", metavar="CODE", help="only this course")

    def handle(self, *args, codes=None, **options):
        if codes:
            unknown = sorted(
                set(codes) - set(Course.objects.published().filter(code__in=codes).values_list("code", flat=True))
            )
            if unknown:
                raise CommandError("No published course with code: %s" % ", ".join(unknown))
        count = snapshot_course_pages(codes=codes)
        self.stdout.write("%d course page snapshot(s) stored." % count)

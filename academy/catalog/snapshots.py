"""Snapshots of the public course pages: what was published, and when (Qualiopi indicator 1).

An evidence pack must show a session's course page *as published then*. Academy keeps a
:class:`~academy.catalog.models.CoursePageSnapshot` each time the page of a published course
changes, in every language the site offers:

* *when*: the page cache already knows what each page shows (``academy.catalog.pagecache``
  scopes). Once a transaction that invalidated scopes commits, :func:`scopes_invalidated`
  (``academy.core.pagecache.scopes_invalidated``) queues a background task: the courses named by
  ``course:<code>`` scopes, or every published course when the ``site`` scope changed (the
  organisation's details; such tasks are coalesced: one waits in the queue at a time). A change of
  the ``catalogue`` scope alone (another course's sessions, the listing) is left to the daily
  refresh: it only touches the "other courses" block. Publishing a course
  saves it, so it is covered too; ``manage.py snapshot_course_pages`` takes one for every
  published course (existing installs);
* *what*: the page an anonymous visitor gets, rendered by the course page view itself, with the
  per-visitor parts left as the page cache's placeholders (CSRF token, consent banner);
* *only when it differs*: a new snapshot is stored only when its SHA-256 differs from the latest
  one of the course in that language, and never behind a render that started later (the course
  row is locked meanwhile, so two tasks at once store one snapshot, and a slow stale render never
  becomes the latest).
"""

from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone, translation

from .models import Course, CoursePageSnapshot
from .pagecache import SITE

logger = logging.getLogger(__name__)

COURSE_SCOPE_PREFIX = "course:"
#: Cache key present while a "snapshot every published course" task waits in the queue.
PENDING_ALL_KEY = "catalog:snapshots:pending-all"
#: How long that mark may outlive a task that never ran (a lost queue), in seconds.
PENDING_ALL_SECONDS = 15 * 60
# Per-visitor parts are placeholders already; only whitespace at line ends is folded.
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def enabled() -> bool:
    return getattr(settings, "ACADEMY_COURSE_PAGE_SNAPSHOTS", True)


def languages() -> list[str]:
    """Language codes the public site offers (``settings.LANGUAGES``), French first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return sorted(codes, key=lambda code: (code != "fr", codes.index(code)))


def render_course_page(course: Course, language: str) -> str | None:
    """Return the public page of ``course`` in ``language`` as an anonymous visitor gets it, or None.

    Rendered by the course page view (``catalog.views.course_detail``) for a request built on
    ``settings.SITE_URL``, without the page cache, with the CSRF token and consent banner left as
    placeholders. None when the page is not public (the course is not published).
    """
    from .views import course_detail

    site = urlsplit(settings.SITE_URL)
    with translation.override(language):
        request = RequestFactory().get(
            course.get_absolute_url(), secure=site.scheme == "https", HTTP_HOST=site.netloc or "localhost"
        )
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = language
        request._academy_page_cache_render = True
        try:
            response = course_detail.__wrapped__(request, code=course.code)
        except Http404:  # not published (any more)
            return None
    if response.status_code != 200:
        return None
    return normalise(response.content.decode(response.charset or "utf-8"))


def normalise(html: str) -> str:
    """Fold what varies between two renders of an unchanged page (trailing spaces)."""
    return _TRAILING_SPACE.sub("\n", html)


def take_course_page_snapshots(course: Course, *, at=None) -> list[CoursePageSnapshot]:
    """Store the page of ``course`` in each language where it differs from the latest snapshot.

    Returns the snapshots stored (empty when nothing changed or the course is not published).
    ``at`` (aware, default now) is the ``taken_at`` written.
    """
    stored = []
    for language in languages():
        taken_at = at or timezone.now()  # before rendering: the page shows this state or a newer one
        html = render_course_page(course, language)
        if html is None:
            return stored
        digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
        with transaction.atomic():
            Course.objects.select_for_update().filter(pk=course.pk).first()
            latest = (
                CoursePageSnapshot.objects.filter(course=course, language=language)
                .order_by("-taken_at", "-pk")
                .values("sha256", "taken_at")
                .first()
            )
            # Same page, or a render started later was stored meanwhile (this one may be stale).
            if latest and (latest["sha256"] == digest or latest["taken_at"] > taken_at):
                continue
            stored.append(
                CoursePageSnapshot.objects.create(
                    course=course, language=language, html=html, sha256=digest, taken_at=taken_at
                )
            )
    return stored


def snapshot_course_pages(*, codes: list[str] | None = None) -> int:
    """Snapshot the pages of the published courses with ``codes`` (every published course if None).

    Returns how many snapshots were stored. A course whose page fails to render is logged and
    skipped; the others are still taken.
    """
    courses = Course.objects.published().order_by("code")
    if codes is not None:
        courses = courses.filter(code__in=codes)
    count = 0
    for course in courses.iterator():
        try:
            count += len(take_course_page_snapshots(course))
        except Exception:
            logger.exception("Could not snapshot the page of course %s", course.code)
    return count


def snapshot_in_force(course: Course, at, *, language: str = "fr") -> tuple[CoursePageSnapshot | None, bool]:
    """Return ``(snapshot, exact)``: the page of ``course`` in ``language`` as published at ``at``.

    ``exact`` is True for the latest snapshot taken at or before ``at``; when there is none, the
    first one taken after ``at`` is returned with ``exact`` False; ``(None, False)`` when the
    course has no snapshot in that language.
    """
    snapshots = CoursePageSnapshot.objects.filter(course=course, language=language)
    before = snapshots.filter(taken_at__lte=at).order_by("-taken_at", "-pk").first()
    if before is not None:
        return before, True
    return snapshots.filter(taken_at__gt=at).order_by("taken_at", "pk").first(), False


def scopes_invalidated(sender, *, scopes: tuple[str, ...], **kwargs) -> None:
    """Queue the snapshots of the course pages that ``scopes`` say may have changed (after commit)."""
    from .tasks import snapshot_course_pages_task

    if not enabled():
        return
    if SITE in scopes:
        if cache.add(PENDING_ALL_KEY, 1, PENDING_ALL_SECONDS):
            snapshot_course_pages_task.enqueue(codes=None)
        return
    # The catalogue scope alone (a session of another course, the listing order) changes only the
    # "other courses" block of a page, not what the law asks it to publish: the daily refresh takes
    # it. Re-rendering every page on each session change would not scale to a large catalogue.
    codes = sorted(scope[len(COURSE_SCOPE_PREFIX) :] for scope in scopes if scope.startswith(COURSE_SCOPE_PREFIX))
    if codes:
        snapshot_course_pages_task.enqueue(codes=codes)


def connect() -> None:
    """Connect :func:`scopes_invalidated` (from ``CatalogConfig.ready()``)."""
    from academy.core.pagecache import scopes_invalidated as signal

    signal.connect(scopes_invalidated, dispatch_uid="catalog.snapshots.scopes_invalidated")

"""``/sitemap.xml``: an index of sitemap parts (sitemaps.org protocol), each under 50,000 URLs.

Parts: ``courses`` (every published course page, in French and English with alternates, paged
by ``CourseSitemap.limit`` courses) and ``pages`` (home, indicators, contact and legal pages).
The index and each part are served from the page cache (``academy.core.pagecache``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.urls import reverse

from .models import Course

#: URLs per part (a course page counts once per language, each with its alternates): far under
#: the protocol's 50,000 URLs and 50 MB, and small enough (about 2 MB) to serve fast.
URLS_PER_PART = 5_000


class _CoursesInLanguages(Sequence):
    """The (course, language) pairs of the courses part, read from the database one page at a time.

    Django's sitemap pages the list of every item in every language, which loads every course
    for each part; this sequence counts with one query and loads only the courses of the page
    asked for, in the same order (course by course, each in every language).
    """

    def __init__(self, queryset, languages: list[str]):
        self.queryset = queryset
        self.languages = languages
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.queryset.count() * len(self.languages)
        return self._count

    def __getitem__(self, index):
        per_course = len(self.languages)
        if not isinstance(index, slice):
            if index < 0:
                index += len(self)
            course = self.queryset[index // per_course]
            return course, self.languages[index % per_course]
        start, stop, _step = index.indices(len(self))
        if stop <= start:
            return []
        first, last = start // per_course, (stop - 1) // per_course + 1
        pairs = [(course, language) for course in self.queryset[first:last] for language in self.languages]
        offset = first * per_course
        return pairs[start - offset : stop - offset]


class CourseSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    limit = URLS_PER_PART

    def items(self):
        return Course.objects.published().only("code", "content_updated_on", "updated_at").order_by("code")

    def lastmod(self, course: Course):
        return course.content_updated_on or course.updated_at.date()

    @property
    def paginator(self) -> Paginator:
        return Paginator(_CoursesInLanguages(self.items(), self._languages()), self.limit)

    def get_latest_lastmod(self):
        """The index's ``lastmod`` of the part: one aggregate, not every course loaded."""
        latest = Course.objects.published().aggregate(
            content=Max("content_updated_on"), updated=Max("updated_at", filter=Q(content_updated_on__isnull=True))
        )
        dates = [latest["content"], latest["updated"].date() if latest["updated"] else None]
        return max((d for d in dates if d is not None), default=None)


class PagesSitemap(Sitemap):
    """The other public pages: home (the catalogue), public indicators, contact, complaint form and legal pages."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self):
        return [
            "catalog:course_list",
            "evaluation:indicators",
            "catalog:contact",
            "compliance:complaint_form",
            "commerce:terms_of_sale",
            "commerce:internal_rules",
            "compliance:legal_notice",
            "compliance:accessibility",
            "privacy:policy",
            "privacy:cookies",
        ]

    def location(self, name: str) -> str:
        return reverse(name)

    def priority(self, name: str):
        return 1.0 if name == "catalog:course_list" else 0.5


SITEMAPS = {"courses": CourseSitemap, "pages": PagesSitemap}

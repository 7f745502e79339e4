"""``/sitemap.xml``: every published course page, in French and English."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from .models import Course


class CourseSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return Course.objects.published().order_by("code")

    def lastmod(self, course: Course):
        return course.content_updated_on or course.updated_at.date()


SITEMAPS = {"courses": CourseSitemap}

"""Query helpers of the catalogue."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch


class CourseQuerySet(models.QuerySet):
    def published(self) -> CourseQuerySet:
        """Courses shown to the public."""
        return self.filter(status="published")

    def with_public_content(self) -> CourseQuerySet:
        """Prefetch what the course page and the programme PDF show (bounded number of queries)."""
        from .models import ProgrammeSection

        return self.select_related("domain").prefetch_related(
            "objectives", Prefetch("sections", queryset=ProgrammeSection.objects.prefetch_related("items"))
        )

    def search(self, words: str, *, max_words: int = 8) -> CourseQuerySet:
        """Keep courses matching every word of ``words`` in code, title, subtitle, domain or description.

        Accent- and case-insensitive on every database: words and the stored ``search_text`` are
        folded alike ("numerique" finds "numérique", "wikipedia" finds "Wikipédia"). On PostgreSQL
        a trigram index (pg_trgm) serves the substring match.
        """
        from academy.core.text import search_key

        queryset = self
        for word in search_key(words).split()[:max_words]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

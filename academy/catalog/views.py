"""Public catalogue pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from .extensions import annotate_listing, course_panels
from .models import Course


def course_list(request):
    """List published courses."""
    courses = list(Course.objects.filter(status=Course.Status.PUBLISHED).select_related("domain"))
    facts = annotate_listing(courses)
    return render(request, "catalog/course_list.html", {"rows": [(c, facts.get(c.pk, {})) for c in courses]})


def course_detail(request, code: str):
    """Show one published course, with the panels other apps register (sessions, figures)."""
    course = get_object_or_404(Course.objects.select_related("domain"), code=code, status=Course.Status.PUBLISHED)
    return render(request, "catalog/course_detail.html", {"course": course, "panels": course_panels(request, course)})

"""Public catalogue pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from .models import Course


def course_list(request):
    """List published courses."""
    courses = Course.objects.filter(status=Course.Status.PUBLISHED).select_related("domain")
    return render(request, "catalog/course_list.html", {"courses": courses})


def course_detail(request, code: str):
    """Show one published course."""
    course = get_object_or_404(Course.objects.select_related("domain"), code=code, status=Course.Status.PUBLISHED)
    return render(request, "catalog/course_detail.html", {"course": course})

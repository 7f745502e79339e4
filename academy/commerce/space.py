"""The commerce section of "my space": staff find the quotes page there."""

from __future__ import annotations

from django.template.loader import render_to_string

from academy.accounts.access import is_staff_member


def staff_section(request) -> str:
    """Links to the quotes for staff; nothing for anyone else."""
    if not is_staff_member(request.user):
        return ""
    return render_to_string("commerce/space_section.html", request=request)

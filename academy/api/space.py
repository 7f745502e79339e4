"""The API's section of "my space": links to tokens, webhooks and the documentation, for administrators."""

from __future__ import annotations

from django.template.loader import render_to_string

from academy.accounts.access import is_staff_admin


def admin_section(request) -> str:
    """Links for administrators; nothing for anyone else."""
    if not is_staff_admin(request.user):
        return ""
    return render_to_string("api/space_section.html", request=request)

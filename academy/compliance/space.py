"""The compliance section of "my space": staff find the Qualiopi pages, the yearly report (BPF) and the LHEO offer there."""

from __future__ import annotations

from django.template.loader import render_to_string

from academy.accounts.access import is_staff_member

from .lheo.export import offer_problem


def staff_section(request) -> str:
    """Links to the quality pages for staff; nothing for anyone else."""
    if not is_staff_member(request.user):
        return ""
    return render_to_string("compliance/space_section.html", {"lheo_problem": offer_problem()}, request=request)

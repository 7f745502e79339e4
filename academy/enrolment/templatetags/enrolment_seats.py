"""Seat counts of a session in templates: ``{{ course_session|seats_left }}`` (see ``academy.enrolment.seats``)."""

from __future__ import annotations

from django import template

from academy.enrolment import seats

register = template.Library()

register.filter("seats_taken", seats.seats_taken)
register.filter("seats_left", seats.seats_left)
register.filter("fill_rate_pct", seats.fill_rate_pct)

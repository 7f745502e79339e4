"""Create the role groups and their back-office permissions (``manage.py setup_roles``).

Trainers, client contacts and trainees have no back-office permission: they see their own
objects through the product's pages, checked by ``academy.accounts.access``.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from .access import CLIENT_CONTACT, STAFF_ADMIN, STAFF_PLANNER, TRAINEE, TRAINER

# App labels whose models a planner may view, add, change and delete in the back office.
PLANNER_APPS = ("catalog", "scheduling", "enrolment", "attendance", "evaluation", "certification")
# Models a planner may only view or change (no deletion).
PLANNER_EXTRA = {("core", "clientorganisation"): ("view", "add", "change"), ("core", "outboundemail"): ("view",)}


def setup_roles(*, using: str = "default") -> dict[str, int]:
    """Create or update the five role groups; return each group's permission count. Idempotent."""
    permissions = Permission.objects.using(using).select_related("content_type")
    result = {}
    admin_group, _ = Group.objects.using(using).get_or_create(name=STAFF_ADMIN)
    admin_group.permissions.set(list(permissions))
    result[STAFF_ADMIN] = admin_group.permissions.count()

    planner_perms = [
        p
        for p in permissions
        if p.content_type.app_label in PLANNER_APPS
        or p.codename.split("_", 1)[0] in PLANNER_EXTRA.get((p.content_type.app_label, p.content_type.model), ())
    ]
    planner_group, _ = Group.objects.using(using).get_or_create(name=STAFF_PLANNER)
    planner_group.permissions.set(planner_perms)
    result[STAFF_PLANNER] = len(planner_perms)

    for name in (TRAINER, CLIENT_CONTACT, TRAINEE):
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.clear()
        result[name] = 0
    return result

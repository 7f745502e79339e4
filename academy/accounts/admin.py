"""Users and groups in the back office, with permission names in the staff's language.

Django stores the names of built-in permissions in English when the database is created
("Can add course"); the group and user forms show them translated from the model's current name
("Peut ajouter formation") instead.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

ACTIONS = {
    "add": lambda name: _("Can add %(name)s") % {"name": name},
    "change": lambda name: _("Can change %(name)s") % {"name": name},
    "delete": lambda name: _("Can delete %(name)s") % {"name": name},
    "view": lambda name: _("Can view %(name)s") % {"name": name},
}


def permission_label(permission) -> str:
    """ "Catalogue | formation | Peut ajouter formation": app, model and action in the active language."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    name = str(model._meta.verbose_name)
    label = ACTIONS[action](name) if action in ACTIONS and model_name == model._meta.model_name else permission.name
    return "%s | %s | %s" % (model._meta.app_config.verbose_name, name, label)


class TranslatedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.label_from_instance = permission_label
        return field


class AcademyGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    pass


class AcademyUserAdmin(TranslatedPermissionsMixin, UserAdmin):
    pass


admin.site.unregister(Group)
admin.site.register(Group, AcademyGroupAdmin)
admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AcademyUserAdmin)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "academy.compliance"
    label = "compliance"
    verbose_name = _("Compliance")

    def ready(self):
        from academy.accounts.space import register_section

        from .space import staff_section

        register_section(staff_section)

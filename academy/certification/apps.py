from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "academy.certification"
    label = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from academy.accounts.space import register_section

        from .client_space import client_contact_section

        register_section(client_contact_section)

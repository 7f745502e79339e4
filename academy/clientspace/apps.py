from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientSpaceConfig(AppConfig):
    name = "academy.clientspace"
    label = "clientspace"
    verbose_name = _("Client space")

    def ready(self) -> None:
        from academy.accounts.space import register_section

        from .views import my_space_section

        register_section(my_space_section)

from django.core.management.base import BaseCommand

from academy.accounts.setup import setup_roles


class Command(BaseCommand):
    help = "Create or update the role groups (staff administrator, planner, trainer, client contact, trainee)."

    def handle(self, *args, **options):
        for name, count in setup_roles().items():
            self.stdout.write("%s: %d permissions" % (name, count))

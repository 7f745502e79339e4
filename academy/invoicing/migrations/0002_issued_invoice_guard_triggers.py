"""Database guard: an issued invoice and its lines can be neither changed nor deleted (see guards)."""

from django.db import migrations

from academy.invoicing.guards import create_guards_migration, drop_guards_migration


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_invoices_and_credit_notes")]

    operations = [migrations.RunPython(create_guards_migration, drop_guards_migration)]

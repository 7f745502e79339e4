"""Database guard: an issued invoice and its lines can be neither changed nor deleted.

The model refuses too, but a guard only in Python lets a raw query, a bulk update or another
program through; the law's "no alteration after issue" is held by the database itself. After
issue only the payment status may change (issued, partially paid, paid, cancelled by a credit note).
"""

from django.db import migrations

FROZEN = (
    "kind", "number", "seller", "issue_date", "issued_at", "due_date", "payment_terms_days", "payer_kind",
    "bill_to_name", "bill_to_address", "bill_to_email", "bill_to_siret", "bill_to_vat_number",
    "bill_to_country", "client_organisation_id", "agreement_number", "direct_payment", "booking_id",
    "course_session_id", "credited_invoice_id", "credit_reason", "total_net", "total_vat", "total_gross",
)
INVOICE_MESSAGE = "An issued invoice cannot be changed or deleted: issue a credit note to correct it."
LINE_MESSAGE = "The lines of an issued invoice cannot be changed."

SQLITE = [
    """CREATE TRIGGER invoicing_invoice_issued_no_delete BEFORE DELETE ON invoicing_invoice
       WHEN OLD.number IS NOT NULL BEGIN SELECT RAISE(ABORT, '%s'); END""" % INVOICE_MESSAGE,
    """CREATE TRIGGER invoicing_invoice_issued_no_update BEFORE UPDATE ON invoicing_invoice
       WHEN OLD.number IS NOT NULL AND (%s) BEGIN SELECT RAISE(ABORT, '%s'); END"""
    % (" OR ".join("NEW.%s IS NOT OLD.%s" % (c, c) for c in FROZEN), INVOICE_MESSAGE),
    """CREATE TRIGGER invoicing_line_issued_no_insert BEFORE INSERT ON invoicing_invoiceline
       WHEN (SELECT number FROM invoicing_invoice WHERE id = NEW.invoice_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '%s'); END""" % LINE_MESSAGE,
    """CREATE TRIGGER invoicing_line_issued_no_update BEFORE UPDATE ON invoicing_invoiceline
       WHEN (SELECT number FROM invoicing_invoice WHERE id = OLD.invoice_id) IS NOT NULL
         OR (SELECT number FROM invoicing_invoice WHERE id = NEW.invoice_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '%s'); END""" % LINE_MESSAGE,
    """CREATE TRIGGER invoicing_line_issued_no_delete BEFORE DELETE ON invoicing_invoiceline
       WHEN (SELECT number FROM invoicing_invoice WHERE id = OLD.invoice_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '%s'); END""" % LINE_MESSAGE,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS %s" % name
    for name in (
        "invoicing_invoice_issued_no_delete",
        "invoicing_invoice_issued_no_update",
        "invoicing_line_issued_no_insert",
        "invoicing_line_issued_no_update",
        "invoicing_line_issued_no_delete",
    )
]

# SQLSTATE 23000 (integrity_constraint_violation) so drivers raise IntegrityError, as on SQLite.
POSTGRESQL = [
    """CREATE FUNCTION invoicing_invoice_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.number IS NOT NULL THEN
          RAISE EXCEPTION '%(invoice)s' USING ERRCODE = '23000';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.number IS NOT NULL AND (%(changed)s) THEN
        RAISE EXCEPTION '%(invoice)s' USING ERRCODE = '23000';
      END IF;
      RETURN NEW;
    END $$"""
    % {"invoice": INVOICE_MESSAGE, "changed": " OR ".join("NEW.%s IS DISTINCT FROM OLD.%s" % (c, c) for c in FROZEN)},
    """CREATE TRIGGER invoicing_invoice_guard BEFORE UPDATE OR DELETE ON invoicing_invoice
       FOR EACH ROW EXECUTE FUNCTION invoicing_invoice_guard()""",
    """CREATE FUNCTION invoicing_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM invoicing_invoice WHERE id = OLD.invoice_id AND number IS NOT NULL))
         OR (TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM invoicing_invoice WHERE id = NEW.invoice_id AND number IS NOT NULL)) THEN
        RAISE EXCEPTION '%(line)s' USING ERRCODE = '23000';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$"""
    % {"line": LINE_MESSAGE},
    """CREATE TRIGGER invoicing_line_guard BEFORE INSERT OR UPDATE OR DELETE ON invoicing_invoiceline
       FOR EACH ROW EXECUTE FUNCTION invoicing_line_guard()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS invoicing_line_guard ON invoicing_invoiceline",
    "DROP FUNCTION IF EXISTS invoicing_line_guard()",
    "DROP TRIGGER IF EXISTS invoicing_invoice_guard ON invoicing_invoice",
    "DROP FUNCTION IF EXISTS invoicing_invoice_guard()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_invoices_and_credit_notes")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]

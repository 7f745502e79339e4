"""Database guard: an issued invoice and its lines can be neither changed nor deleted.

The model refuses too, but a guard only in Python lets a raw query, a bulk update or another
program through; the law's "no alteration after issue" is held by the database itself (triggers on
PostgreSQL and SQLite). After issue only the payment status and the reminder bookkeeping change.

SQLite rebuilds a table to alter it, which drops its triggers and fails on triggers naming it:
every migration that alters ``invoicing_invoice`` or ``invoicing_invoiceline`` runs
``drop_guards`` first and ``create_guards`` last; ``post_migrate`` re-creates any missing one.
"""

from __future__ import annotations

FROZEN = (
    "kind",
    "number",
    "seller",
    "issue_date",
    "issued_at",
    "due_date",
    "payment_terms_days",
    "payer_kind",
    "bill_to_name",
    "bill_to_address",
    "bill_to_email",
    "bill_to_siret",
    "bill_to_vat_number",
    "bill_to_country",
    "client_organisation_id",
    "agreement_number",
    "direct_payment",
    "booking_id",
    "course_session_id",
    "credited_invoice_id",
    "credit_reason",
    "total_net",
    "total_vat",
    "total_gross",
)
INVOICE_MESSAGE = "An issued invoice cannot be changed or deleted: issue a credit note to correct it."
LINE_MESSAGE = "The lines of an issued invoice cannot be changed."

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS invoicing_invoice_issued_no_delete BEFORE DELETE ON invoicing_invoice
       WHEN OLD.number IS NOT NULL BEGIN SELECT RAISE(ABORT, '%s'); END"""
    % INVOICE_MESSAGE,
    """CREATE TRIGGER IF NOT EXISTS invoicing_invoice_issued_no_update BEFORE UPDATE ON invoicing_invoice
       WHEN OLD.number IS NOT NULL AND (%s) BEGIN SELECT RAISE(ABORT, '%s'); END"""
    % (" OR ".join("NEW.%s IS NOT OLD.%s" % (c, c) for c in FROZEN), INVOICE_MESSAGE),
    """CREATE TRIGGER IF NOT EXISTS invoicing_line_issued_no_insert BEFORE INSERT ON invoicing_invoiceline
       WHEN (SELECT number FROM invoicing_invoice WHERE id = NEW.invoice_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '%s'); END"""
    % LINE_MESSAGE,
    """CREATE TRIGGER IF NOT EXISTS invoicing_line_issued_no_update BEFORE UPDATE ON invoicing_invoiceline
       WHEN (SELECT number FROM invoicing_invoice WHERE id = OLD.invoice_id) IS NOT NULL
         OR (SELECT number FROM invoicing_invoice WHERE id = NEW.invoice_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '%s'); END"""
    % LINE_MESSAGE,
    """CREATE TRIGGER IF NOT EXISTS invoicing_line_issued_no_delete BEFORE DELETE ON invoicing_invoiceline
       WHEN (SELECT number FROM invoicing_invoice WHERE id = OLD.invoice_id) IS NOT NULL
       BEGIN SELECT RAISE(ABORT, '%s'); END"""
    % LINE_MESSAGE,
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
    """CREATE OR REPLACE FUNCTION invoicing_invoice_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
    """CREATE OR REPLACE FUNCTION invoicing_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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


def _execute(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_guards(connection) -> None:
    """Create the triggers guarding issued invoices on ``connection`` (SQLite or PostgreSQL); idempotent."""
    if connection.vendor == "sqlite":
        _execute(connection, SQLITE)
    elif connection.vendor == "postgresql":
        _execute(connection, POSTGRESQL_DROP + POSTGRESQL)


def drop_guards(connection) -> None:
    """Drop those triggers (before a migration alters the guarded tables); idempotent."""
    if connection.vendor == "sqlite":
        _execute(connection, SQLITE_DROP)
    elif connection.vendor == "postgresql":
        _execute(connection, POSTGRESQL_DROP)


def create_guards_migration(apps, schema_editor) -> None:
    """Migration operation (RunPython) creating the guards."""
    create_guards(schema_editor.connection)


def drop_guards_migration(apps, schema_editor) -> None:
    """Migration operation (RunPython) dropping the guards."""
    drop_guards(schema_editor.connection)


def ensure_guards(sender=None, using="default", **kwargs) -> None:
    """``post_migrate`` receiver: re-create the guards once the invoicing tables exist (idempotent)."""
    from django.db import connections

    connection = connections[using]
    if {"invoicing_invoice", "invoicing_invoiceline"} <= set(connection.introspection.table_names()):
        create_guards(connection)

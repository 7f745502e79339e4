"""Errors of invoicing, each with a message staff can act on."""


class InvoiceError(Exception):
    """Raised when an invoice cannot be created, issued, credited or paid; the message says why."""

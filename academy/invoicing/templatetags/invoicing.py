"""Template filters for invoices: amounts in euros and rates as France writes them."""

from decimal import Decimal

from django import template

register = template.Library()


def french_number(value, places: int = 2) -> str:
    """Return ``value`` with a decimal comma and non-breaking spaces between thousands (1 199,99)."""
    text = "%.*f" % (places, Decimal(value))
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + "\u00a0".join(groups) + ("," + fraction if fraction else "")


@register.filter
def euros(value) -> str:
    """Format a Decimal amount as "1 199,99 €"; empty for None."""
    if value is None or value == "":
        return ""
    return french_number(value) + "\u00a0€"


@register.filter
def rate(value) -> str:
    """Format a VAT rate as "20 %" or "5,5 %" (trailing zeros dropped)."""
    text = french_number(value).rstrip("0").rstrip(",")
    return text + "\u00a0%"


@register.filter
def quantity(value) -> str:
    """Format a quantity without useless decimals ("3", "1,5")."""
    return french_number(value).rstrip("0").rstrip(",")

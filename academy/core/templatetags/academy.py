"""Template filters: ``{% load academy %}`` then ``{{ text|markdown }}``, ``{{ dt|local:tz }}``."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from academy.core.text import render_markdown

register = template.Library()


@register.filter
def markdown(text: str | None):
    """Render Markdown then sanitise it (see ``academy.core.text.render_markdown``)."""
    return render_markdown(text)


@register.filter
def local(value, tz_name: str = "Europe/Paris"):
    """Convert an aware datetime to the timezone ``tz_name`` (a session's timezone)."""
    if value is None:
        return value
    return value.astimezone(ZoneInfo(tz_name or "Europe/Paris"))


@register.filter
def siret(value) -> str:
    """A SIRET as people read it: "123 456 782 00002" (SIREN in groups of three, then the NIC),
    with no-break spaces; anything that is not 14 digits is shown as it is."""
    digits = str(value or "")
    if len(digits) != 14 or not digits.isdigit():
        return digits
    return "\u00a0".join([digits[0:3], digits[3:6], digits[6:9], digits[9:]])


@register.simple_tag
def colon() -> str:
    """The separator after a label (``{% colon %}``): ": " in English, " : " in French typography."""
    return pgettext("label separator", ": ")


@register.filter
def event_label(name: str) -> str:
    """What the e-mail event ``name`` sends, in words (its registered description), else the name itself."""
    from academy.core.notifications import email_events

    event = email_events().get(name)
    return str(event.description) if event and event.description else name


@register.filter(name="of")
def of_filter(name) -> str:
    """``{{ person.first_name|of }}``: "d’Inès", "des communs numériques", "de Paul" (French elision)."""
    from academy.core.typography import of

    return of(name)


@register.filter
def of_person(name) -> str:
    """``{{ enrolment.full_name|of_person }}``: "d’Inès Órfão", "de Paul"; a name never contracts."""
    from academy.core.typography import of

    return of(name, contract=False)


@register.filter
def fr_spacing(text) -> str:
    """``{{ text|fr_spacing }}``: no-break spaces before ``: ; ! ?`` in French (see core.typography)."""
    from academy.core.typography import french_spacing

    return french_spacing(text)


@register.filter(name="decimal")
def decimal_filter(value, places=2) -> str:
    """``{{ figure.mean_score|decimal:2 }}``: "4,60" in French, "4.60" in English, rounded half-up."""
    from academy.core.typography import decimal

    return decimal(value, int(places))


@register.filter
def money(value, currency="EUR") -> str:
    """``{{ amount|money }}``: "950,00 €" in French, "€950.00" in English."""
    from academy.core.typography import money as format_money

    return format_money(value, currency)


@register.filter
def money_excl_vat(value, currency="EUR") -> str:
    """``{{ amount|money_excl_vat }}``: "950,00 € HT"."""
    from academy.core.typography import money_excl_vat as format_money

    return format_money(value, currency)


@register.filter
def money_incl_vat(value, currency="EUR") -> str:
    """``{{ amount|money_incl_vat }}``: "1 140,00 € TTC"."""
    from academy.core.typography import money_incl_vat as format_money

    return format_money(value, currency)


@register.filter
def session_price(course_session) -> str:
    """A session's price per trainee as a paying person reads it: "950,00 € HT (1 140,00 € TTC) per trainee".

    Without VAT (rate 0) the price is the same both ways and says so ("net of VAT").
    """
    from academy.core.typography import money, money_excl_vat, money_incl_vat

    if course_session is None or course_session.price_excl_vat is None:
        return ""
    currency = course_session.currency or "EUR"
    if not course_session.vat_rate_pct:
        return _("%(amount)s net of VAT per trainee") % {"amount": money(course_session.price_excl_vat, currency)}
    return _("%(excl)s (%(incl)s) per trainee") % {
        "excl": money_excl_vat(course_session.price_excl_vat, currency),
        "incl": money_incl_vat(course_session.price_incl_vat, currency),
    }

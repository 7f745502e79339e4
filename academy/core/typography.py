"""French typography and locale formats, handled once for templates, documents and e-mails.

- ``of(name)``: the preposition "de" before a name with French elision and contraction
  ("de Inès" → "d’Inès", "de Les communs" → "des communs", "de Le" → "du"); "of Inès" in English.
- ``french_spacing(text)``: a no-break space before « ; : ! ? » and inside « guillemets »
  (Imprimerie nationale, *Lexique des règles typographiques*), French only.
- ``money(amount, currency)``: "950,00 € HT"-style amounts through the active locale
  ("950,00 €" in French, "€950.00" in English), Decimal in, str out.
- ``decimal(value, places)``: a number with the locale's decimal mark ("4,60" / "4.60").
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from academy.core.numbers import round_half_up

NBSP = "\u00a0"
NNBSP = "\u202f"
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}

# Words starting with a vowel sound that still take "de" (aspirated h and a few foreign words).
_NO_ELISION = {
    "hache",
    "haut",
    "hauts",
    "haute",
    "hautes",
    "handicap",
    "hasard",
    "héros",
    "hibou",
    "huit",
    "onze",
    "yaourt",
}
_CONTRACTIONS = (("les ", "des "), ("le ", "du "))


def is_french() -> bool:
    """True when the active language is French (the default)."""
    return (get_language() or "fr").split("-")[0] == "fr"


def _starts_with_vowel_sound(word: str) -> bool:
    first = unicodedata.normalize("NFD", word[:1])[:1].lower()
    if not first:
        return False
    head = re.split(r"[\s\-’']", word, maxsplit=1)[0].lower()
    if head in _NO_ELISION:
        return False
    return first in "aeiouyh"


def of(name: str, *, contract: bool = True) -> str:
    """Return "de <name>" with French elision and contraction, or "of <name>" in English.

    >>> of("Inès") == "d’Inès"; of("Les communs numériques") == "des communs numériques"
    Proper names keep their capital after elision; "Le"/"Les" starting a title contract unless
    ``contract`` is False (a person's name: "de Le Goff Marie" stays as written).
    """
    name = str(name or "").strip()
    if not name:
        return ""
    if not is_french():
        return "of " + name
    lowered = name.lower()
    for article, contracted in _CONTRACTIONS if contract else ():
        if lowered.startswith(article):
            return contracted + name[len(article) :]
    if _starts_with_vowel_sound(name):
        return "d’" + name
    return "de " + name


def french_spacing(text: str) -> str:
    """Put a no-break space before ``: ; ! ?`` and inside « » in French text; unchanged in English.

    URLs and times ("12:30", "https://") are left alone: only a colon followed by a space or the
    end of the text is a punctuation mark.
    """
    text = str(text)
    if not is_french():
        return text
    text = re.sub(r"[ \u00a0\u202f]*([;!?])(?=\s|$)", NNBSP + r"\1", text)
    text = re.sub(r"[ \u00a0\u202f]*:(?=\s|$)", NBSP + ":", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    text = re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", text)
    return text


def decimal(value, places: int = 2) -> str:
    """Return ``value`` rounded half-up to ``places`` decimals with the locale's separators."""
    if value is None or value == "":
        return ""
    rounded = round_half_up(Decimal(str(value)), places)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True).replace(" ", NBSP)


def money(amount, currency: str = "EUR") -> str:
    """Return an amount with cents and its currency as the locale writes it: "1 950,00 €", "€1,950.00"."""
    if amount is None or amount == "":
        return ""
    number = decimal(amount, 2)
    symbol = CURRENCY_SYMBOLS.get(currency or "EUR", currency or "")
    if is_french() or len(symbol) > 1:
        return number + NBSP + symbol
    return symbol + number


def money_excl_vat(amount, currency: str = "EUR") -> str:
    """ "950,00 € HT" / "€950.00 excl. VAT"."""
    return _("%(amount)s excl. VAT") % {"amount": money(amount, currency)}


def money_incl_vat(amount, currency: str = "EUR") -> str:
    """ "1 140,00 € TTC" / "€1,140.00 incl. VAT"."""
    return _("%(amount)s incl. VAT") % {"amount": money(amount, currency)}

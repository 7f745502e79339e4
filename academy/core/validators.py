"""Validators for text and e-mail addresses typed by the public.

They refuse, at the form, what would otherwise be stored and only fail (or mislead) later:
control characters that show as fake lines in staff e-mails, and addresses no mail system can
deliver to.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode general categories never typed in a single-line field: controls (CR, LF, TAB, NUL…),
# format characters (bidirectional overrides, zero-width joiners), surrogates, private use,
# unassigned code points, and the line and paragraph separators.
SINGLE_LINE_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# In a multi-line text the usual white space stays allowed.
MULTI_LINE_ALLOWED = frozenset("\n\r\t")
MULTI_LINE_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Bidirectional embeddings, overrides and isolates (Unicode UAX #9) reorder what staff read ("evil"
# shown as "live"); a multi-line text refuses them too, while other format characters (zero-width
# joiners of emoji and Indic scripts) stay allowed there.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# RFC 5321 4.5.3.1: local part ≤ 64 octets; RFC 1035 2.3.4: label ≤ 63 octets, name ≤ 253 in text.
MAX_LOCAL_PART_OCTETS = 64
MAX_LABEL_OCTETS = 63
MAX_DOMAIN_OCTETS = 253


def validate_single_line(value: str) -> None:
    """Refuse line breaks and other invisible control characters in a one-line text.

    Names, organisation, phone… are shown in e-mail headers and as lines of staff e-mails: a line
    break typed into them would show as a fake line ("Organisation: …") of the message.
    """
    for char in value or "":
        if unicodedata.category(char) in SINGLE_LINE_FORBIDDEN_CATEGORIES:
            raise ValidationError(
                _("Type this on one line, without line breaks or control characters (found %(char)s)."),
                code="control_character",
                params={"char": "U+%04X" % ord(char)},
            )


def validate_multi_line_text(value: str) -> None:
    """Refuse control characters other than line breaks and tabs in a multi-line text."""
    for char in value or "":
        if char in BIDI_CONTROLS or (
            char not in MULTI_LINE_ALLOWED and unicodedata.category(char) in MULTI_LINE_FORBIDDEN_CATEGORIES
        ):
            raise ValidationError(
                _("This text holds a control character (%(char)s): please remove it."),
                code="control_character",
                params={"char": "U+%04X" % ord(char)},
            )


def validate_deliverable_email(value: str) -> None:
    """Refuse an e-mail address that can never be sent to, though its syntax looks valid.

    Applied after Django's syntax check: the address must be on one line with no control or
    invisible character, its local part at most 64 octets (RFC 5321), and its domain must encode
    to ASCII with IDNA — the step every sending goes through — in labels of at most 63 octets
    (RFC 1035), for at most 253 octets in all.
    """
    validate_single_line(value)
    local, _at, domain = (value or "").rpartition("@")
    if not local or not domain:
        return  # the syntax check reports it
    if len(local.encode("utf-8")) > MAX_LOCAL_PART_OCTETS:
        raise ValidationError(
            _("The part before “@” is too long (at most %(max)d characters)."),
            code="local_part_length",
            params={"max": MAX_LOCAL_PART_OCTETS},
        )
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = ""
    labels = ascii_domain.rstrip(".").split(".")
    if (
        not ascii_domain
        or len(ascii_domain) > MAX_DOMAIN_OCTETS
        or any(not label or len(label) > MAX_LABEL_OCTETS for label in labels)
    ):
        raise ValidationError(
            _("The domain “%(domain)s” of this address cannot exist: please check it."),
            code="undeliverable_domain",
            params={"domain": domain[:80]},
        )


def normalise_siret(value: str) -> str:
    """Return the SIRET without spaces; refuse anything but 14 digits passing the Luhn check (INSEE)."""
    digits = "".join((value or "").split())
    if not digits.isdigit() or len(digits) != 14:
        raise ValidationError(_("A SIRET has 14 digits."), code="siret_length")
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    # La Poste's establishments (SIREN 356000000) use another rule: sum of digits multiple of 5.
    if total % 10 != 0 and not (digits.startswith("356000000") and sum(map(int, digits)) % 5 == 0):
        raise ValidationError(_("This SIRET is not valid: please check the digits."), code="siret_checksum")
    return digits


def normalise_declaration_number(value: str) -> str:
    """Return a training organisation's declaration number (NDA) without spaces; refuse anything but 11 digits."""
    digits = "".join((value or "").split())
    if not digits.isdigit() or len(digits) != 11:
        raise ValidationError(_("A declaration number (NDA) has 11 digits."), code="declaration_number_length")
    return digits

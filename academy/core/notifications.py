"""One path for every e-mail the product sends: ``notify(event=…, to=…, context=…, language=…)``.

Events and templates
    An e-mail event has a dotted name, ``<area>.<what>`` (``enrolment.confirmed``). Its templates
    are found through the template loaders at ``email/<area>/<what>_subject.txt``,
    ``email/<area>/<what>_body.txt`` and, optionally, ``email/<area>/<what>_body.html`` — the
    dot becomes a folder, so ``enrolment.confirmed`` lives in
    ``academy/enrolment/templates/email/enrolment/confirmed_*``. Templates are written in English
    with ``{% translate %}``; French (the default language) comes from the app's catalogue.
    Every event is registered with ``register_email_event`` from its app's ``ready()``, so
    ``email_events()`` lists every e-mail the product can send and ``notify`` refuses any other.

Recipients
    ``to`` takes addresses, ``(display name, address)`` pairs or ``Recipient`` values. Names and
    addresses are folded to one line and checked. The message stores bare addresses and, beside
    them, each display name; delivery writes ``"Name" <address>`` with the name always quoted,
    and Django's ``sanitize_address`` encodes it per RFC 5322 / RFC 2047. A name can therefore
    never add a header or a second recipient. Addresses erasure left behind (``.invalid``, RFC
    2606) are dropped: nothing is ever written to an erased person.

Delivery
    The message is stored as an ``OutboundEmail`` in the caller's transaction and delivered by
    the ``deliver_email`` background task after commit (``academy.core.delivery`` for retries).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .text import single_line

#: Characters never allowed in a header value, even after folding white space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: Erasure (GDPR art. 17) replaces a person's address by one on this reserved domain (RFC 2606).
ERASED_DOMAIN = "invalid.invalid"


def erased_address(label: str) -> str:
    """Return the placeholder address erasure gives a record, ``erased-<label>@invalid.invalid``."""
    return "erased-%s@%s" % (label, ERASED_DOMAIN)


def is_erased_address(address: str) -> bool:
    """True for an address no message may go to: no ``@`` (a scrubbed ``[erased]``) or a ``.invalid`` domain.

    The top-level domain ``.invalid`` is reserved by RFC 2606 and can never be delivered to; erasure
    uses it for the placeholders it leaves (``ERASED_DOMAIN``), so one rule covers every app.
    """
    domain = (address or "").rpartition("@")[2].strip().lower().rstrip(".")
    return "@" not in (address or "") or domain == "invalid" or domain.endswith(".invalid")


class NotificationError(ValueError):
    """Raised for an unregistered event or an unusable recipient; the message says which."""


@dataclass(frozen=True)
class EmailEvent:
    """An e-mail the product sends: dotted ``name``, owning ``app_label`` and a ``description``."""

    name: str
    app_label: str
    description: str


@dataclass(frozen=True)
class Recipient:
    """One recipient: ``address`` and an optional display ``name`` (kept on the delivered message)."""

    address: str
    name: str = ""

    def formatted(self) -> str:
        """Return ``address`` alone, or ``"name" <address>`` with the name quoted and escaped."""
        if not self.name:
            return self.address
        quoted = self.name.replace("\\", "\\\\").replace('"', '\\"')
        return '"%s" <%s>' % (quoted, self.address)


_registry: dict[str, EmailEvent] = {}


def register_email_event(name: str, *, app_label: str, description: str = "") -> EmailEvent:
    """Register the e-mail event ``name`` (``<area>.<what>``, lower case); re-registering replaces it.

    Raises NotificationError when the name is not two or more dotted lower-case words.
    """
    if not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+", name):
        raise NotificationError("E-mail event %r must be dotted lower-case words, like 'enrolment.confirmed'." % name)
    event = EmailEvent(name=name, app_label=app_label, description=description)
    _registry[name] = event
    return event


def register_email_events(app_label: str, events: dict[str, str]) -> None:
    """Register each ``{name: description}`` of ``events`` for ``app_label`` (see ``register_email_event``)."""
    for name, description in events.items():
        register_email_event(name, app_label=app_label, description=description)


def email_events() -> dict[str, EmailEvent]:
    """Return every registered e-mail event, by name."""
    return dict(_registry)


def template_names(event: str) -> dict[str, str]:
    """Return the ``subject``, ``body_text`` and ``body_html`` template names of ``event``."""
    area, _dot, what = event.rpartition(".")
    base = "email/%s/%s" % (area.replace(".", "/"), what)
    return {"subject": base + "_subject.txt", "body_text": base + "_body.txt", "body_html": base + "_body.html"}


def make_recipient(value) -> Recipient:
    """Turn an address, a ``(name, address)`` pair, a ``Recipient`` or a ``"Name <address>"`` string into one.

    Raises NotificationError naming the value when the address is not one valid e-mail address.
    """
    if isinstance(value, Recipient):
        name, address = value.name, value.address
    elif isinstance(value, tuple | list) and len(value) == 2:
        name, address = value
    else:
        text = single_line(str(value or ""))
        name, address = parseaddr(text) if "<" in text else ("", text)
    name = single_line(_CONTROL.sub(" ", str(name or "")))
    address = single_line(_CONTROL.sub(" ", str(address or "")))
    try:
        validate_email(address)
    except ValidationError:
        raise NotificationError("Not a valid e-mail address for a recipient: %r." % address) from None
    return Recipient(address=address, name=name[:200])


def _recipients(to) -> list[Recipient]:
    # A bare 2-tuple is one (name, address) pair, unless its first item is itself an address.
    pair = isinstance(to, tuple) and len(to) == 2 and isinstance(to[0], str) and "@" not in to[0]
    if isinstance(to, str | Recipient) or pair:
        to = [to]
    seen, result = set(), []
    for value in to or ():
        if not value or (isinstance(value, tuple | list) and not value[1]):
            continue
        recipient = make_recipient(value)
        if is_erased_address(recipient.address):
            continue  # an erased person is never written to again
        key = recipient.address.lower()
        if key not in seen:
            seen.add(key)
            result.append(recipient)
    return result


def text_as_html(text: str) -> str:
    """The plain-text body as safe HTML: escaped, paragraphs and line breaks kept, URLs as links."""
    from django.utils.html import urlize
    from django.utils.safestring import mark_safe
    from django.utils.text import normalize_newlines

    paragraphs = re.split(r"\n{2,}", normalize_newlines(text).strip())
    html = "".join("<p>%s</p>" % urlize(paragraph, autoescape=True).replace("\n", "<br>\n") for paragraph in paragraphs)
    return mark_safe(html)


def render_event(event: str, *, context: dict | None = None, language: str | None = None) -> dict[str, str]:
    """Render ``event``'s templates in ``language`` (default: the site's); return subject and bodies.

    The subject is folded to one line. ``body_html`` is the event's HTML template, else the text
    body laid out in the shared branded layout (``email/base.html``).
    Raises NotificationError for an unregistered event; TemplateDoesNotExist for a missing subject
    or text body.
    """
    if event not in _registry:
        raise NotificationError("Unknown e-mail event %r: register it with register_email_event()." % event)
    from .models import TrainingOrganisation

    names = template_names(event)
    with translation.override(language or settings.LANGUAGE_CODE):
        full = {"organisation": TrainingOrganisation.current(), "site_url": settings.SITE_URL, **(context or {})}
        subject = single_line(render_to_string(names["subject"], full))
        body_text = render_to_string(names["body_text"], full)
        try:
            html_template = get_template(names["body_html"])
        except TemplateDoesNotExist:
            # Every e-mail has an HTML part in the organisation's layout: the text, escaped, in
            # paragraphs, its links made clickable.
            body_html = render_to_string("email/text_as_html.html", {**full, "text_html": text_as_html(body_text)})
        else:
            body_html = html_template.render(full)
    return {"subject": subject, "body_text": body_text, "body_html": body_html}


def notify(
    *,
    event: str,
    to,
    context: dict | None = None,
    language: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    reply_to: Iterable = (),
    category: str = "",
):
    """Render ``event`` for ``to`` in ``language`` and queue it; return the ``OutboundEmail`` or None.

    ``to`` is one recipient or a list (see ``make_recipient``); duplicates (same address, any case),
    empty values and erased placeholders (``is_erased_address``) are dropped, and nothing is queued when no recipient is left. ``context`` is
    passed to the templates with ``organisation`` and ``site_url`` added. ``attachments`` are
    ``(filename, bytes, mimetype)``. ``category`` (default: the event name) labels the message in
    the outbox. The message is stored in the current transaction and delivered after commit.
    Raises NotificationError for an unregistered event or an invalid address.
    """
    from .services import queue_email

    recipients = _recipients(to)
    if not recipients:
        if event not in _registry:
            raise NotificationError("Unknown e-mail event %r: register it with register_email_event()." % event)
        return None
    rendered = render_event(event, context=context, language=language)
    replies = _recipients(list(reply_to))
    return queue_email(
        to=[r.address for r in recipients],
        subject=rendered["subject"],
        body_text=rendered["body_text"],
        body_html=rendered["body_html"],
        attachments=attachments,
        reply_to=[r.address for r in replies],
        category=category or event,
        display_names={r.address: r.name for r in recipients + replies if r.name},
    )


def formatted_recipients(addresses: Iterable[str], display_names: dict[str, str]) -> list[str]:
    """Return each of ``addresses`` with its display name, as ``Recipient.formatted`` writes it."""
    return [Recipient(address=a, name=single_line(display_names.get(a, ""))).formatted() for a in addresses]

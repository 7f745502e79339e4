"""A person's exported data as staff read it: labelled in their language, times local, no raw dump.

``readable_sections(data)`` turns ``export_person``'s ``{app_label: {collection: [records]}}`` into
sections of labelled records. Keys are named through ``LABELS`` (translated), ISO 8601 times are
shown in ``timezone`` (Europe/Paris by default) with the locale's format, codes such as ``sent``
are shown translated when the catalogue knows them, and nothing is left out: unknown keys keep a
humanised name.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LABELS = {
    "accessibility_needs": _("accessibility needs"),
    "accounts": _("accounts"),
    "action": _("action"),
    "address": _("address"),
    "amount_excl_vat": _("amount excl. VAT"),
    "answer": _("answer"),
    "answers": _("answers"),
    "arrived_at": _("arrived at"),
    "at": _("at"),
    "attachments": _("attachments"),
    "billed_to": _("billed to"),
    "body_text": _("text"),
    "booking": _("booking"),
    "cancelled_at": _("cancelled at"),
    "category": _("category"),
    "certificates": _("certificates"),
    "client_organisation": _("client organisation"),
    "confirmed_at": _("confirmed at"),
    "contact_email": _("contact e-mail"),
    "contact_name": _("contact name"),
    "course": _("course"),
    "course_session": _("session"),
    "step": _("reminder number"),
    "created_at": _("created at"),
    "data": _("details"),
    "date": _("date"),
    "date_joined": _("account created at"),
    "drawing": _("drawing"),
    "email": _("e-mail"),
    "attendance": _("attendance"),
    "bookings_as_contact": _("bookings as contact"),
    "enrolments": _("enrolments"),
    "funding_lines": _("funding lines"),
    "quotes": _("quotes"),
    "responses": _("questionnaire answers"),
    "emails": _("e-mails sent to the person"),
    "emails_mentioning": _("e-mails that mention the person"),
    "audit_log": _("audit log"),
    "entered_by_trainer": _("entered by the trainer"),
    "error": _("error"),
    "event": _("event"),
    "first_date": _("first day"),
    "first_name": _("first name"),
    "full_name": _("full name"),
    "funder_name": _("funder"),
    "funding": _("funding"),
    "holder_name": _("holder"),
    "hours": _("hours"),
    "invoices": _("invoices"),
    "ip_address": _("IP address"),
    "issue_date": _("issue date"),
    "issued_at": _("issued at"),
    "job_title": _("job title"),
    "kind": _("kind"),
    "last_date": _("last day"),
    "last_login": _("last log-in"),
    "last_name": _("last name"),
    "leads": _("requests"),
    "left_at": _("left at"),
    "message": _("message"),
    "method": _("method"),
    "nature": _("nature"),
    "note": _("note"),
    "number": _("number"),
    "object_id": _("object"),
    "object_type": _("object type"),
    "organisation": _("organisation"),
    "payer_kind": _("payer kind"),
    "payer_name": _("payer"),
    "phone": _("phone"),
    "place": _("place"),
    "questionnaire": _("questionnaire"),
    "questionnaire_emails": _("questionnaire e-mails"),
    "reference": _("reference"),
    "roles": _("roles"),
    "sent_at": _("sent at"),
    "session": _("session"),
    "signatures": _("signatures"),
    "signed_at": _("signed at"),
    "slot_start": _("half-day"),
    "status": _("status"),
    "subject": _("subject"),
    "submitted_at": _("submitted at"),
    "summary": _("summary"),
    "terms_accepted_at": _("terms accepted at"),
    "to": _("recipients"),
    "total_incl_vat": _("total incl. VAT"),
    "trainee_count": _("number of trainees"),
    "trainees": _("trainees"),
    "user_agent": _("browser"),
    "username": _("username"),
    "verification_path": _("verification page"),
    "version": _("version"),
    "wished_period": _("wished period"),
}

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[a-z][a-z_]{1,30}$")


@dataclass
class Record:
    """One exported record: ``(label, text, is_long)`` rows."""

    rows: list[tuple[str, str, bool]] = field(default_factory=list)


@dataclass
class Group:
    label: str
    records: list[Record]


@dataclass
class Section:
    label: str
    groups: list[Group]


def label(key: str) -> str:
    """The staff-facing name of an export key, translated; an unknown key humanised."""
    known = LABELS.get(key)
    return capfirst(str(known) if known is not None else key.replace("_", " "))


def value_text(value, tz: ZoneInfo) -> str:
    """One value as text: local times, "yes"/"no", lists joined, translated codes, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(value.astimezone(tz) if value.tzinfo else value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item, tz) for item in value)
    if isinstance(value, dict):
        return " · ".join("%s : %s" % (label(k), value_text(v, tz)) for k, v in value.items())
    text = str(value)
    if _ISO_DATETIME.match(text):
        try:
            return value_text(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")), tz)
        except ValueError:
            return text
    if _ISO_DATE.match(text):
        try:
            return value_text(datetime.date.fromisoformat(text), tz)
        except ValueError:
            return text
    if _CODE.match(text):
        translated = gettext(capfirst(text.replace("_", " ")))
        if translated != capfirst(text.replace("_", " ")):
            return translated
    return text


def _event_text(value) -> str | None:
    """The description of an e-mail or audit event name ("enrolment.confirmed"), if registered."""
    from academy.core.audit import AUDIT_EVENTS
    from academy.core.notifications import email_events

    event = email_events().get(value)
    if event is not None and event.description:
        return str(event.description)
    audit = AUDIT_EVENTS.get(value)
    return str(audit.label) if audit is not None else None


def _record(item, tz: ZoneInfo) -> Record:
    if not isinstance(item, dict):
        return Record(rows=[("", value_text(item, tz), False)])
    rows = []
    for key, value in item.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            text = "\n".join(value_text(v, tz) for v in value)
        elif key in ("category", "event") and isinstance(value, str) and _event_text(value):
            text = _event_text(value)
        else:
            text = value_text(value, tz)
        rows.append((label(key), text, "\n" in text or len(text) > 120))
    return Record(rows=rows)


def _app_name(app_label: str) -> str:
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def readable_sections(data: dict, *, timezone: str = "Europe/Paris") -> list[Section]:
    """``export_person`` data as sections (one per app) of groups (one per collection) of records."""
    tz = ZoneInfo(timezone)
    sections = []
    for app_label, held in data.items():
        groups = []
        items = held.items() if isinstance(held, dict) else [("", held)]
        for key, value in items:
            values = value if isinstance(value, list) else [value]
            groups.append(Group(label=label(key) if key else "", records=[_record(v, tz) for v in values]))
        sections.append(Section(label=_app_name(app_label), groups=groups))
    return sections

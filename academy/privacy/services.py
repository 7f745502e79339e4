"""Privacy services: consent choices, audience counts, a person's rights (export, erasure), retention."""

from __future__ import annotations

import calendar
import datetime
import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from academy.core.audit import person_reference, record_event
from academy.core.text import normalise_email

from .consent import ConsentState, new_consent_id, purpose_keys, purposes
from .models import ConsentRecord, PageViewCount
from .registry import providers


class PrivacyError(Exception):
    """A privacy request cannot be carried out as asked."""


# ---------------------------------------------------------------------------------------------
# Consent


def record_consent(
    *, action: str, allowed: Iterable[str] = (), previous: ConsentState | None = None
) -> tuple[ConsentState, ConsentRecord]:
    """Record a consent choice and return the new state with its proof record.

    ``action`` is a ``ConsentRecord.Action`` value; ``allowed`` lists the purpose keys allowed when
    ``action`` is "custom" (unknown keys are ignored). "accept_all" allows every purpose,
    "refuse_all" and "withdraw" none. The pseudonymous identifier of ``previous`` is kept so the
    proof records of one browser follow each other. Raises PrivacyError for an unknown action.
    Source: CNIL deliberation 2020-091 art. 2 (consent must be provable), 2020-092 (refusing is
    as easy as accepting, withdrawal at any time).
    """
    keys = purpose_keys()
    if action == ConsentRecord.Action.ACCEPT_ALL:
        choices = {key: True for key in keys}
    elif action in (ConsentRecord.Action.REFUSE_ALL, ConsentRecord.Action.WITHDRAW):
        choices = {key: False for key in keys}
    elif action == ConsentRecord.Action.CUSTOM:
        allowed_set = set(allowed)
        choices = {key: key in allowed_set for key in keys}
    else:
        raise PrivacyError("Unknown consent action: %r" % action)
    consent_id = previous.consent_id if previous is not None and previous.consent_id else new_consent_id()
    now = timezone.now().replace(microsecond=0)
    record = ConsentRecord.objects.create(
        consent_id=consent_id, banner_version=_banner_version(), action=action, choices=choices
    )
    return ConsentState(chosen=True, consent_id=consent_id, given_at=now, choices=choices), record


def _banner_version() -> str:
    from .consent import BANNER_VERSION

    return BANNER_VERSION


def cookies_to_delete(*, previous: ConsentState, current: ConsentState) -> list[str]:
    """Return the cookie names set by purposes that ``previous`` allowed and ``current`` does not."""
    names: list[str] = []
    for purpose in purposes():
        if previous.allows(purpose.key) and not current.allows(purpose.key):
            names.extend(purpose.cookies)
    return names


# ---------------------------------------------------------------------------------------------
# Audience measurement (cookieless)

AUDIENCE_RETENTION_MONTHS = 25


#: Buffered counts live this long in the cache: far longer than between two flushes.
AUDIENCE_BUFFER_SECONDS = 3 * 24 * 3600
_AUDIENCE = "audience:"


def count_page_view(*, path: str, day: datetime.date) -> None:
    """Add one view of ``path`` on ``day`` to a counter in the cache (no database write).

    The increment is atomic (``cache.incr``); :func:`flush_page_views`, run by the periodic work,
    adds the buffered counts to the database. Each new (day, path) gets a numbered slot so the
    flush can find it without listing keys.
    """
    path = path[:200]
    key = "%sn:%s:%s" % (_AUDIENCE, day.isoformat(), hashlib.sha256(path.encode()).hexdigest()[:32])
    try:
        cache.incr(key)
        return
    except ValueError:
        pass
    if not cache.add(key, 1, AUDIENCE_BUFFER_SECONDS):
        cache.incr(key)
        return
    cache.add(_AUDIENCE + "slots", 0, None)
    slot = cache.incr(_AUDIENCE + "slots")
    cache.set("%sslot:%d" % (_AUDIENCE, slot), (day.isoformat(), path, key), AUDIENCE_BUFFER_SECONDS)


def flush_page_views(*, today: datetime.date | None = None) -> int:
    """Add the counts buffered in the cache to ``PageViewCount``; return the views written.

    Safe to run concurrently with counting: each counter is decremented by what was written, so a
    view counted meanwhile waits for the next flush. Slots of past days are dropped once flushed.
    """
    today = today or timezone.localdate()
    last = cache.get(_AUDIENCE + "slots") or 0
    first = cache.get(_AUDIENCE + "first") or 1
    slot_keys = ["%sslot:%d" % (_AUDIENCE, n) for n in range(first, last + 1)]
    slots = cache.get_many(slot_keys)
    counts = cache.get_many([slot[2] for slot in slots.values()])
    written = 0
    table = PageViewCount._meta.db_table
    new_first = first
    for n, slot_key in zip(range(first, last + 1), slot_keys, strict=True):
        slot = slots.get(slot_key)
        if slot is None:
            if n == new_first:
                new_first = n + 1
            continue
        day, path, key = slot
        views = counts.get(key) or 0
        if views > 0:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO %s (day, path, views) VALUES (%%s, %%s, %%s) "
                    "ON CONFLICT (day, path) DO UPDATE SET views = %s.views + %%s" % (table, table),
                    [day, path, views, views],
                )
            cache.decr(key, views)
            written += views
        if day < today.isoformat() and not cache.get(key):
            cache.delete_many([slot_key, key])
            if n == new_first:
                new_first = n + 1
    cache.set(_AUDIENCE + "first", new_first, None)
    return written


def months_before(day: datetime.date, months: int) -> datetime.date:
    """Return the date ``months`` calendar months before ``day`` (day clipped to the month's end)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def purge_audience(*, today: datetime.date | None = None) -> int:
    """Delete page-view counts older than 25 months (CNIL deliberation 2020-091 art. 5); return rows deleted."""
    today = today or timezone.localdate()
    deleted, _ = PageViewCount.objects.filter(day__lt=months_before(today, AUDIENCE_RETENTION_MONTHS)).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# A person's rights (GDPR art. 15, 17, 20). ``person_reference`` (the keyed pseudonym audit
# entries keep instead of an address) lives in ``academy.core.audit``; callers may import it here.


def export_person(*, email: str, by=None, request=None) -> dict:
    """Return everything held about the person with ``email``, by app: ``{app_label: {...}}``.

    Apps with nothing about the person are left out. The export is recorded in the audit log
    under a pseudonymous reference. Raises PrivacyError for an empty address.
    """
    email_normalised = normalise_email(email)
    if not email_normalised or "@" not in email_normalised:
        raise PrivacyError("An e-mail address is needed to find a person.")
    data = {}
    for provider in providers():
        held = provider.export(email_normalised)
        if held:
            data[provider.app_label] = held
    record_event(
        "personal_data.exported",
        object_type="person",
        object_id=person_reference(email_normalised),
        data={"apps": sorted(data)},
        summary="Export of a person's data (%d apps)" % len(data),
        request=request,
        actor=by,
    )
    return data


def person_identifiers(email_normalised: str) -> list[str]:
    """Return what identifies the person in free text, longest first: the address and what the providers know.

    Every provider's ``identify`` contributes (names, usernames, phone numbers in their typed forms);
    values shorter than 3 characters are left out, as they would match unrelated text.
    """
    identifiers = {email_normalised}
    for provider in providers():
        if provider.identify is not None:
            identifiers.update(s for s in provider.identify(email_normalised) if s and len(s.strip()) >= 3)
    return sorted(identifiers, key=len, reverse=True)


def erase_person(*, email: str, by=None, request=None) -> dict:
    """Erase the person with ``email`` everywhere, atomically; return ``{"changed": {app: n}, "retained": [...]}``.

    First what is under way ends through the apps' own services (``withdraw``: seats on sessions
    not started are cancelled, so the waiting list moves up and those people are told). Then each
    app's provider anonymises or deletes its records, keeping legally retained evidence (attendance
    and certificates during their retention period). What identifies the person (names, phone
    numbers, address) is collected before anonymising and scrubbed from free text (e-mail bodies,
    the development mail folder, logs) once every provider has run. The audit entry holds a
    pseudonymous reference, never the name or address. Raises PrivacyError for an empty address;
    any provider failure rolls everything back.
    """
    email_normalised = normalise_email(email)
    if not email_normalised or "@" not in email_normalised:
        raise PrivacyError("An e-mail address is needed to find a person.")
    found = providers()
    with transaction.atomic():
        changed = {}
        for provider in found:
            if provider.withdraw is not None:
                changed[provider.app_label] = provider.withdraw(email_normalised, by=by)
        texts = person_identifiers(email_normalised)
        # Higher apps first: they find the person through lower apps' rows (attendance and
        # certificates through the enrolment), which the lower apps' erasure anonymises.
        for provider in reversed(found):
            changed[provider.app_label] = changed.get(provider.app_label, 0) + provider.erase(email_normalised)
        for provider in found:
            if provider.scrub is not None:
                changed[provider.app_label] = changed.get(provider.app_label, 0) + provider.scrub(texts)
        record_event(
            "personal_data.erased",
            object_type="person",
            object_id=person_reference(email_normalised),
            data={"changed": dict(sorted(changed.items()))},
            summary="Erasure of a person's data: %s" % ", ".join("%s=%d" % kv for kv in sorted(changed.items())),
            request=request,
            actor=by,
        )
    retained = [item for provider in found for item in provider.retained]
    return {"changed": changed, "retained": retained}


def apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every app's retention periods (docs/privacy.md); return records removed, by app.

    Idempotent: may run late or twice.
    """
    now = now or timezone.now()
    removed = {}
    for provider in providers():
        if provider.apply_retention is not None:
            removed[provider.app_label] = provider.apply_retention(now)
    return removed

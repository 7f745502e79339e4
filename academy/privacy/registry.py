"""Personal-data providers: how each app exports and erases what it holds about a person.

Each app that stores personal data has a module ``personal_data.py`` defining ``PROVIDER``, a
``PersonalDataProvider`` (or ``PROVIDERS``, a list of them, in the order of the apps they serve:
the privacy app declares core's provider, since core does not import privacy). The privacy app discovers these modules and calls every provider for a
right-of-access export or an erasure (GDPR art. 15, 17). A person is identified by e-mail address,
compared normalised (``academy.core.text.normalise_email``).

Erasure anonymises rather than deletes where counts and pages must keep working, and keeps what
the law requires (attendance records and certificates during their retention period: Code du
travail R.6353-1, 3 years after the end of the year of the last payment); those are erased by
the retention job once that period ends (``apply_retention``).

An erasure runs in one transaction: every ``withdraw`` first (cancel what is under way, through
the apps' own services), then every ``identify`` (names the person is known by), then
every ``erase`` in reverse order of the installed apps (an app finds the person through the rows
of the apps it depends on, so those are anonymised last), then every ``scrub`` with those names and the address, so free text written by
other apps (e-mail bodies, log summaries) loses them too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class PersonalDataProvider:
    """Export and erasure hooks of one app.

    ``export(email_normalised) -> dict`` returns JSON-serialisable data held about the person
    (empty dict when none). ``erase(email_normalised) -> int`` anonymises or deletes it, keeping
    legally retained evidence, and returns how many records were changed. ``retained`` names what is
    kept and why, for the erasure report.

    Optional: ``withdraw(email_normalised, by) -> int`` ends what is under way for the person before
    anything is anonymised (enrolment: cancels seats on sessions not started, so the waiting list
    moves up) and returns how many records changed; ``identify(email_normalised) -> list[str]``
    returns what identifies the person in free text (names "First Last", phone numbers); ``scrub(texts) -> int`` replaces each of ``texts`` in the app's free
    text and returns how many records changed; ``apply_retention(now) -> int`` deletes or
    anonymises what is past its retention period (docs/privacy.md) and returns how many records.
    """

    app_label: str
    export: Callable[[str], dict]
    erase: Callable[[str], int]
    retained: list[str] = field(default_factory=list)
    identify: Callable[[str], list[str]] | None = None
    withdraw: Callable[..., int] | None = None
    scrub: Callable[[list[str]], int] | None = None
    apply_retention: Callable[[datetime], int] | None = None


ERASED_TEXT = "[erased]"


def providers() -> list[PersonalDataProvider]:
    """Return every app's providers, discovering ``<app>.personal_data`` modules, in app order."""
    import importlib

    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("academy."):
            continue
        name = "%s.personal_data" % config.name
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A provider module that exists but fails to import is a bug, not "no data here".
            if exc.name != name:
                raise
            continue
        found.extend(getattr(module, "PROVIDERS", None) or [module.PROVIDER])
    return found

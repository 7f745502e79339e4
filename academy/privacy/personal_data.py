"""Personal data held by the privacy app and Django's auth: user accounts, client-contact links.

Consent records hold no personal data linkable to an address (a random identifier only).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model

from academy.core.models import AuditLogEntry
from academy.core.text import normalise_email

from .core_personal_data import PROVIDER as CORE_PROVIDER
from .models import ClientContact, ConsentRecord
from .registry import PersonalDataProvider
from .retention import CONSENT_PROOF_YEARS
from .scrub import contains_any, scrub_text, variants


def _users(email: str):
    User = get_user_model()
    candidates = User.objects.filter(email__icontains=email.split("@")[-1]).prefetch_related("groups")
    return [u for u in candidates if normalise_email(u.email) == email]


def export(email: str) -> dict:
    accounts = []
    for user in _users(email):
        contact = ClientContact.objects.filter(user=user).select_related("client_organisation").first()
        accounts.append(
            {
                "username": user.get_username(),
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "date_joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else None,
                "roles": sorted(g.name for g in user.groups.all()),
                "client_organisation": contact.client_organisation.name if contact else None,
            }
        )
    return {"accounts": accounts} if accounts else {}


def identify(email: str) -> list[str]:
    names = []
    for user in _users(email):
        if user.first_name or user.last_name:
            names.append("%s %s" % (user.first_name, user.last_name))
        names.append(user.get_username())
    return names


def erase(email: str) -> int:
    """Deactivate and anonymise the person's accounts; their second-factor devices and links go."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    changed = 0
    for user in _users(email):
        old_username = user.get_username()
        new_username = "erased-%d" % user.pk
        setattr(user, user.USERNAME_FIELD, new_username)
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        ClientContact.objects.filter(user=user).delete()
        TOTPDevice.objects.filter(user=user).delete()
        AuditLogEntry.objects.filter(actor=user).update(actor_label=new_username)
        AuditLogEntry.objects.filter(actor_label=old_username).update(actor_label=new_username)
        changed += 1
    return changed


def scrub(texts: list[str]) -> int:
    """Remove ``texts`` from the admin's own change history."""
    texts = variants(texts)
    changed = 0
    for entry in LogEntry.objects.filter(contains_any(("object_repr", "change_message"), texts)):
        entry.object_repr = scrub_text(entry.object_repr, texts)[:200]
        entry.change_message = scrub_text(entry.change_message, texts)
        entry.save(update_fields=["object_repr", "change_message"])
        changed += 1
    return changed


def apply_retention(now: datetime) -> int:
    """Delete consent proofs older than 5 years (page-view counts have their own 25-month job)."""
    deleted, _ = ConsentRecord.objects.filter(at__lt=now - timedelta(days=365 * CONSENT_PROOF_YEARS)).delete()
    return deleted


PROVIDER = PersonalDataProvider(
    app_label="privacy",
    export=export,
    erase=erase,
    identify=identify,
    scrub=scrub,
    apply_retention=apply_retention,
)

# Core's provider comes first: core is installed before privacy (see ``registry.providers``).
PROVIDERS = [CORE_PROVIDER, PROVIDER]

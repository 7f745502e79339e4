"""``{% load privacy %}``: the consent banner and the scripts of allowed purposes."""

from __future__ import annotations

from django import template

from ..consent import COOKIE_NAME, consent_state, is_public_page, purposes

register = template.Library()


@register.inclusion_tag("privacy/_banner_body.html", takes_context=True)
def consent_banner(context):
    """Render the consent banner when no valid choice exists, and the scripts allowed by the choice.

    Only on public pages (``is_public_page``): task and staff pages neither ask nor load tags.

    ``privacy/consent.js`` (progressive enhancement: choose in place, save without reloading, load
    the allowed tags at once, delete withdrawn purposes' cookies) is included only when a purpose
    has tags configured.
    """
    request = context.get("request")
    state = consent_state(request) if request is not None and is_public_page(request) else None
    all_purposes = purposes()
    return {
        "request": request,
        "organisation": context.get("organisation"),
        "csrf_token": context.get("csrf_token"),
        "show_banner": state is not None and not state.chosen,
        "purposes": all_purposes,
        "allowed_scripts": [
            script for p in all_purposes if state is not None and state.allows(p.key) for script in p.scripts
        ],
        "consent_cookie_name": COOKIE_NAME,
        # The script only has work to do when some purpose has tags to load in place; without
        # any, the banner's plain forms do everything and pages carry no script at all.
        "needs_script": state is not None and any(p.scripts for p in all_purposes),
    }

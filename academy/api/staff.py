"""Staff pages (administrators): API tokens, webhook endpoints, their deliveries and replays."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from academy.accounts.access import Role, back_office_required, require_role

from . import tokens, webhooks
from .forms import TokenForm, WebhookEndpointForm
from .models import ApiToken, WebhookDelivery, WebhookEndpoint

DELIVERIES_SHOWN = 100


def administrators_only(view):
    """Back-office page for administrators: a token or a webhook reaches data beyond a planner's pages."""
    return back_office_required(require_role(Role.ADMINISTRATOR, login_url="admin:login")(view))


@administrators_only
@require_http_methods(["GET", "POST"])
def token_list(request):
    """List the API tokens and create one; a new token's value is shown on this answer only."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = tokens.create_token(
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            client_organisation=form.cleaned_data["client_organisation"],
            expires_at=form.expires_at(),
            by=request.user,
        )
        created = {"token": token, "raw": raw}
        form = TokenForm()
    status = 400 if request.method == "POST" and created is None else 200
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": ApiToken.objects.select_related("client_organisation", "created_by")[:200],
        },
        status=status,
    )


@administrators_only
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    if tokens.revoke_token(token=token, by=request.user):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    else:
        messages.info(request, _("The token “%(name)s” was already revoked.") % {"name": token.name})
    return redirect("api_staff:tokens")


@administrators_only
@require_http_methods(["GET", "POST"])
def webhook_list(request):
    """List the webhook endpoints and register one."""
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = WebhookEndpoint.objects.create(
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            secret=webhooks.new_secret(),
            created_by=request.user,
        )
        messages.success(request, _("The endpoint “%(name)s” is registered.") % {"name": endpoint.name})
        return redirect("api_staff:webhook", pk=endpoint.pk)
    return render(
        request,
        "api/webhooks.html",
        {"form": form, "endpoints": WebhookEndpoint.objects.all(), "labels": webhooks.WEBHOOK_EVENTS},
        status=400 if request.method == "POST" else 200,
    )


@administrators_only
def webhook_detail(request, pk: int):
    """One endpoint: its signing secret, its events and its latest deliveries."""
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    return render(
        request,
        "api/webhook.html",
        {
            "endpoint": endpoint,
            "event_labels": [webhooks.WEBHOOK_EVENTS.get(e, e) for e in endpoint.events],
            "deliveries": endpoint.deliveries.all()[:DELIVERIES_SHOWN],
            "signature_header": webhooks.SIGNATURE_HEADER,
        },
    )


@administrators_only
@require_POST
def webhook_toggle(request, pk: int):
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    endpoint.is_active = not endpoint.is_active
    endpoint.save(update_fields=["is_active"])
    return redirect("api_staff:webhook", pk=endpoint.pk)


@administrators_only
@require_POST
def delivery_replay(request, pk: int):
    """Send a delivery's event again (a new delivery with the same event id)."""
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk)
    webhooks.replay(delivery, by=request.user)
    messages.success(request, _("The event is queued to be sent again."))
    return redirect("api_staff:webhook", pk=delivery.endpoint_id)

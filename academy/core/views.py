"""Pages of the core app: robots.txt and the staff outbox of every e-mail the product queued.

Core sits below ``academy.accounts``, so the outbox asks Django for the permission the planner and
administrator roles hold (``core.view_outboundemail``, granted by ``setup_roles``) rather than for
the role itself; ``is_staff`` alone opens nothing here. Like every back-office page, a refusal
sends the visitor to the back-office log-in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .delivery import retry_now
from .models import OutboundEmail

OUTBOX_PAGE_SIZE = 50


@require_GET
def robots_txt(request):
    """Let robots read the public catalogue, keep them out of the back office, point to the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /staff/",
        "Allow: /",
        "",
        "Sitemap: %s" % request.build_absolute_uri("/sitemap.xml"),
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """Redirect ``/favicon.ico`` to the site's icon among the static files (permanently)."""
    return HttpResponsePermanentRedirect(static("academy/favicon.svg"))


@permission_required("core.view_outboundemail", login_url="admin:login")
def outbox(request):
    """List every e-mail the product queued, newest first, with its content (staff only)."""
    emails = OutboundEmail.objects.order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in OutboundEmail.Status.values:
        emails = emails.filter(status=status)
    page = Paginator(emails, OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    failing = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED).order_by("-updated_at", "-pk")
    return render(
        request,
        "core/outbox.html",
        {
            "page": page,
            "statuses": OutboundEmail.Status.choices,
            "selected_status": status,
            "failing": failing[:OUTBOX_PAGE_SIZE],
            "failing_count": failing.count(),
        },
    )


@permission_required("core.view_outboundemail", login_url="admin:login")
def outbox_email(request, pk: int):
    """Show one queued e-mail in full (staff only)."""
    return render(request, "core/outbox_email.html", {"email": get_object_or_404(OutboundEmail, pk=pk)})


@permission_required("core.view_outboundemail", login_url="admin:login")
@require_POST
def outbox_retry(request, pk: int):
    """Queue a new delivery attempt of a failed e-mail now (staff only), then go back to the outbox."""
    email = get_object_or_404(OutboundEmail, pk=pk)
    if retry_now(email):
        messages.success(request, _("A new delivery attempt is queued for “%(subject)s”.") % {"subject": email.subject})
    else:
        messages.info(request, _("“%(subject)s” is not failing: nothing to retry.") % {"subject": email.subject})
    return redirect("core:outbox")

"""The client space: a client organisation's contact sees and downloads its own documents.

Every page is for client contacts (``require_role(Role.CLIENT_CONTACT)``) and every query is
scoped to the contact's organisation (``services``): a document of another organisation gets the
same 404 as an unknown one. Quotes are answered and agreements signed through the signed links
of commerce, the same flow as from the e-mails.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from academy.accounts import access
from academy.accounts.access import Role, require_role
from academy.attendance.documents import render_attendance_sheet
from academy.certification.client_space import organisation_sessions
from academy.commerce import agreements as agreement_rules
from academy.commerce import quotes as quote_rules
from academy.commerce.models import Agreement, Quote
from academy.enrolment import links
from academy.invoicing.einvoice import invoice_pdf as render_invoice_pdf

from . import services
from .models import DocumentSharing


def _organisation_id(request: HttpRequest) -> int:
    return access.client_organisation_id_of(request.user)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="%s"' % filename
    response["Cache-Control"] = "private, no-store"
    return response


def _trainee_blocks(user, sharing: DocumentSharing):
    blocks = organisation_sessions(user)
    if not sharing.to_contact:
        for block in blocks:
            for line in block.lines:
                line.certificate_token = ""
    return blocks


@require_role(Role.CLIENT_CONTACT)
def home(request: HttpRequest) -> HttpResponse:
    """The organisation's quotes, agreements, invoices, bookings, trainees and documents."""
    organisation = request.user.client_contact.client_organisation
    sharing = DocumentSharing.for_organisation(organisation.pk)
    quotes = [
        (quote, quote_rules.answer_path(quote) if quote.status == Quote.Status.ISSUED else "")
        for quote in services.quotes_of(organisation.pk)[: services.MAX_ROWS]
    ]
    agreements = [
        (
            agreement,
            reverse("commerce:agreement_sign", kwargs={"token": agreement_rules.signing_token(agreement)})
            if agreement.status == Agreement.Status.ISSUED
            else "",
        )
        for agreement in services.agreements_of(organisation.pk)[: services.MAX_ROWS]
    ]
    bookings = [
        (booking, reverse("enrolment:booking", kwargs={"token": links.booking_token(booking)}))
        for booking in services.bookings_of(organisation.pk)[: services.MAX_ROWS]
    ]
    return render(
        request,
        "clientspace/home.html",
        {
            # Not "organisation": that name is the training organisation of every page (header, footer).
            "client_organisation": organisation,
            "sharing": sharing,
            "quotes": quotes,
            "agreements": agreements,
            "invoices": list(services.invoices_of(organisation.pk)[: services.MAX_ROWS]),
            "funder_invoices": list(services.funder_invoices_of(organisation.pk)[: services.MAX_ROWS]),
            "bookings": bookings,
            "blocks": _trainee_blocks(request.user, sharing),
            "sheet_sessions": list(services.sheet_sessions_of(organisation.pk)[: services.MAX_ROWS]),
            "open_sessions": services.open_sessions(),
        },
    )


@require_role(Role.CLIENT_CONTACT)
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of one of the organisation's quotes; 404 for any other quote."""
    quote = services.quotes_of(_organisation_id(request)).filter(pk=pk).first()
    if quote is None:
        raise Http404
    return _pdf(quote_rules.quote_pdf(quote), "devis-%s.pdf" % quote.reference)


@require_role(Role.CLIENT_CONTACT)
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The issued PDF (frozen bytes) of one of the organisation's agreements; 404 for any other."""
    agreement = services.agreements_of(_organisation_id(request)).filter(pk=pk).first()
    if agreement is None or not agreement.pdf:
        raise Http404
    return _pdf(bytes(agreement.pdf), "convention-%d-v%d.pdf" % (agreement.pk, agreement.version))


@require_role(Role.CLIENT_CONTACT)
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Factur-X PDF of one of the organisation's own issued invoices; 404 for any other."""
    invoice = services.invoices_of(_organisation_id(request)).select_related("credited_invoice").filter(pk=pk).first()
    if invoice is None:
        raise Http404
    return _pdf(render_invoice_pdf(invoice), "%s.pdf" % invoice.number)


@require_role(Role.CLIENT_CONTACT)
def sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet of a session run for the organisation alone, when shared with the contact."""
    course_session = services.sheet_sessions_of(_organisation_id(request)).filter(pk=pk).first()
    if course_session is None:
        raise Http404
    return _pdf(
        render_attendance_sheet(course_session=course_session),
        "feuille-emargement-%s-%s.pdf" % (course_session.course.code, course_session.pk),
    )


def my_space_section(request: HttpRequest) -> str:
    """The contact's section of "my space": a link to the client space and the trainees; "" for others."""
    if not access.is_client_contact(request.user):
        return ""
    organisation = request.user.client_contact.client_organisation
    sharing = DocumentSharing.for_organisation(organisation.pk)
    return render_to_string(
        "clientspace/my_space_section.html",
        {"organisation": organisation, "blocks": _trainee_blocks(request.user, sharing)},
        request=request,
    )

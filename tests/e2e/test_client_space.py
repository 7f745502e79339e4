"""From a quote request to the client space, in a real browser (French).

A company asks for a quote on the seed course; staff issue it; the contact accepts it through the
e-mailed link; the agreement is issued, signed through its link and countersigned; the session is
held (half-days in the past); an OPCO pays part directly and the client the rest; both invoices
are issued. The contact then signs in: the client space shows the quote, the agreement, the
client's own invoice (with its PDF), the OPCO's invoice (number and status only: it is addressed
to the OPCO), the trainees and the certificate.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from academy.catalog.models import Lead
from academy.certification.services import issue_certificate
from academy.commerce import agreements, quotes
from academy.commerce.funding import set_funding
from academy.commerce.models import Agreement, QuoteLine
from academy.core.models import ClientOrganisation, OutboundEmail, TrainingOrganisation
from academy.invoicing.from_funding import draft_invoices_for_booking
from academy.invoicing.services import issue_invoice
from tests.commerce.factories import published_terms
from tests.factories.attendance import sign_slot
from tests.factories.enrolment import BookingFactory, EnrolmentFactory
from tests.factories.privacy import client_contact_user, staff_planner
from tests.factories.scheduling import TrainerFactory, add_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def _memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACADEMY_INVOICE_VAT_EXEMPT = True


@pytest.fixture(autouse=True)
def _issued_invoices_flushable(transactional_db):
    """The database is emptied by deleting rows after this test; on SQLite the triggers that
    protect issued invoices would refuse it, so they are dropped first (``post_migrate`` of the
    flush puts them back)."""
    yield
    from django.db import connection

    from academy.invoicing.guards import drop_guards

    drop_guards(connection)


def link_in(category: str, contains: str) -> str:
    email = OutboundEmail.objects.filter(category=category).latest("pk")
    return next(url for url in LINK.findall(email.body_text) if contains in url)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def complete_identity() -> None:
    organisation = TrainingOrganisation.current()
    organisation.legal_name = organisation.legal_name or "Académie des Communs SAS"
    organisation.address = organisation.address or "12, rue de la Paix\n75002 Paris"
    organisation.siret = organisation.siret or "12345678900015"
    organisation.declaration_number = organisation.declaration_number or "11755555575"
    organisation.legal_representative = organisation.legal_representative or "Alex Dupont"
    organisation.legal_representative_title = organisation.legal_representative_title or "Président"
    organisation.save()


def test_from_a_quote_request_to_the_client_space(page, seed_course, screenshot):
    published_terms(version=1)
    complete_identity()

    # 1. A company asks for a quote on the course page's form.
    page.goto(reverse("catalog:quote_request", args=["COMNUM"]))
    page.fill("#id_first_name", "Camille")
    page.fill("#id_last_name", "Martin")
    page.fill("#id_email", "camille.martin@exemple.fr")
    page.fill("#id_organisation_name", "Société Générale d'Électricité")
    page.fill("#id_trainee_count", "2")
    page.fill("#id_place", "Lyon")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    lead = Lead.objects.get(email="camille.martin@exemple.fr")
    assert lead.course == seed_course

    # 2. Staff draft the quote from the request, name the client organisation and issue it.
    organisation = ClientOrganisation.objects.create(
        name="Société Générale d'Électricité", address="3, avenue des Tests\n69001 Lyon", siret="98765432100017"
    )
    quote = quotes.draft_from_lead(lead)
    quote.client_organisation = organisation
    quote.valid_until = datetime.date.today() + datetime.timedelta(days=30)
    quote.save()
    QuoteLine.objects.create(
        quote=quote,
        description="Masterclass Communs numériques, 2 stagiaires",
        quantity=Decimal("2"),
        trainees=2,
        unit_price_excl_vat=Decimal("950.00"),
        vat_exempt=True,
    )
    quote = quotes.issue(quote, by=staff_planner())

    # 3. The contact accepts it through the link of the e-mail.
    page.goto(path_of(link_in("commerce.quote_issued", "/quotes/")))
    assert quote.reference in page.locator("main").inner_text()
    screenshot(page, "clientspace-01-quote-page")
    page.fill("#signer_name", "Camille Martin")
    page.get_by_role("button", name="J’accepte ce devis").or_(
        page.get_by_role("button", name="J'accepte ce devis")
    ).click()
    page.wait_for_load_state()
    quote.refresh_from_db()
    assert quote.status == "accepted"

    # 4. The session is held: two half-days in the past, two trainees of the company, signed.
    course_session = quote.course_session
    course_session.price_excl_vat = Decimal("950.00")
    course_session.status = "open"
    course_session.save()
    slots = add_day(course_session, datetime.date.today() - datetime.timedelta(days=7))
    trainer = TrainerFactory()
    course_session.trainers.add(trainer)
    booking = BookingFactory(course_session=course_session, client_organisation=organisation)
    zoe = EnrolmentFactory(booking=booking, first_name="Zoë", last_name="Ñúñez-Łukasiewicz")
    anh = EnrolmentFactory(booking=booking, first_name="Ánh", last_name="Nguyễn Thị")
    for slot in slots:
        sign_slot(slot, zoe, trainer)
        sign_slot(slot, anh, trainer)

    # 5. The agreement prepared on acceptance is completed and issued; the contact signs it.
    agreement = Agreement.objects.get(quote=quote)
    agreement.booking = booking
    missing_fill = {"dates": "Le %s, 9 h – 17 h 30" % slots[0].local_start.date(), "place": "Lyon"}
    for field, value in missing_fill.items():
        if not getattr(agreement, field):
            setattr(agreement, field, value)
    agreement.save()
    agreement = agreements.issue(agreement)
    page.goto(path_of(link_in("commerce.agreement_issued", "/agreements/")))
    screenshot(page, "clientspace-02-signing-page")
    page.fill("#signer_name", "Camille Martin")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    agreement = agreements.countersign(agreement, by=staff_planner(username="planner-2"))

    # 6. Funding: the OPCO pays 1 500 € directly, the company the rest; invoices drafted and issued.
    set_funding(
        booking,
        [
            {
                "payer_kind": "opco",
                "payer_name": "OPCO Atlas",
                "address": "1, rue de l'OPCO\n75013 Paris",
                "agreement_number": "APC-2026-0042",
                "amount_excl_vat": Decimal("1500.00"),
                "direct_payment": True,
            },
            {
                "payer_kind": "client",
                "payer_name": organisation.name,
                "client_organisation": organisation,
                "address": organisation.address,
                "amount_excl_vat": Decimal("400.00"),
            },
        ],
    )
    issued = [issue_invoice(invoice) for invoice in draft_invoices_for_booking(booking).created]
    opco_invoice = next(i for i in issued if i.payer_kind == "opco")
    client_invoice = next(i for i in issued if i.payer_kind == "client")
    issue_certificate(enrolment=zoe, send=False)

    # 7. The contact signs in and finds everything in the client space.
    contact = client_contact_user(
        client_organisation=organisation, username="camille", email="camille.martin@exemple.fr"
    )
    contact.set_password("Un-mot-de-passe-solide-42")
    contact.save()
    page.goto(reverse("accounts:login") + "?next=" + reverse("clientspace:home"))
    page.fill("input[name=username]", "camille")
    page.fill("input[name=password]", "Un-mot-de-passe-solide-42")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/client/")
    main = page.locator("main").inner_text()
    screenshot(page, "clientspace-03-client-space")
    header = page.locator("header.site-header").inner_text()
    assert TrainingOrganisation.current().name in header and organisation.name not in header
    assert quote.reference in main
    assert "Accepté" in main
    assert "Contresignée" in main or "Contresigné" in main
    assert client_invoice.number in main and opco_invoice.number in main
    assert "Facturé à votre financeur" in main and "APC-2026-0042" in main
    assert "Ñúñez-Łukasiewicz" in main and "Nguyễn Thị" in main
    assert page.locator("#invoices a[href$='invoice.pdf']").count() == 1
    assert page.get_by_role("link", name="Certificat de réalisation").count() == 1

    pdf = page.request.get(reverse("clientspace:invoice_pdf", kwargs={"pk": client_invoice.pk}))
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
    foreign = page.request.get(reverse("clientspace:invoice_pdf", kwargs={"pk": opco_invoice.pk}))
    assert foreign.status == 404

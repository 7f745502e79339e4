"""FC-13 and the e-invoice: the XML validates against the official Factur-X XSD and the PDF's
figures, read back from the PDF, equal the embedded XML's."""

import io
import re
from decimal import Decimal

import pytest
from facturx import get_facturx_xml_from_pdf, xml_check_xsd
from lxml import etree
from pypdf import PdfReader

from academy.invoicing.einvoice import facturx_xml, invoice_pdf, split_address
from academy.invoicing.services import credit_invoice, issue_invoice

from .helpers import draft, exempt_line, organisation, vat_line

pytestmark = pytest.mark.django_db

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SUMMATION = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:%s"


@pytest.fixture(autouse=True)
def _seller(settings):
    settings.ACADEMY_INVOICE_VAT_NUMBER = "FR40123456789"
    organisation()


def fc13_invoice():
    return issue_invoice(draft(lines=[vat_line("333.33", description="Stagiaire %d" % n) for n in (1, 2, 3)]))


def exempt_invoice():
    return issue_invoice(draft(lines=[exempt_line("1200.00"), exempt_line("450.50", quantity="2")]))


def subrogation_invoice():
    return issue_invoice(
        draft(
            lines=[exempt_line("2100.00")],
            payer_kind="opco",
            name="OPCO Atlas",
            address="25, quai Panhard et Levassor\n75013 Paris",
            siret="",
            vat_number="",
            agreement_number="ACC-2026-0042",
            direct_payment=True,
        )
    )


def credit_note():
    return credit_invoice(exempt_invoice(), reason="Session annulée")


def pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pdf_amount(text: str, label: str) -> Decimal:
    match = re.search(r"%s\s*([\d ]+,\d{2}) €" % re.escape(label), text)
    assert match, "%r not found in the PDF text:\n%s" % (label, text)
    return Decimal(match.group(1).replace(" ", "").replace(",", "."))


def xml_amount(tree, name: str) -> Decimal:
    return Decimal(tree.xpath(SUMMATION % name, namespaces=NS)[0].text)


@pytest.mark.parametrize("make", [fc13_invoice, exempt_invoice, subrogation_invoice, credit_note])
def test_fc13_the_xml_of_every_invoice_validates_against_the_official_factur_x_schema(make):
    xml = facturx_xml(make())
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True


@pytest.mark.parametrize("make", [fc13_invoice, exempt_invoice, subrogation_invoice, credit_note])
def test_fc13_the_pdf_embeds_the_xml_and_its_printed_totals_equal_the_xml_totals(make):
    invoice = make()
    pdf = invoice_pdf(invoice)

    filename, xml = get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    tree = etree.fromstring(xml)
    text = pdf_text(pdf)
    assert tree.xpath("//rsm:ExchangedDocument/ram:ID", namespaces=NS)[0].text == invoice.number
    assert invoice.number in text
    assert pdf_amount(text, "Total HT") == xml_amount(tree, "TaxBasisTotalAmount") == invoice.total_net
    assert pdf_amount(text, "Total TVA") == xml_amount(tree, "TaxTotalAmount") == invoice.total_vat
    assert pdf_amount(text, "Total TTC") == xml_amount(tree, "GrandTotalAmount") == invoice.total_gross


def test_fc13_the_three_trainee_invoice_prints_and_embeds_200_00_of_vat():
    pdf = invoice_pdf(fc13_invoice())
    _, xml = get_facturx_xml_from_pdf(pdf)
    tree = etree.fromstring(xml)
    [tax] = tree.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=NS)
    assert tax.findtext("ram:CalculatedAmount", namespaces=NS) == "200.00"
    assert tax.findtext("ram:BasisAmount", namespaces=NS) == "999.99"
    assert "TVA 20 % sur 999,99 € 200,00 €" in pdf_text(pdf)


def test_the_pdf_carries_the_mandatory_french_mentions():
    invoice = fc13_invoice()
    text = pdf_text(invoice_pdf(invoice))
    for mention in (
        "Académie Exemple SAS",
        "12, rue de la Paix",
        "SIRET : 12345678900015",
        "N° TVA intracommunautaire : FR40123456789",
        "11759999975",
        "Date de facture : %s" % invoice.issue_date.strftime("%d/%m/%Y"),
        "Date d'échéance : %s" % invoice.due_date.strftime("%d/%m/%Y"),
        "Société Cliente SARL",
        "Stagiaire 3",
        "Paiement à 30 jours",
        "Pénalités de retard",
        "40 €",
        "L441-10",
    ):
        assert mention in text, mention


def test_an_exempt_invoice_prints_the_cgi_exemption_mention_and_its_xml_gives_the_reason():
    invoice = exempt_invoice()
    text = pdf_text(invoice_pdf(invoice))
    assert "Exonération de TVA, article 261-4-4°-a du CGI" in text
    tree = etree.fromstring(facturx_xml(invoice))
    [tax] = tree.xpath("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=NS)
    assert tax.findtext("ram:CategoryCode", namespaces=NS) == "E"
    assert tax.findtext("ram:ExemptionReason", namespaces=NS) == "Exonération de TVA, article 261-4-4°-a du CGI"
    assert tax.findtext("ram:CalculatedAmount", namespaces=NS) == "0.00"


def test_a_subrogation_invoice_names_the_opco_and_its_agreement_number():
    invoice = subrogation_invoice()
    text = pdf_text(invoice_pdf(invoice))
    assert "OPCO Atlas" in text and "ACC-2026-0042" in text
    assert "subrogation" in text
    tree = etree.fromstring(facturx_xml(invoice))
    assert tree.xpath("//ram:ContractReferencedDocument/ram:IssuerAssignedID", namespaces=NS)[0].text == "ACC-2026-0042"


def test_a_credit_note_is_type_381_and_references_the_invoice_it_corrects():
    note = credit_note()
    tree = etree.fromstring(facturx_xml(note))
    assert tree.xpath("//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS)[0].text == "381"
    referenced = tree.xpath("//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", namespaces=NS)[0].text
    assert referenced == note.credited_invoice.number
    assert note.credited_invoice.number in pdf_text(invoice_pdf(note))


def test_a_draft_has_no_e_invoice():
    with pytest.raises(ValueError, match="A draft has no number"):
        facturx_xml(draft())


def test_addresses_are_split_into_street_postcode_and_city():
    assert split_address("12, rue de la Paix\nBâtiment B\n75002 Paris") == {
        "street": "12, rue de la Paix, Bâtiment B",
        "postcode": "75002",
        "city": "Paris",
    }
    assert split_address("Lyon") == {"street": "", "postcode": "", "city": "Lyon"}

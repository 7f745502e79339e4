"""The invoice as a document: a PDF with France's mandatory mentions, made a Factur-X e-invoice.

The PDF (WeasyPrint, PDF/A-3b, shipped fonts) embeds the invoice's data as Cross Industry Invoice
XML of the Factur-X EN 16931 profile, checked against the official XSD that the ``factur-x``
library ships. The XML and the PDF are made from the same ``Totals``, so their figures agree.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from academy.core.pdf import render_pdf
from academy.core.vat import compute_totals

from .models import Invoice

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}
#: Guideline of the Factur-X EN 16931 ("comfort") profile, BT-24.
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"
#: UNTDID 1001: 380 commercial invoice, 381 credit note.
TYPE_CODES = {Invoice.Kind.INVOICE: "380", Invoice.Kind.CREDIT_NOTE: "381"}
#: Fixed compensation for recovery costs owed by a professional paying late (Code de commerce
#: L441-10 II and D441-5).
RECOVERY_FEE = Decimal("40")

_POSTCODE_CITY = re.compile(r"^\s*(\d{5})\s+(.+?)\s*$")


def split_address(text: str) -> dict[str, str]:
    """Split a French postal address typed on lines into street lines, postcode and city.

    The last line of the form "75002 Paris" gives postcode and city; the lines above are the street.
    Without such a line, the last line is taken as the city.
    """
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    postcode, city = "", ""
    if lines:
        if match := _POSTCODE_CITY.match(lines[-1]):
            postcode, city = match.groups()
        else:
            city = lines[-1]
        lines = lines[:-1]
    return {"street": ", ".join(lines), "postcode": postcode, "city": city}


def _amount(value: Decimal) -> str:
    return "%.2f" % Decimal(value)


def _sub(parent, tag: str, text: str | None = None, **attributes):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, "{%s}%s" % (NSMAP[prefix], name), **attributes)
    if text is not None:
        element.text = text
    return element


def _date(parent, tag: str, value, *, qualified: bool = False) -> None:
    holder = _sub(parent, tag)
    _sub(holder, "qdt:DateTimeString" if qualified else "udt:DateTimeString", value.strftime("%Y%m%d"), format="102")


def _party(parent, tag: str, *, name, address, country, siret="", vat_number="", email="") -> None:
    party = _sub(parent, tag)
    _sub(party, "ram:Name", name)
    if siret:
        # ISO 6523 scheme 0002 is SIRENE: the SIREN (9 first digits of the SIRET) identifies the company.
        _sub(_sub(party, "ram:SpecifiedLegalOrganization"), "ram:ID", siret[:9], schemeID="0002")
    parts = split_address(address)
    postal = _sub(party, "ram:PostalTradeAddress")
    if parts["postcode"]:
        _sub(postal, "ram:PostcodeCode", parts["postcode"])
    if parts["street"]:
        _sub(postal, "ram:LineOne", parts["street"])
    if parts["city"]:
        _sub(postal, "ram:CityName", parts["city"])
    _sub(postal, "ram:CountryID", country or "FR")
    if email:
        _sub(_sub(party, "ram:URIUniversalCommunication"), "ram:URIID", email, schemeID="EM")
    if vat_number:
        _sub(_sub(party, "ram:SpecifiedTaxRegistration"), "ram:ID", vat_number, schemeID="VA")


def facturx_xml(invoice: Invoice) -> bytes:
    """Return the Cross Industry Invoice XML (Factur-X, EN 16931 profile) of the issued ``invoice``.

    Totals follow BR-CO-10/15/17 (``compute_totals``). Exempt breakdowns carry the exemption reason
    (BT-120); a credit note (type 381) references the invoice it corrects (BT-25/26); the funding
    agreement number goes in the contract reference (BT-12). Raises ValueError for a draft.
    """
    if invoice.number is None:
        raise ValueError("A draft has no number: only an issued invoice has an e-invoice.")
    lines = list(invoice.lines.all())
    totals = compute_totals(lines)
    seller = invoice.seller
    root = etree.Element("{%s}CrossIndustryInvoice" % RSM, nsmap=NSMAP)
    context = _sub(root, "rsm:ExchangedDocumentContext")
    _sub(_sub(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", EN16931_GUIDELINE)
    document = _sub(root, "rsm:ExchangedDocument")
    _sub(document, "ram:ID", invoice.number)
    _sub(document, "ram:TypeCode", TYPE_CODES[invoice.kind])
    _date(document, "ram:IssueDateTime", invoice.issue_date)
    for subject, content in _notes(invoice):
        note = _sub(document, "ram:IncludedNote")
        _sub(note, "ram:Content", content)
        _sub(note, "ram:SubjectCode", subject)

    transaction = _sub(root, "rsm:SupplyChainTradeTransaction")
    for index, (line, net) in enumerate(zip(lines, totals.lines_net, strict=True), start=1):
        item = _sub(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _sub(_sub(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(index))
        _sub(_sub(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description)
        price = _sub(_sub(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice")
        _sub(price, "ram:ChargeAmount", _amount(line.unit_price))
        # UN/ECE rec. 20 C62: "one" (a unit, here a trainee or a training).
        _sub(_sub(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", "%s" % line.quantity, unitCode="C62")
        settlement = _sub(item, "ram:SpecifiedLineTradeSettlement")
        tax = _sub(settlement, "ram:ApplicableTradeTax")
        _sub(tax, "ram:TypeCode", "VAT")
        _sub(tax, "ram:CategoryCode", line.vat_category)
        if line.vat_category == "S":
            _sub(tax, "ram:RateApplicablePercent", _amount(line.vat_rate))
        summation = _sub(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _sub(summation, "ram:LineTotalAmount", _amount(net))

    agreement = _sub(transaction, "ram:ApplicableHeaderTradeAgreement")
    _party(
        agreement,
        "ram:SellerTradeParty",
        name=seller.get("name", ""),
        address=seller.get("address", ""),
        country="FR",
        siret=seller.get("siret", ""),
        vat_number=seller.get("vat_number", ""),
        email=seller.get("email", ""),
    )
    _party(
        agreement,
        "ram:BuyerTradeParty",
        name=invoice.bill_to_name,
        address=invoice.bill_to_address,
        country=invoice.bill_to_country,
        siret=invoice.bill_to_siret,
        vat_number=invoice.bill_to_vat_number,
        email=invoice.bill_to_email,
    )
    if invoice.agreement_number:
        _sub(_sub(agreement, "ram:ContractReferencedDocument"), "ram:IssuerAssignedID", invoice.agreement_number)
    _sub(transaction, "ram:ApplicableHeaderTradeDelivery")

    settlement = _sub(transaction, "ram:ApplicableHeaderTradeSettlement")
    _sub(settlement, "ram:InvoiceCurrencyCode", "EUR")
    # UNTDID 4461 code 1: "instrument not defined" (transfer details are given by the organisation).
    _sub(_sub(settlement, "ram:SpecifiedTradeSettlementPaymentMeans"), "ram:TypeCode", "1")
    for breakdown in totals.breakdown:
        tax = _sub(settlement, "ram:ApplicableTradeTax")
        _sub(tax, "ram:CalculatedAmount", _amount(breakdown.vat))
        _sub(tax, "ram:TypeCode", "VAT")
        if breakdown.category == "E":
            _sub(tax, "ram:ExemptionReason", breakdown.exemption_reason)
        _sub(tax, "ram:BasisAmount", _amount(breakdown.base))
        _sub(tax, "ram:CategoryCode", breakdown.category)
        _sub(tax, "ram:RateApplicablePercent", _amount(breakdown.rate))
    terms = _sub(settlement, "ram:SpecifiedTradePaymentTerms")
    _sub(terms, "ram:Description", payment_terms_text(invoice))
    if invoice.due_date:
        _date(terms, "ram:DueDateDateTime", invoice.due_date)
    summation = _sub(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(summation, "ram:LineTotalAmount", _amount(totals.total_net))
    _sub(summation, "ram:TaxBasisTotalAmount", _amount(totals.total_net))
    _sub(summation, "ram:TaxTotalAmount", _amount(totals.total_vat), currencyID="EUR")
    _sub(summation, "ram:GrandTotalAmount", _amount(totals.total_gross))
    _sub(summation, "ram:DuePayableAmount", _amount(totals.total_gross))
    if invoice.credited_invoice_id:
        original = invoice.credited_invoice
        referenced = _sub(settlement, "ram:InvoiceReferencedDocument")
        _sub(referenced, "ram:IssuerAssignedID", original.number)
        _date(referenced, "ram:FormattedIssueDateTime", original.issue_date, qualified=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def payment_terms_text(invoice: Invoice) -> str:
    """Return the payment terms sentence (French, as printed and embedded)."""
    with translation.override("fr"):
        return _("Payment within %(days)s days of the invoice date, by bank transfer.") % {
            "days": invoice.payment_terms_days
        }


def late_payment_text() -> str:
    """Return the late-payment mention owed on every invoice between professionals (Code de commerce
    L441-10 II): the penalty rate and the fixed €40 compensation for recovery costs (D441-5)."""
    rate = settings.ACADEMY_INVOICE_LATE_PENALTY_RATE.strip()
    with translation.override("fr"):
        penalty = (
            _("Late-payment penalties at %(rate)s %% a year.") % {"rate": rate}
            if rate
            else _(
                "Late-payment penalties at the European Central Bank's rate for its latest refinancing "
                "operation plus 10 points."
            )
        )
        fee = _("Fixed compensation for recovery costs: %(amount)s € (Code de commerce L441-10 and D441-5).") % {
            "amount": RECOVERY_FEE
        }
        return "%s %s" % (penalty, fee)


def _notes(invoice: Invoice) -> list[tuple[str, str]]:
    # UNTDID 4451: PMD payment details, AAB terms of payment… REG regulatory information.
    notes = [("PMD", late_payment_text())]
    seller = invoice.seller
    with translation.override("fr"):
        if seller.get("declaration_number"):
            notes.append(
                (
                    "REG",
                    _("Activity declaration number %(number)s (this registration is not an approval by the State).")
                    % {"number": seller["declaration_number"]},
                )
            )
        if invoice.direct_payment and invoice.agreement_number:
            notes.append(
                (
                    "AAI",
                    _("Direct payment by %(payer)s, funding agreement %(number)s.")
                    % {"payer": invoice.bill_to_name, "number": invoice.agreement_number},
                )
            )
    return notes


def invoice_pdf(invoice: Invoice, *, embed_xml: bool = True) -> bytes:
    """Return the PDF of the issued ``invoice``: PDF/A-3b with its Factur-X XML embedded (EN 16931).

    The XML is checked against the official XSD before embedding; an invalid one raises (never a
    silently broken e-invoice). ``embed_xml=False`` gives the bare PDF (a draft preview).
    """
    from facturx import generate_from_binary

    lines = list(invoice.lines.all())
    totals = compute_totals(lines)
    with translation.override("fr"):
        context = {
            "invoice": invoice,
            "seller": invoice.seller,
            "rows": list(zip(lines, totals.lines_net, strict=True)),
            "totals": totals,
            "payment_terms": payment_terms_text(invoice),
            "late_payment": late_payment_text(),
            "exempt_only": all(line.vat_category == "E" for line in lines),
            "LANGUAGE_CODE": "fr",
        }
        pdf = render_pdf("invoicing/pdf/invoice.html", context, pdf_variant="pdf/a-3b")
    if not embed_xml:
        return pdf
    title = "%s %s" % ("Avoir" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "Facture", invoice.number)
    return generate_from_binary(
        pdf,
        facturx_xml(invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang="fr-FR",
        pdf_metadata={
            "author": invoice.seller.get("name", ""),
            "keywords": "Factur-X",
            "title": title,
            "subject": title,
        },
    )

"""The UBL 2.1 Invoice or CreditNote of an issued document per PEPPOL BIS
Billing 3.0."""

from lxml import etree

from invoicing.einvoice.common import (
    PAYMENT_CREDIT_TRANSFER,
    EInvoice,
    Party,
    einvoice_data,
    money,
    rate_text,
)
from invoicing.models import Invoice

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PREFIXES = {"cac": CAC, "cbc": CBC}
CUSTOMIZATION_ID = (
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
)
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
ENDPOINT_EMAIL = "EM"  # EAS code for an e-mail address


def _el(parent, tag: str, text: str | None = None, **attrs):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{PREFIXES[prefix]}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _party(parent, tag: str, party: Party) -> None:
    element = _el(_el(parent, tag), "cac:Party")
    if party.email:
        _el(element, "cbc:EndpointID", party.email, schemeID=ENDPOINT_EMAIL)
    _el(_el(element, "cac:PartyName"), "cbc:Name", party.name)
    address = _el(element, "cac:PostalAddress")
    if party.address:
        _el(address, "cbc:StreetName", party.address)
    _el(_el(address, "cac:Country"), "cbc:IdentificationCode", party.country)
    tax_scheme = _el(element, "cac:PartyTaxScheme")
    _el(tax_scheme, "cbc:CompanyID", party.vat_id)
    _el(_el(tax_scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    _el(_el(element, "cac:PartyLegalEntity"), "cbc:RegistrationName", party.name)


def _category(parent, tag: str, category: str, rate, reason: str = "") -> None:
    element = _el(parent, tag)
    _el(element, "cbc:ID", category)
    _el(element, "cbc:Percent", rate_text(rate))
    if reason:
        _el(element, "cbc:TaxExemptionReason", reason)
    _el(_el(element, "cac:TaxScheme"), "cbc:ID", "VAT")


def _payment_means(root, data: EInvoice) -> None:
    means = _el(root, "cac:PaymentMeans")
    _el(means, "cbc:PaymentMeansCode", PAYMENT_CREDIT_TRANSFER)
    if data.is_credit_note:
        _el(means, "cbc:PaymentDueDate", data.due_date.isoformat())
    _el(means, "cbc:PaymentID", data.number)
    account = _el(means, "cac:PayeeFinancialAccount")
    _el(account, "cbc:ID", data.bank_account)
    _el(account, "cbc:Name", data.seller.name)
    _el(_el(account, "cac:FinancialInstitutionBranch"), "cbc:ID", data.bank_code)


def _totals(root, data: EInvoice) -> None:
    currency = data.currency
    tax_total = _el(root, "cac:TaxTotal")
    _el(tax_total, "cbc:TaxAmount", money(data.tax_total), currencyID=currency)
    for row in data.vat_rows:
        subtotal = _el(tax_total, "cac:TaxSubtotal")
        _el(subtotal, "cbc:TaxableAmount", money(row.taxable), currencyID=currency)
        _el(subtotal, "cbc:TaxAmount", money(row.tax), currencyID=currency)
        _category(
            subtotal, "cac:TaxCategory", row.category, row.rate, row.exemption_reason
        )
    legal = _el(root, "cac:LegalMonetaryTotal")
    for tag, amount in (
        ("cbc:LineExtensionAmount", data.line_total),
        ("cbc:TaxExclusiveAmount", data.line_total),
        ("cbc:TaxInclusiveAmount", data.grand_total),
        ("cbc:PrepaidAmount", data.prepaid),
        ("cbc:PayableAmount", data.due_payable),
    ):
        _el(legal, tag, money(amount), currencyID=currency)


def _lines(root, data: EInvoice) -> None:
    line_tag, quantity_tag = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
        if data.is_credit_note
        else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    for line in data.lines:
        element = _el(root, line_tag)
        _el(element, "cbc:ID", str(line.position))
        _el(element, quantity_tag, str(line.quantity), unitCode=line.unit_code)
        _el(
            element,
            "cbc:LineExtensionAmount",
            money(line.net_amount),
            currencyID=data.currency,
        )
        item = _el(element, "cac:Item")
        _el(item, "cbc:Name", line.title)
        if line.article:
            _el(_el(item, "cac:SellersItemIdentification"), "cbc:ID", line.article)
        _category(item, "cac:ClassifiedTaxCategory", line.category, line.rate)
        price = _el(element, "cac:Price")
        _el(price, "cbc:PriceAmount", money(line.net_price), currencyID=data.currency)


def _header(root, data: EInvoice) -> None:
    _el(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _el(root, "cbc:ProfileID", PROFILE_ID)
    _el(root, "cbc:ID", data.number)
    _el(root, "cbc:IssueDate", data.issue_date.isoformat())
    if data.is_credit_note:
        _el(root, "cbc:CreditNoteTypeCode", data.type_code)
    else:
        _el(root, "cbc:DueDate", data.due_date.isoformat())
        _el(root, "cbc:InvoiceTypeCode", data.type_code)
    _el(root, "cbc:DocumentCurrencyCode", data.currency)
    _el(root, "cbc:BuyerReference", data.buyer_reference)
    if data.order_reference:
        _el(_el(root, "cac:OrderReference"), "cbc:ID", data.order_reference)
    if data.preceding_number:
        reference = _el(
            _el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference"
        )
        _el(reference, "cbc:ID", data.preceding_number)
        _el(reference, "cbc:IssueDate", data.preceding_date.isoformat())


def ubl_xml(invoice: Invoice) -> bytes:
    """The UBL XML (UTF-8): an Invoice, or a CreditNote for a credit note."""
    data = einvoice_data(invoice)
    namespace = CREDIT_NOTE_NS if data.is_credit_note else INVOICE_NS
    name = "CreditNote" if data.is_credit_note else "Invoice"
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace, **PREFIXES})
    _header(root, data)
    _party(root, "cac:AccountingSupplierParty", data.seller)
    _party(root, "cac:AccountingCustomerParty", data.buyer)
    _payment_means(root, data)
    _totals(root, data)
    _lines(root, data)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )

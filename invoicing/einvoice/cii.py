"""The UN/CEFACT Cross Industry Invoice (D16B) of an invoice at the Factur-X
EN 16931 profile: the XML that a Factur-X PDF carries as factur-x.xml."""

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

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = (
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
)
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
GUIDELINE_EN16931 = "urn:cen.eu:en16931:2017"


def _el(parent, tag: str, text: str | None = None, **attrs):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _date(parent, tag: str, value, *, ns: str = "udt") -> None:
    _el(
        _el(parent, tag), f"{ns}:DateTimeString", value.strftime("%Y%m%d"), format="102"
    )


def _party(parent, tag: str, party: Party) -> None:
    element = _el(parent, tag)
    _el(element, "ram:Name", party.name)
    address = _el(element, "ram:PostalTradeAddress")
    if party.address:
        _el(address, "ram:LineOne", party.address)
    _el(address, "ram:CountryID", party.country)
    if party.email:
        uri = _el(element, "ram:URIUniversalCommunication")
        _el(uri, "ram:URIID", party.email, schemeID="EM")
    _el(
        _el(element, "ram:SpecifiedTaxRegistration"),
        "ram:ID",
        party.vat_id,
        schemeID="VA",
    )


def _lines(transaction, data: EInvoice) -> None:
    for line in data.lines:
        item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _el(
            _el(item, "ram:AssociatedDocumentLineDocument"),
            "ram:LineID",
            str(line.position),
        )
        product = _el(item, "ram:SpecifiedTradeProduct")
        if line.article:
            _el(product, "ram:SellerAssignedID", line.article)
        _el(product, "ram:Name", line.title)
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        price = _el(agreement, "ram:NetPriceProductTradePrice")
        _el(price, "ram:ChargeAmount", money(line.net_price))
        delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
        _el(delivery, "ram:BilledQuantity", str(line.quantity), unitCode=line.unit_code)
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", line.category)
        _el(tax, "ram:RateApplicablePercent", rate_text(line.rate))
        summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _el(summation, "ram:LineTotalAmount", money(line.net_amount))


def _agreement(transaction, data: EInvoice) -> None:
    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    _el(agreement, "ram:BuyerReference", data.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", data.seller)
    _party(agreement, "ram:BuyerTradeParty", data.buyer)
    if data.order_reference:
        order = _el(agreement, "ram:BuyerOrderReferencedDocument")
        _el(order, "ram:IssuerAssignedID", data.order_reference)


def _settlement(transaction, data: EInvoice) -> None:
    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:PaymentReference", data.number)
    _el(settlement, "ram:InvoiceCurrencyCode", data.currency)
    means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    _el(means, "ram:TypeCode", PAYMENT_CREDIT_TRANSFER)
    account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
    _el(account, "ram:AccountName", data.seller.name)
    _el(account, "ram:ProprietaryID", data.bank_account)
    bank = _el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
    _el(bank, "ram:BICID", data.bank_code)
    for row in data.vat_rows:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", money(row.tax))
        _el(tax, "ram:TypeCode", "VAT")
        if row.exemption_reason:
            _el(tax, "ram:ExemptionReason", row.exemption_reason)
        _el(tax, "ram:BasisAmount", money(row.taxable))
        _el(tax, "ram:CategoryCode", row.category)
        _el(tax, "ram:RateApplicablePercent", rate_text(row.rate))
    _date(
        _el(settlement, "ram:SpecifiedTradePaymentTerms"),
        "ram:DueDateDateTime",
        data.due_date,
    )
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", money(data.line_total))
    _el(totals, "ram:TaxBasisTotalAmount", money(data.line_total))
    _el(totals, "ram:TaxTotalAmount", money(data.tax_total), currencyID=data.currency)
    _el(totals, "ram:GrandTotalAmount", money(data.grand_total))
    _el(totals, "ram:TotalPrepaidAmount", money(data.prepaid))
    _el(totals, "ram:DuePayableAmount", money(data.due_payable))
    if data.preceding_number:
        preceding = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(preceding, "ram:IssuerAssignedID", data.preceding_number)
        _date(preceding, "ram:FormattedIssueDateTime", data.preceding_date, ns="qdt")


def cii_xml(invoice: Invoice) -> bytes:
    """The CrossIndustryInvoice XML (UTF-8) of an issued invoice or credit note."""
    data = einvoice_data(invoice)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    guideline = _el(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _el(guideline, "ram:ID", GUIDELINE_EN16931)
    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", data.number)
    _el(document, "ram:TypeCode", data.type_code)
    _date(document, "ram:IssueDateTime", data.issue_date)
    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    _lines(transaction, data)
    _agreement(transaction, data)
    _el(transaction, "ram:ApplicableHeaderTradeDelivery")
    _settlement(transaction, data)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )

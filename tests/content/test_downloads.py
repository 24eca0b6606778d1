"""Downloads that count: a landing page's download block links to
`/downloads/<id>/`, which records the download and has Wagtail serve the file
(its privacy rules apply); a gated one asks for contacts first and never serves
the file to a browser whose session has no lead. Downloads straight from
Wagtail's `/documents/` count too."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from content.downloads import download_url
from content.models import Event, HomePage, LandingPage, Lead
from content.tracking import VISITOR_COOKIE
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the catalogue"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the limits' counters
    yield
    cache.clear()


@pytest.fixture
def document():
    doc = Document(title="Catalogue 2026")
    doc.file.save("catalogue.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def _landing(document, *, gated: bool, slug="builders"):
    home = HomePage.objects.get()
    block = {
        "title": "The catalogue",
        "text": "",
        "document": document.pk,
        "gated": gated,
    }
    page = LandingPage(
        title="For builders",
        slug=slug,
        industry="construction",
        body=json.dumps([{"type": "download", "value": block}]),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _link(client, path) -> str:
    html = client.get(path).content.decode()
    (href,) = re.findall(r'href="(/downloads/[^"]+)"', html)
    return href.replace("&amp;", "&")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _downloads():
    return Event.objects.filter(kind=Event.Kind.DOWNLOAD)


def test_an_open_download_is_served_and_counted_with_its_page(client, document):
    page = _landing(document, gated=False)
    href = _link(client, "/builders/")

    response = client.get(href)

    assert response.status_code == 200
    assert _body(response) == PDF
    event = _downloads().get()
    assert (event.document, event.page_id, event.lead) == (document, page.pk, None)
    assert event.visitor_id == client.cookies[VISITOR_COOKIE].value


def test_a_download_from_wagtails_own_url_is_counted(client, document):
    response = client.get(document.url)

    assert _body(response) == PDF
    event = _downloads().get()
    assert (event.document, event.page) == (document, None)


def test_an_editors_download_is_not_counted(client, document):
    client.force_login(StaffFactory())

    assert client.get(document.url).status_code == 200
    assert not _downloads().exists()


def test_a_gated_download_asks_for_contacts_and_serves_nothing_before(client, document):
    _landing(document, gated=True)
    href = _link(client, "/builders/")

    response = client.get(href)

    assert response.status_code == 200
    assert response.templates[0].name == "content/download_gate.html"
    assert response["Content-Type"].startswith("text/html")
    assert not _downloads().exists()


def test_sending_the_gate_form_makes_a_lead_and_serves_the_file(client, document):
    page = _landing(document, gated=True)
    href = _link(client, "/builders/")

    response = client.post(
        href,
        {"kind": "consultation", "name": "Ivan", "contact": "ivan@build.example",
         "page": "/builders/", "consent": "on"},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == href
    lead = Lead.objects.get()
    assert (lead.name, lead.email) == ("Ivan", "ivan@build.example")
    assert not _downloads().exists()
    response = client.get(href)
    assert _body(response) == PDF
    event = _downloads().get()
    assert (event.lead, event.page_id, event.document) == (lead, page.pk, document)
    submit = Event.objects.get(kind=Event.Kind.FORM_SUBMIT)
    assert submit.lead == lead


def test_a_link_without_a_valid_token_is_gated(client, document):
    _landing(document, gated=False)
    href = _link(client, "/builders/")
    forged = re.sub(r"t=[^&]+", "t=forged", href)

    for url in (f"/downloads/{document.pk}/", forged):
        response = client.get(url)
        assert response.templates[0].name == "content/download_gate.html", url
    assert not _downloads().exists()


def test_a_token_of_another_document_is_gated(client, document):
    other = Document(title="Price list")
    other.file.save("prices.pdf", ContentFile(b"%PDF-1.4 prices"), save=False)
    other.save()
    token = download_url(document=other, gated=False).split("?")[1]

    response = client.get(f"/downloads/{document.pk}/?{token}")

    assert response.templates[0].name == "content/download_gate.html"


def test_a_bot_filling_the_trap_gets_no_file_and_leaves_no_lead(client, document):
    _landing(document, gated=True)
    href = _link(client, "/builders/")

    response = client.post(
        href, {"contact": "bot@spam.example", "website": "http://spam.example"}
    )

    assert response.status_code == 302
    assert not Lead.objects.exists()
    again = client.get(href)
    assert again.templates[0].name == "content/download_gate.html"
    assert not _downloads().exists()


def test_bad_contacts_show_the_form_again(client, document):
    _landing(document, gated=True)
    href = _link(client, "/builders/")

    response = client.post(href, {"contact": "not a phone"})

    assert response.status_code == 200
    assert response.context["form"].errors["contact"]
    assert not Lead.objects.exists()


def test_the_request_limits_apply_to_the_gate(client, document, settings):
    settings.SHOP_LEAD_RATE_PER_IP = "2/h"
    _landing(document, gated=True)
    href = _link(client, "/builders/")

    # Each from a new browser (no session), as a bot sends them.
    codes = [
        Client()
        .post(
            href,
            {"kind": "consultation", "contact": f"p{n}@build.example", "consent": "on"},
        )
        .status_code
        for n in range(3)
    ]

    assert codes == [302, 302, 429]
    assert Lead.objects.count() == 2


def test_an_unknown_document_is_a_404(client):
    assert client.get("/downloads/999999/").status_code == 404


def test_a_document_of_a_private_collection_stays_private(client, document):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Partners only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.GROUPS
    ).groups.add(Group.objects.create(name="Partners"))
    document.collection = private
    document.save()
    href = download_url(document=document, gated=False)

    response = client.get(href)

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not _downloads().exists()

"""Staff edit a product's analogues, substitutes and successor through one service;
the dashboard page only parses the form and reports the service's answer."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from catalog.models import Lifecycle, Substitute
from catalog.relations import product_relation_apply
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    return ProductFactory(article="6205-2RS"), ProductFactory(article="180205")


def test_link_and_unlink_by_article(pair):
    product, other = pair
    product_relation_apply(product=product, action="link", article="180 205")
    other.refresh_from_db()
    product.refresh_from_db()
    assert other.analogue_group_id == product.analogue_group_id is not None

    product_relation_apply(product=product, action="unlink")

    product.refresh_from_db()
    other.refresh_from_db()
    assert (product.analogue_group_id, other.analogue_group_id) == (None, None)


def test_substitute_set_changes_the_note_and_remove_deletes_it(pair):
    product, other = pair
    product_relation_apply(
        product=product, action="substitute", article="180205", note="wider"
    )
    product_relation_apply(
        product=product, action="substitute", article="180205", note="narrower"
    )
    assert list(Substitute.objects.values_list("product", "substitute", "note")) == [
        (product.pk, other.pk, "narrower")
    ]

    product_relation_apply(
        product=product, action="remove_substitute", article="180205"
    )

    assert not Substitute.objects.exists()


def test_successor_discontinues_and_an_empty_article_clears_it(pair):
    product, other = pair
    product_relation_apply(product=product, action="successor", article="180205")
    product.refresh_from_db()
    assert (product.successor_id, product.lifecycle) == (
        other.pk, Lifecycle.DISCONTINUED
    )  # fmt: skip

    product_relation_apply(product=product, action="successor", article="")

    product.refresh_from_db()
    assert (product.successor_id, product.lifecycle) == (None, Lifecycle.DISCONTINUED)


@pytest.mark.parametrize(
    ("action", "article", "message"),
    [
        ("link", "", "Enter an article."),
        ("substitute", "", "Enter an article."),
        ("link", "NOPE-1", "No product with article NOPE-1."),
        ("substitute", "6205 2rs", "A product cannot be related to itself."),
    ],
)
def test_refusals_say_why_and_change_nothing(pair, action, article, message):
    product, _other = pair
    with pytest.raises(ValidationError) as refused:
        product_relation_apply(product=product, action=action, article=article)

    assert refused.value.messages == [message]
    product.refresh_from_db()
    assert product.analogue_group_id is None
    assert not Substitute.objects.exists()


def test_the_page_reports_the_service_answer(client, staff_user, pair):
    product, other = pair
    client.force_login(staff_user)
    url = f"/dashboard/catalog/products/{product.pk}/relations/"

    refused = client.post(url, {"action": "link", "article": "NOPE-1"})
    saved = client.post(url, {"action": "substitute", "article": "180205", "note": "x"})

    assert refused.status_code == 200
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [
        "No product with article NOPE-1."
    ]
    assert saved.status_code == 302
    assert saved.url == url
    assert Substitute.objects.get().substitute == other

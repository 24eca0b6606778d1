"""A small catalogue every search test reads, and the backends to run them on."""

import os

import pytest

from catalog.models import AnalogueGroup, Category, CompanyPartNumber, CrossReference
from search.backends import get_backend
from tests.factories import ManufacturerFactory, ProductFactory, StockRecordFactory

BACKENDS = ["database", "elasticsearch"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "elasticsearch":
        if not os.environ.get("ELASTICSEARCH_URL"):
            pytest.skip("ELASTICSEARCH_URL not set")
        # One alias per xdist worker: parallel rebuilds on one cluster stay apart.
        settings = request.getfixturevalue("settings")
        worker = request.getfixturevalue("worker_id")
        settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{worker}"
        request.getfixturevalue("catalogue")
        backend = get_backend(request.param)
        backend.rebuild()
        return backend
    return get_backend(request.param)


@pytest.fixture
def catalogue(db, company):
    skf = ManufacturerFactory(name="SKF", slug="skf")
    fag = ManufacturerFactory(name="FAG", slug="fag")
    bearings = Category.add_root(name="Bearings", slug="bearings")
    ball = bearings.add_child(name="Ball bearings", slug="ball-bearings")
    belts = Category.add_root(name="Belts", slug="belts")
    group = AnalogueGroup.objects.create()
    p = {}
    p["ball"] = ProductFactory(
        title="Подшипник шариковый 6204-2RS", article="HB-M8/40", manufacturer=skf,
        manufacturer_article="6204-2RSH", analogue_group=group,
    )  # fmt: skip
    p["roller"] = ProductFactory(
        title="Подшипник роликовый 32205", article="HB-M8/400", manufacturer=fag
    )
    p["english"] = ProductFactory(
        title="Ball bearing 6205 ZZ", article="ART-6205", manufacturer=fag,
        manufacturer_article="6205ZZ", analogue_group=group,
    )  # fmt: skip
    p["belt"] = ProductFactory(
        title="Ремень клиновой A-1000", article="BELT-1000",
        description="Приводной ремень для станков",
    )  # fmt: skip
    p["hose"] = ProductFactory(
        title="Hydraulic hose", article="HOSE-1", manufacturer_article="HBM8-40"
    )
    p["kit"] = ProductFactory(title="Repair kit for HB-M8/40", article="KIT-1")
    p["hidden"] = ProductFactory(
        title="Подшипник скрытый", article="HID-1", is_public=False
    )
    p["ball"].categories.add(ball)
    p["english"].categories.add(ball)
    p["roller"].categories.add(bearings)
    p["belt"].categories.add(belts)
    CrossReference.objects.create(product=p["english"], number="GOST 180205")
    CrossReference.objects.create(product=p["hose"], number="X-100")
    CrossReference.objects.create(product=p["kit"], number="X-100")
    CompanyPartNumber.objects.create(
        company=company, product=p["belt"], number="OUR-77"
    )
    StockRecordFactory(product=p["ball"], num_in_stock=10)
    StockRecordFactory(product=p["roller"], num_in_stock=0)
    StockRecordFactory(product=p["english"], num_in_stock=5, num_allocated=5)
    get_backend().rebuild()
    return {
        "products": p,
        "categories": {"bearings": bearings, "ball": ball, "belts": belts},
    }

"""The catalogue API's request bodies and answers as ninja Schemas: the OpenAPI
document of `catalog.api_views` is generated from them."""

from ninja import Field, Schema

MAX_ITEMS = 500
MAX_QUANTITY = 1_000_000
MAX_ARTICLE_LENGTH = 200


class ItemIn(Schema):
    article: str = Field(min_length=1, max_length=MAX_ARTICLE_LENGTH)
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY)


class PricedItemIn(Schema):
    article: str = Field(min_length=1, max_length=MAX_ARTICLE_LENGTH)
    quantity: int = Field(ge=1, le=MAX_QUANTITY)


class AvailabilityIn(Schema):
    items: list[ItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class PricesIn(Schema):
    items: list[PricedItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class PriceBreakOut(Schema):
    min_quantity: int
    price_excl_vat: str = Field(description="Decimal as a string")


class PriceOut(Schema):
    price_excl_vat: str | None = Field(description="Decimal as a string")
    price_incl_vat: str | None = Field(description="Decimal as a string")
    currency: str | None
    rule: str | None = Field(
        description="contract, discount_rule, company_list or list_price"
    )
    breaks: list[PriceBreakOut] = Field(description="Quantity prices, excl. VAT")
    reason: str | None = Field(description="Without a price: price_hidden, no_price")


class WarehouseOut(Schema):
    name: str
    city: str
    available: int
    lead_time: str


class AvailabilityOut(Schema):
    status: str = Field(description="in_stock, to_order or on_request")
    label: str
    available: int = Field(description="Free units over all warehouses")
    warehouses: list[WarehouseOut]


class CategoryOut(Schema):
    name: str
    url: str


class CrossReferenceOut(Schema):
    brand: str
    number: str
    kind: str


class SubstituteOut(Schema):
    article: str
    note: str


class ProductDetailOut(Schema):
    article: str
    name: str
    manufacturer: str | None
    manufacturer_article: str | None
    unit: str
    pack_size: int
    min_order_qty: int
    order_step: int
    vat_rate: str
    lifecycle: str
    successor: str | None
    category_path: list[CategoryOut] = Field(description="From the root down")
    url: str
    price: PriceOut
    availability: AvailabilityOut
    cross_references: list[CrossReferenceOut]
    analogues: list[str] = Field(description="Articles, in stock first")
    substitutes: list[SubstituteOut]


class AvailabilityItemOut(Schema):
    article: str = Field(description="As sent")
    found: bool
    product_article: str | None
    status: str | None
    label: str | None
    available: int | None
    quantity: int | None
    now: int | None = Field(description="Of the quantity: units that ship now")
    later: int | None = Field(description="Of the quantity: units back-ordered")
    promise: str | None


class AvailabilityListOut(Schema):
    items: list[AvailabilityItemOut]


class PriceItemOut(Schema):
    article: str = Field(description="As sent")
    quantity: int
    found: bool
    product_article: str | None
    price_excl_vat: str | None = Field(description="Unit price at the quantity")
    price_incl_vat: str | None
    total_excl_vat: str | None = Field(description="Unit price × quantity")
    total_incl_vat: str | None
    currency: str | None
    rule: str | None
    reason: str | None = Field(description="not_found, price_hidden or no_price")


class PriceListOut(Schema):
    items: list[PriceItemOut]

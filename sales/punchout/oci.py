"""SAP OCI 4.0 punchout: a procurement system (SAP SRM, Ariba, Coupa, 1C:ERP…)
opens the shop with `HOOK_URL`, `USERNAME` and `PASSWORD`; the buyer fills the
basket at their own prices; the shop posts the basket back to `HOOK_URL` as the
`NEW_ITEM-*` fields and the punchout ends.

The session is tied to one user and one company: the user must be an active
member who may order, of an approved company; the password is checked through the
authentication backends (django-axes counts failures, so a guessing procurement
system is locked out like a login form)."""

from decimal import Decimal

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _

from accounts.selectors import membership_for_user
from sales.punchout.session import (
    OCI,
    PunchoutError,
    PunchoutSession,
    punchout_session,
    punchout_session_open,
    return_url_clean,
)

# UN/ECE Recommendation 20 codes, which OCI's NEW_ITEM-UNIT carries.
UNIT_CODES = {
    "pcs": "PCE",
    "m": "MTR",
    "kg": "KGM",
    "l": "LTR",
    "set": "SET",
    "pack": "PK",
    "pair": "PR",
    "roll": "RO",
}
DESCRIPTION_MAX = 40  # OCI 4.0: NEW_ITEM-DESCRIPTION is CHAR 40
TARGETS = {"_top", "_parent", "_self", "_blank"}


def _clean_hook(raw: str) -> str:
    hook = return_url_clean(raw)
    if hook is None:
        raise PunchoutError(
            _("HOOK_URL must be the procurement system's http(s) address.")
        )
    return hook


def _param(params, name: str) -> str:
    """An OCI parameter, whatever case the procurement system wrote it in."""
    wanted = name.lower()
    for key in params:
        if key.lower() == wanted:
            value = params.get(key) or ""
            if "\x00" in value:
                raise PunchoutError(_("The punchout request is malformed."))
            return value
    return ""


def oci_start(request, params) -> PunchoutSession:
    """Check the procurement system's call, log its user in for their company and
    remember where the basket goes. Nothing is stored when anything is wrong."""
    hook = _clean_hook(_param(params, "HOOK_URL"))
    username = _param(params, "USERNAME")[:254]
    password = _param(params, "PASSWORD")[:256]
    target = _param(params, "~TARGET")
    if not username or not password:
        raise PunchoutError(_("USERNAME and PASSWORD are required."))
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise PunchoutError(_("The user name or password is wrong."))
    membership = membership_for_user(user=user, company_id=None)
    if membership is None or not membership.allows("order"):
        raise PunchoutError(
            _("This user may not order for an approved company in the shop.")
        )
    session = PunchoutSession(
        kind=OCI,
        return_url=hook,
        target=target if target in TARGETS else "_top",
        company_id=membership.company_id,
    )
    punchout_session_open(request, user=user, membership=membership, session=session)
    return session


def oci_session(request) -> PunchoutSession | None:
    """The OCI punchout of this browser session, if one is open for the request's
    company (a user who switched company has left it)."""
    return punchout_session(request, kind=OCI)


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def oci_fields(basket) -> list[tuple[str, str]]:
    """The basket as OCI 4.0 `NEW_ITEM-*` fields, items numbered from 1, at the
    prices the buyer sees (net, per one unit)."""
    fields: list[tuple[str, str]] = []
    for n, line in enumerate(basket.all_lines(), start=1):
        product = line.product
        price = line.unit_price_excl_tax
        if price is None:
            raise PunchoutError(
                _("%(article)s has no price for you; remove it to transfer the basket.")
                % {"article": product.article}
            )
        title = product.get_title()
        fields += [
            (f"NEW_ITEM-DESCRIPTION[{n}]", title[:DESCRIPTION_MAX]),
            (f"NEW_ITEM-QUANTITY[{n}]", f"{line.quantity}"),
            (f"NEW_ITEM-UNIT[{n}]", UNIT_CODES.get(product.unit, "PCE")),
            (f"NEW_ITEM-PRICE[{n}]", _amount(price)),
            (f"NEW_ITEM-PRICEUNIT[{n}]", "1"),
            (f"NEW_ITEM-CURRENCY[{n}]", basket.currency or "RUB"),
            (f"NEW_ITEM-VENDORMAT[{n}]", product.article or ""),
            (f"NEW_ITEM-MANUFACTMAT[{n}]", product.manufacturer_article or ""),
            (f"NEW_ITEM-EXT_PRODUCT_ID[{n}]", str(product.pk)),
            (f"NEW_ITEM-VAT_RATE[{n}]", f"{product.vat_rate}"),
            (f"NEW_ITEM-LONGTEXT_{n}:132[]", title),
        ]
    if not fields:
        raise PunchoutError(_("The basket is empty: add products to transfer."))
    return fields

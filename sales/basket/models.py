"""Oscar's basket, forked so that quantity breaks re-price lines without Oscar's
"the price has changed" warning, a whole basket is priced in a constant number of
queries, and a line whose price is now in another currency is refused."""

from django.utils.translation import gettext as _
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine
from oscar.apps.partner.availability import Unavailable
from oscar.apps.partner.strategy import PurchaseInfo


class CurrencyMismatch(ValueError):
    """A line cannot be priced in its basket's currency. A ValueError, so checkout
    refuses the order with the message; templates render the value as empty."""

    silent_variable_failure = True


class CurrencyRefused(Unavailable):
    def __init__(self, message: str):
        self.message = message

    def is_purchase_permitted(self, quantity):
        return False, self.message


class Basket(AbstractBasket):
    class Meta(AbstractBasket.Meta):
        pass

    def _get_total(self, model_property):
        # Lines refused for their currency are left out of the totals (their warning
        # says why); checkout refuses them through `CurrencyMismatch`.
        refused = [line for line in self.all_lines() if line.currency_problem]
        if not refused:
            return super()._get_total(model_property)
        kept = self._lines
        self._lines = [line for line in kept if not line.currency_problem]
        try:
            return super()._get_total(model_property)
        finally:
            self._lines = kept


class Line(AbstractLine):
    class Meta(AbstractLine.Meta):
        pass

    @property
    def purchase_info(self):
        if not hasattr(self, "_info"):
            strategy = self.basket.strategy
            if not getattr(self.basket, "_prices_prefetched", False):
                # Price every line of the basket at once, not one query per line.
                self.basket._prices_prefetched = True
                strategy.prefetch([line.product for line in self.basket.all_lines()])
            info = strategy.fetch_for_line(self, self.stockrecord)
            self._currency_problem_text = self._currency_problem(info)
            if self._currency_problem_text:
                info = PurchaseInfo(
                    price=info.price,
                    availability=CurrencyRefused(self._currency_problem_text),
                    stockrecord=info.stockrecord,
                )
            self._info = info
        return self._info

    @property
    def currency_problem(self) -> str:
        """Why this line cannot be bought in its basket's currency ("" if it can)."""
        self.purchase_info  # noqa: B018  (prices the line once)
        return self._currency_problem_text

    def _currency_problem(self, info) -> str:
        price = info.price
        if not price.exists or not self.price_currency:
            return ""
        if price.currency == self.price_currency:
            return ""
        return _(
            "'%(product)s' is now priced in %(new)s, but your basket is in "
            "%(old)s: remove it and add it again."
        ) % {
            "product": self.product.get_title(),
            "new": price.currency,
            "old": self.price_currency,
        }

    def _checked_price(self, name):
        info = self.purchase_info
        if self.currency_problem:
            raise CurrencyMismatch(self.currency_problem)
        return getattr(info.price, name)

    @property
    def unit_effective_price(self):
        return self._checked_price("effective_price")

    @property
    def unit_price_excl_tax(self):
        return self._checked_price("excl_tax")

    @property
    def unit_price_incl_tax(self):
        return self._checked_price("incl_tax")

    @property
    def unit_tax(self):
        return self._checked_price("tax")

    def save(self, *args, **kwargs):
        # The quantity may have crossed a break: store today's unit price for it.
        if self.pk and self.basket_id and getattr(self.basket, "has_strategy", False):
            self.__dict__.pop("_info", None)
            price = self.purchase_info.price
            if price.exists and price.is_tax_known and not self.currency_problem:
                self.price_excl_tax = price.excl_tax
                self.price_incl_tax = price.incl_tax
        super().save(*args, **kwargs)

    def get_warning(self):
        info = self.purchase_info
        if self.currency_problem:
            return self.currency_problem
        quote = getattr(info.price, "quote", None)
        if (
            quote is not None
            and not isinstance(info.availability, Unavailable)
            and self.price_excl_tax in {b.net for b in quote.breaks}
        ):
            # The stored price is one of today's breaks: the quantity moved it.
            return None
        return super().get_warning()


from oscar.apps.basket.models import *  # noqa: E402,F401,F403

"""Dashboard forms for price lists, company terms, contracts, discount rules, import
and "why this price"; the services make the final checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Company
from catalog.models import Category, Manufacturer
from catalog.pricing.models import PriceList
from catalog.pricing.selectors import product_by_article

DATE = forms.DateInput(attrs={"type": "date"})


class PeriodMixin:
    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("'Valid to' is before 'valid from'."))
        return data


class PriceListForm(PeriodMixin, forms.ModelForm):
    class Meta:
        model = PriceList
        fields = [
            "name",
            "code",
            "kind",
            "currency",
            "valid_from",
            "valid_to",
            "is_active",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("A three-letter ISO code, e.g. RUB."))
        return currency


class PriceField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Price excl. VAT"), max_digits=14, decimal_places=2, **kwargs
        )

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The price must be greater than zero."))


class BreakForm(forms.Form):
    """One quantity break of a product: price from `min_quantity` units up."""

    article = forms.CharField(label=_("Article"), max_length=64)
    min_quantity = forms.IntegerField(
        label=_("From quantity"),
        initial=1,
        min_value=1,
        error_messages={"min_value": _("A quantity break starts at 1 unit or more.")},
    )
    price = PriceField()

    def clean_article(self):
        product = product_by_article(article=self.cleaned_data["article"])
        if product is None:
            raise forms.ValidationError(_("No product with this article."))
        self.product = product
        return self.cleaned_data["article"]


class TermsForm(PeriodMixin, forms.Form):
    price_list = forms.ModelChoiceField(
        label=_("Base price list"),
        queryset=PriceList.objects.exclude(kind=PriceList.Kind.LIST).order_by("name"),
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE)


class ContractForm(PeriodMixin, forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=64)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class DiscountRuleForm(PeriodMixin, forms.Form):
    base_price_list = forms.ModelChoiceField(
        label=_("Base price list"), queryset=PriceList.objects.order_by("-kind", "name")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.order_by("path"), required=False
    )
    manufacturer = forms.ModelChoiceField(
        label=_("Manufacturer"), queryset=Manufacturer.objects.all(), required=False
    )
    percent = forms.DecimalField(
        label=_("Discount, %"),
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=99.99,
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if not data.get("category") and not data.get("manufacturer"):
            raise forms.ValidationError(_("Choose a category, a manufacturer or both."))
        return data


class PriceImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file (article, price, min_qty)"))
    dry_run = forms.BooleanField(label=_("Check only, save nothing"), required=False)


class ExplainForm(forms.Form):
    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.order_by("name"),
        required=False,
        empty_label=_("A visitor (not logged in)"),
    )
    product = forms.CharField(label=_("Article"), max_length=64)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)

    def clean_product(self):
        product = product_by_article(article=self.cleaned_data["product"])
        if product is None:
            raise forms.ValidationError(_("No product with this article."))
        return product

"""Business customer registration (the person and the company, minimal fields), the
company switcher, and the staff forms of the companies dashboard."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Company, Industry, User
from accounts.services import Registration
from accounts.validators import (
    EU_COUNTRY_NAMES,
    kpp_normalize,
    phone_normalize,
    tax_id_normalize,
)

COUNTRY_CHOICES = [("RU", _("Russia"))] + sorted(
    ((code, name) for code, name in EU_COUNTRY_NAMES.items()), key=lambda c: str(c[1])
)


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("Work e-mail"))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=32)
    legal_name = forms.CharField(label=_("Company legal name"), max_length=255)
    country = forms.ChoiceField(
        label=_("Country"), choices=COUNTRY_CHOICES, initial="RU"
    )
    tax_id = forms.CharField(label=_("INN / VAT number"), max_length=20)
    kpp = forms.CharField(
        label=_("KPP"),
        max_length=12,
        required=False,
        help_text=_("Russian companies only."),
    )
    industry = forms.ChoiceField(
        label=_("Industry"), choices=Industry.choices, initial=Industry.OTHER
    )

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "An account with this e-mail already exists. Log in or reset the password."
                )
            )
        return email

    def clean_phone(self):
        return phone_normalize(self.cleaned_data["phone"])

    def clean_kpp(self):
        return kpp_normalize(self.cleaned_data.get("kpp", ""))

    def clean(self):
        cleaned = super().clean()
        self._clean_company(cleaned)
        password = cleaned.get("password")
        if password:
            try:
                password_validation.validate_password(
                    password, User(email=cleaned.get("email", ""))
                )
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned

    def _clean_company(self, cleaned: dict) -> None:
        country, tax_id = cleaned.get("country"), cleaned.get("tax_id")
        if not (country and tax_id):
            return
        if country != "RU" and cleaned.get("kpp"):
            self.add_error("kpp", _("KPP applies to Russian companies only."))
        try:
            cleaned["tax_id"] = tax_id_normalize(country=country, tax_id=tax_id)
        except ValidationError as exc:
            self.add_error("tax_id", exc)
            return
        kpp = cleaned.get("kpp", "")
        # One INN with different KPPs is a company and its branches; a blank KPP on
        # either side cannot tell them apart, so it counts as the same company.
        same = Company.objects.filter(country=country, tax_id=cleaned["tax_id"])
        if kpp:
            same = same.filter(kpp__in=[kpp, ""])
        if same.exists():
            self.add_error(
                "tax_id",
                _(
                    "This company is already registered. Ask its administrator to invite you."
                ),
            )

    def registration(self, *, language: str) -> Registration:
        data = self.cleaned_data
        return Registration(
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            company_name=data["legal_name"],
            legal_name=data["legal_name"],
            country=data["country"],
            tax_id=data["tax_id"],
            kpp=data.get("kpp", ""),
            industry=data["industry"],
            language=language,
        )


class InvitationSignupForm(forms.Form):
    """The account an invitee creates: the e-mail is the invitation's."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput, strip=False
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, User(email=self.email))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class SwitchCompanyForm(forms.Form):
    company = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False)


class CompanyFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + Company.Status.choices,
        required=False,
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        choices=[("", _("Any industry"))] + Industry.choices,
        required=False,
    )
    q = forms.CharField(label=_("Name or INN"), max_length=100, required=False)


class CompanyReasonForm(forms.Form):
    """The reason staff give when rejecting or blocking; the customer reads it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class AccountManagerForm(forms.Form):
    manager = forms.ModelChoiceField(
        label=_("Account manager"),
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by("email"),
        required=False,
        empty_label=_("Nobody"),
        widget=forms.Select(attrs={"class": "form-control"}),
    )

"""Django's admin, with one guard for every model admin registered on it.

The admin's "add" page takes initial values from the query string (`?product=7`);
Django hands a value that is no id of the field's type (`?product=NaN`) to the
database and answers 500. `ShopAdminSite` registers every model admin — ours,
Oscar's, Wagtail's — through `InitialDataGuard`, which drops such values: the form
opens empty for that field, as for an id that does not exist."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import FieldDoesNotExist, ValidationError


def _acceptable(model, name: str, value) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return True
    if field.auto_created and not field.concrete:
        return True  # a reverse relation: the form has no such field
    target = field.target_field if field.is_relation else field
    values = value if isinstance(value, list) else [value]
    try:
        for item in values:
            target.get_prep_value(target.to_python(item))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


class InitialDataGuard:
    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        return {
            name: value
            for name, value in initial.items()
            if _acceptable(self.model, name, value)
        }


class ShopAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        guarded = type(base.__name__, (InitialDataGuard, base), {})
        guarded.__module__ = base.__module__
        return super().register(model_or_iterable, guarded, **options)


class ShopAdminConfig(AdminConfig):
    default_site = "shop.admin_site.ShopAdminSite"

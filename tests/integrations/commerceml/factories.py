"""The exchange user 1C signs in as: staff with the exchange permission."""

from django.contrib.auth.models import Permission

from tests.factories import StaffFactory

PASSWORD = "s3cret-pass!"  # the factories' password


def exchange_user(**kwargs):
    user = StaffFactory(**kwargs)
    user.user_permissions.add(Permission.objects.get(codename="exchange_commerceml"))
    return user

"""The `django.contrib.sites` record follows `SHOP_BASE_URL`.

Oscar's password-reset and other account e-mails build their links from the current
Site's domain; left alone it is Django's `example.com`. After every `migrate` (each
deploy runs it) the Site of `SITE_ID` takes the base URL's host (and port) and the
shop's name."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site


def site_domain(base_url: str) -> str:
    """`https://shop.example.ru/` → `shop.example.ru`; the port is kept."""
    return urlsplit(base_url).netloc or "localhost"


def site_sync(**kwargs) -> None:
    """A `post_migrate` receiver (connected in `shop.apps`)."""
    using = kwargs.get("using", "default")
    domain = site_domain(settings.SHOP_BASE_URL)
    name = settings.OSCAR_SHOP_NAME[:50]
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": name}
    )
    Site.objects.clear_cache()

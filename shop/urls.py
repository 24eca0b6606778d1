"""The URL map: Oscar under its prefixes, the cabinet, the API, three back offices, and
Wagtail for every other path (it must come last)."""

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from shop import i18n, seo, views
from shop.health import health_view, health_web_view
from shop.media import public_media

handler404 = "shop.views.page_not_found"
handler500 = "shop.views.server_error"

# Monitoring and the load balancer: anonymous; they say what failed, never why.
health_urls = [
    path("", health_view(), name="index"),
    path("web/", health_web_view(), name="web"),
]

urlpatterns = [
    # For search engines (`shop.seo`): absolute URLs on SHOP_BASE_URL.
    path("robots.txt", seo.robots_txt, name="robots"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap-section"),
    path("health/", include((health_urls, "health"))),
    # The header's EN/RU switch: on a Wagtail page it lands on its translation.
    path("i18n/setlang/", i18n.language_switch, name="set_language"),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    # Oscar's own order pages: reading is Oscar's, reorder goes to the cabinet.
    path("accounts/orders/<str:order_number>/", views.oscar_order_page),
    path("accounts/orders/<str:order_number>/<int:line_id>/", views.oscar_order_page),
    # Oscar's consumer pages: a company's member is sent to the cabinet page instead.
    path("accounts/orders/", views.oscar_consumer_page, {"section": "orders"}),
    re_path(
        r"^accounts/(?P<section>wishlists|alerts|profile)/", views.oscar_consumer_page
    ),
    path("cabinet/", include("cabinet.urls")),
    path("api/v1/", include("shop.api_urls")),
    # Any other address under /api/ (an id that is not a number, a version we do not
    # have): the API's JSON 404, in production and under DEBUG alike.
    re_path(r"^api/", views.api_not_found),
    path("payments/", include("invoicing.urls")),
    path("punchout/", include("sales.punchout.urls")),  # SAP OCI 4.0
    path("exchange/1c/", include("integrations.commerceml.urls")),  # 1C CommerceML
    path("leads/", include("content.urls")),
    path("downloads/", include("content.download_urls")),  # counted downloads
    # Our dashboard sections, before Oscar's own dashboard URLs.
    path("dashboard/companies/", include("accounts.dashboard_urls")),
    path("dashboard/catalog/", include("catalog.dashboard_urls")),
    path("dashboard/pricing/", include("catalog.pricing.dashboard_urls")),
    path("dashboard/invoicing/", include("invoicing.dashboard_urls")),
    path("dashboard/serials/", include("invoicing.serials_dashboard_urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
    path("", views.home, name="home"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SHOP_SERVE_MEDIA:
    # No web server in front (`make serve`): the public image folders only.
    media = settings.MEDIA_URL.strip("/")
    urlpatterns += [path(f"{media}/<path:path>", public_media, name="media")]

# Wagtail serves every other path: keep this last. One URL per language: English
# unprefixed, Russian under /ru/ (`shop.middleware.PageLocaleMiddleware` keeps every
# other page unprefixed, in the visitor's language).
urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)), prefix_default_language=False
)

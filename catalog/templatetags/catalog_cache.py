"""`{% catalog_fragment name [vary_on ...] %}...{% endcatalog_fragment %}`: a fragment
built only from the catalogue (the category menu, breadcrumbs), kept for
SHOP_PAGE_CACHE_SECONDS under the catalogue's version (`catalog.cache`), so a change
to products or categories shows at once. Nothing of the viewer's may go inside."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

from catalog.cache import catalog_cache_version

register = template.Library()


class CatalogFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        seconds = settings.SHOP_PAGE_CACHE_SECONDS
        if seconds <= 0:
            return self.nodelist.render(context)
        vary_on = [catalog_cache_version(), *(v.resolve(context) for v in self.vary_on)]
        key = make_template_fragment_key(self.name, vary_on)
        value = cache.get(key)
        if value is None:
            value = self.nodelist.render(context)
            cache.set(key, value, seconds)
        return value


@register.tag
def catalog_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("catalog_fragment needs a fragment name")
    nodelist = parser.parse(("endcatalog_fragment",))
    parser.delete_first_token()
    return CatalogFragmentNode(
        nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]]
    )

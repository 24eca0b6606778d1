"""The counted, optionally gated link of a download block (`content.downloads`)."""

from django import template

from content.downloads import download_url

register = template.Library()


@register.simple_tag(takes_context=True)
def counted_download_url(context, document, gated=False) -> str:
    return download_url(document=document, page=context.get("page"), gated=gated)

"""The site's Wagtail hooks: a page's visitor goes to its translation in their
language (`shop.i18n`)."""

from wagtail import hooks

from shop.i18n import page_language_redirect

hooks.register("before_serve_page", page_language_redirect)

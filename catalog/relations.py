"""Staff edits of a product's relations: analogues (through `catalog.analogues`),
substitutes and the successor. Refusals are `ValidationError`s saying why."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from catalog.analogues import analogue_link, analogue_unlink
from catalog.articles import article_normalize
from catalog.models import Lifecycle, Product, Substitute


class RelationAction(models.TextChoices):
    LINK = "link"
    UNLINK = "unlink"
    SUBSTITUTE = "substitute"
    REMOVE_SUBSTITUTE = "remove_substitute"
    SUCCESSOR = "successor"


# An empty article means "this product" (unlink) or "none" (successor).
_ARTICLE_OPTIONAL = {RelationAction.UNLINK, RelationAction.SUCCESSOR}


def related_product(*, product: Product, article: str) -> Product:
    """The other product of a relation, by its article (normalised)."""
    other = Product.objects.filter(
        article_normalized=article_normalize(article)
    ).first()
    if other is None:
        raise ValidationError(
            _("No product with article %(article)s.") % {"article": article}
        )
    if other.pk == product.pk:
        raise ValidationError(_("A product cannot be related to itself."))
    return other


def substitute_set(*, product: Product, substitute: Product, note: str = "") -> None:
    try:
        Substitute.objects.update_or_create(
            product=product, substitute=substitute, defaults={"note": note}
        )
    except IntegrityError:
        raise ValidationError(_("This substitute cannot be saved.")) from None


def substitute_remove(*, product: Product, substitute: Product) -> None:
    Substitute.objects.filter(product=product, substitute=substitute).delete()


def successor_set(*, product: Product, successor: Product | None) -> None:
    """A successor discontinues the product; clearing it leaves the lifecycle be."""
    product.successor = successor
    if successor is not None:
        product.lifecycle = Lifecycle.DISCONTINUED
    product.save(update_fields=["successor", "lifecycle"])


def product_relation_apply(
    *, product: Product, action: str, article: str = "", note: str = ""
) -> None:
    """One staff edit of the product's relations with the product of `article`."""
    action = RelationAction(action)
    if article:
        other = related_product(product=product, article=article)
    elif action in _ARTICLE_OPTIONAL:
        other = None
    else:
        raise ValidationError(_("Enter an article."))
    with transaction.atomic():
        if action == RelationAction.LINK:
            analogue_link(product=product, other=other)
        elif action == RelationAction.UNLINK:
            analogue_unlink(product=other or product)
        elif action == RelationAction.SUBSTITUTE:
            substitute_set(product=product, substitute=other, note=note)
        elif action == RelationAction.REMOVE_SUBSTITUTE:
            substitute_remove(product=product, substitute=other)
        else:
            successor_set(product=product, successor=other)

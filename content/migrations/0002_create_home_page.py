"""Replace Wagtail's default welcome page with our HomePage and point the Site at it."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("content.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    if HomePage.objects.exists():
        return
    # Wagtail's initial migration creates a plain Page at depth 2 with slug "home".
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="content")
    locale = Locale.objects.first()
    numchild = Page.objects.filter(depth=2).count()
    path = root.path + f"{numchild + 1:04d}"
    home = HomePage.objects.create(
        title="Industrial supplies for business",
        draft_title="Industrial supplies for business",
        slug="home",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=locale.pk if locale else None,
        headline="Bearings, fasteners, electrical and pneumatics at your contract price",
        lead=(
            "Find parts by article number, see your own wholesale price and stock, "
            "order on account and download documents any time."
        ),
        cta_label="Get your wholesale prices",
        cta_url="/accounts/register/",
        live=True,
        has_unpublished_changes=False,
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.pk, "site_name": "Shop"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]

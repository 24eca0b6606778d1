"""The page locales: English (Wagtail creates the default one from LANGUAGE_CODE) and
Russian, so each language has its own page tree; and Wagtail's Editors and
Moderators may use the "Translate" action (simple_translation's permission)."""

from django.db import migrations

LANGUAGES = ("en", "ru")
TRANSLATOR_GROUPS = ("Editors", "Moderators")


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def translation_permission_grant(apps, schema_editor):
    # Permissions are created after the last migration; this one is needed now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="simple_translation", model="simpletranslation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    for group in Group.objects.filter(name__in=TRANSLATOR_GROUPS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_lead_pipeline_events"),
        ("wagtailcore", "0054_initial_locale"),
        ("wagtailcore", "0002_initial_data"),
        ("simple_translation", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(locales_create, migrations.RunPython.noop),
        migrations.RunPython(translation_permission_grant, migrations.RunPython.noop),
    ]

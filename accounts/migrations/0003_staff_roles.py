"""Staff roles: the "Account managers" group and the permission that opens the
dashboard's order pages to it (see accounts/staff.py)."""

from django.db import migrations

from accounts.staff import staff_roles_remove, staff_roles_sync


def forwards(apps, schema_editor):
    staff_roles_sync(apps=apps)


def backwards(apps, schema_editor):
    staff_roles_remove(apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_addresses_api_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

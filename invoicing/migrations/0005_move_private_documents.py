"""Invoice and delivery-note PDFs leave MEDIA_ROOT for the private storage, under new
random names (`invoicing.storage.documents_move_to_private`; idempotent; a missing
file is rendered again on demand). Going back leaves the files where they are."""

from django.db import migrations

from invoicing.storage import documents_move_to_private


def move_documents(apps, schema_editor):
    for model_name, kind in (
        ("Invoice", "invoices"),
        ("DeliveryNote", "delivery-notes"),
    ):
        model = apps.get_model("invoicing", model_name)
        documents_move_to_private(model=model, kind=kind)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0004_private_documents")]

    operations = [
        migrations.RunPython(move_documents, migrations.RunPython.noop, elidable=True),
    ]

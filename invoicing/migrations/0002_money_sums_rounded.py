# The constraints that add money columns compare the sum rounded to the cent, so
# SQLite (which adds REALs) and PostgreSQL (which adds numerics) agree.

import django.db.models.expressions
import django.db.models.functions.math
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('invoicing', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='invoice',
            name='invoice_totals_add_up',
        ),
        migrations.RemoveConstraint(
            model_name='invoiceline',
            name='invoiceline_amounts_add_up',
        ),
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(('total_incl_vat', django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('total_excl_vat'), '+', models.F('total_vat')), 2))), name='invoice_totals_add_up'),
        ),
        migrations.AddConstraint(
            model_name='invoiceline',
            constraint=models.CheckConstraint(condition=models.Q(('amount_incl_vat', django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('amount_excl_vat'), '+', models.F('vat_amount')), 2))), name='invoiceline_amounts_add_up'),
        ),
    ]

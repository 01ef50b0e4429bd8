# Issue 13, part 3: the old approval columns go, now that 0006 has moved their data.
# Each column first gets a default, so that migrating back can add it to existing rows
# (0006's backward step then fills it in).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('policies', '0005_regulators'),
        ('therapies', '0006_regulators_as_data'),
    ]

    operations = [
        migrations.AlterField(
            model_name='approval',
            name='agency',
            field=models.CharField(default='', max_length=16, verbose_name='agency'),
        ),
        migrations.AlterField(
            model_name='approval',
            name='approval_type',
            field=models.CharField(blank=True, default='', max_length=32, verbose_name='approval type'),
        ),
        migrations.RemoveIndex(
            model_name='approval',
            name='approval_agency_date',
        ),
        migrations.RemoveField(
            model_name='approval',
            name='agency',
        ),
        migrations.RemoveField(
            model_name='approval',
            name='approval_type',
        ),
        migrations.RemoveField(
            model_name='approval',
            name='status',
        ),
        migrations.RemoveField(
            model_name='approval',
            name='withdrawn_on',
        ),
        migrations.RemoveField(
            model_name='approval',
            name='withdrawn_on_precision',
        ),
        migrations.AlterField(
            model_name='approval',
            name='regulator',
            field=models.ForeignKey(limit_choices_to={'is_regulator': True}, on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='policies.authority', verbose_name='regulator'),
        ),
        migrations.AlterField(
            model_name='approval',
            name='slug',
            field=models.SlugField(blank=True, help_text='Part of the API URL; made from the therapy, regulator, condition and year when left empty.', max_length=200, unique=True, verbose_name='slug'),
        ),
    ]

# An approval whose decision date no stored source gives keeps the date empty (and says so
# in its internal note); undated decisions sort last on every database.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('therapies', '0008_roles_edit_events_and_names'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='approval',
            options={'ordering': [models.OrderBy(models.F('decided_on'), nulls_last=True), 'id'], 'verbose_name': 'approval', 'verbose_name_plural': 'approvals'},
        ),
        migrations.AlterField(
            model_name='approval',
            name='decided_on',
            field=models.DateField(blank=True, help_text='Left empty when no source confirms it; say so in the internal note.', null=True, verbose_name='decision date'),
        ),
    ]

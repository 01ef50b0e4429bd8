# Indexes for the API's `ordering=title` (in either language), `ordering=effective_on` and
# `ordering=updated_at`, each followed by the id (portal.filtersets.StableOrderingFilter), so
# no page of 100 000 policies sorts the table. The default order has its own (0003).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('policies', '0003_list_order_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='policydocument',
            index=models.Index(fields=['title_en', 'id'], name='policy_title_order'),
        ),
        migrations.AddIndex(
            model_name='policydocument',
            index=models.Index(fields=['title_zh_hans', 'id'], name='policy_title_order_zh'),
        ),
        migrations.AddIndex(
            model_name='policydocument',
            index=models.Index(fields=['effective_on', 'id'], name='policy_effective_order'),
        ),
        migrations.AddIndex(
            model_name='policydocument',
            index=models.Index(fields=['updated_at', 'id'], name='policy_updated_order'),
        ),
    ]

# Schema of issue 13, part 1: new fields and models beside the old approval columns, which
# 0006 migrates from and 0007 removes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('policies', '0005_regulators'),
        ('portal', '0006_reference_kind_internal_note'),
        ('therapies', '0004_ordering_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApprovalEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('granted', 'Granted'), ('indication_extended', 'Indication extended'), ('indication_narrowed', 'Indication narrowed'), ('converted_to_standard', 'Converted to standard approval'), ('renewed', 'Renewed'), ('boxed_warning_added', 'Boxed warning added'), ('boxed_warning_changed', 'Boxed warning changed'), ('rems_added', 'REMS required'), ('rems_removed', 'REMS removed'), ('risk_management_plan', 'Risk management plan'), ('additional_monitoring', 'Additional monitoring'), ('suspended', 'Suspended'), ('reinstated', 'Reinstated'), ('expired', 'Expired'), ('lapsed', 'Lapsed (conditional period ended without full approval)'), ('withdrawn', "Withdrawn at the holder's request"), ('revoked', 'Revoked'), ('discontinued', 'Marketing discontinued')], max_length=32, verbose_name='kind')),
                ('date', models.DateField(verbose_name='date')),
                ('date_precision', models.CharField(choices=[('day', 'Day'), ('month', 'Month'), ('quarter', 'Quarter'), ('year', 'Year')], default='day', max_length=8, verbose_name='date precision')),
                ('details', models.TextField(blank=True, help_text='What changed, for the reader.', verbose_name='details')),
                ('details_en', models.TextField(blank=True, help_text='What changed, for the reader.', null=True, verbose_name='details')),
                ('details_zh_hans', models.TextField(blank=True, help_text='What changed, for the reader.', null=True, verbose_name='details')),
                ('position', models.PositiveSmallIntegerField(default=0, help_text='Order among same-day events.', verbose_name='position')),
            ],
            options={
                'verbose_name': 'approval event',
                'verbose_name_plural': 'approval events',
                'ordering': ['date', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='TherapyName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('kind', models.CharField(choices=[('former', 'Former name'), ('code', 'Development code'), ('other', 'Other name')], default='code', max_length=8, verbose_name='kind')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
            ],
            options={
                'verbose_name': 'other name',
                'verbose_name_plural': 'other names',
                'ordering': ['position', 'id'],
            },
        ),
        migrations.RenameField(
            model_name='approval',
            old_name='indication',
            new_name='condition',
        ),
        migrations.AlterField(
            model_name='approval',
            name='condition',
            field=models.ForeignKey(blank=True, help_text='The condition of the indication. Without one, the approval counts on no condition page.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='therapies.condition', verbose_name='condition'),
        ),
        migrations.AddField(
            model_name='approval',
            name='internal_note',
            field=models.TextField(blank=True, default='', help_text='For editors only.', verbose_name='internal note'),
        ),
        migrations.AddField(
            model_name='approval',
            name='pathway',
            field=models.CharField(blank=True, choices=[('standard', 'Standard (full) approval'), ('accelerated', 'Accelerated approval'), ('conditional', 'Conditional approval'), ('conditional_time_limited', 'Conditional and time-limited approval'), ('exceptional_circumstances', 'Approval under exceptional circumstances'), ('noc_with_conditions', 'Notice of compliance with conditions'), ('priority_review', 'Priority review approval'), ('restricted', 'Limited or restricted approval')], default='', max_length=32, verbose_name='pathway'),
        ),
        migrations.AddField(
            model_name='approval',
            name='regulator',
            field=models.ForeignKey(limit_choices_to={'is_regulator': True}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='approvals', to='policies.authority', verbose_name='regulator'),
        ),
        migrations.AddField(
            model_name='approval',
            name='slug',
            field=models.SlugField(blank=True, default='', help_text='Part of the API URL; made from the therapy, regulator, condition and year when left empty.', max_length=200, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='condition',
            name='internal_note',
            field=models.TextField(blank=True, default='', help_text='For editors only: what is unverified or disputed. Never shown to the public.', verbose_name='internal note'),
        ),
        migrations.AddField(
            model_name='condition',
            name='last_reviewed_on',
            field=models.DateField(blank=True, help_text='The day an editor last checked this item against its sources; shown on its page.', null=True, verbose_name='facts checked on'),
        ),
        migrations.AddField(
            model_name='condition',
            name='parent',
            field=models.ForeignKey(blank=True, help_text='The condition this one is a kind of. Approvals here count on its page too.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='therapies.condition', verbose_name='broader condition'),
        ),
        migrations.AddField(
            model_name='mechanism',
            name='internal_note',
            field=models.TextField(blank=True, default='', help_text='For editors only: what is unverified or disputed. Never shown to the public.', verbose_name='internal note'),
        ),
        migrations.AddField(
            model_name='mechanism',
            name='last_reviewed_on',
            field=models.DateField(blank=True, help_text='The day an editor last checked this item against its sources; shown on its page.', null=True, verbose_name='facts checked on'),
        ),
        migrations.AddField(
            model_name='molecule',
            name='internal_note',
            field=models.TextField(blank=True, default='', help_text='For editors only: what is unverified or disputed. Never shown to the public.', verbose_name='internal note'),
        ),
        migrations.AddField(
            model_name='molecule',
            name='last_reviewed_on',
            field=models.DateField(blank=True, help_text='The day an editor last checked this item against its sources; shown on its page.', null=True, verbose_name='facts checked on'),
        ),
        migrations.AddField(
            model_name='therapy',
            name='generic_name_en',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='generic name (INN)'),
        ),
        migrations.AddField(
            model_name='therapy',
            name='generic_name_zh_hans',
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name='generic name (INN)'),
        ),
        migrations.AddField(
            model_name='therapy',
            name='internal_note',
            field=models.TextField(blank=True, default='', help_text='For editors only: what is unverified or disputed. Never shown to the public.', verbose_name='internal note'),
        ),
        migrations.AddField(
            model_name='therapycategory',
            name='internal_note',
            field=models.TextField(blank=True, default='', help_text='For editors only: what is unverified or disputed. Never shown to the public.', verbose_name='internal note'),
        ),
        migrations.AddField(
            model_name='therapycategory',
            name='last_reviewed_on',
            field=models.DateField(blank=True, help_text='The day an editor last checked this item against its sources; shown on its page.', null=True, verbose_name='facts checked on'),
        ),
        migrations.AddField(
            model_name='therapymechanism',
            name='molecules',
            field=models.ManyToManyField(blank=True, related_name='therapy_mechanism_links', to='therapies.molecule', verbose_name='molecules of this product'),
        ),
        migrations.AlterField(
            model_name='approval',
            name='indication_text',
            field=models.TextField(blank=True, help_text="The label's words: population, line of therapy, restrictions.", verbose_name='indication as approved'),
        ),
        migrations.AlterField(
            model_name='approval',
            name='indication_text_en',
            field=models.TextField(blank=True, help_text="The label's words: population, line of therapy, restrictions.", null=True, verbose_name='indication as approved'),
        ),
        migrations.AlterField(
            model_name='approval',
            name='indication_text_zh_hans',
            field=models.TextField(blank=True, help_text="The label's words: population, line of therapy, restrictions.", null=True, verbose_name='indication as approved'),
        ),
        migrations.AlterField(
            model_name='approval',
            name='reference',
            field=models.ForeignKey(blank=True, help_text="The regulator's own record where there is one.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.reference', verbose_name='reference'),
        ),
        migrations.AlterField(
            model_name='therapy',
            name='last_reviewed_on',
            field=models.DateField(blank=True, help_text='The day an editor last checked this item against its sources; shown on its page.', null=True, verbose_name='facts checked on'),
        ),
        migrations.AlterField(
            model_name='therapy',
            name='stage',
            field=models.CharField(blank=True, choices=[('preclinical', 'Preclinical'), ('phase_1', 'Phase 1'), ('phase_2', 'Phase 2'), ('phase_3', 'Phase 3'), ('under_review', 'Under regulatory review'), ('approved', 'Approved'), ('withdrawn', 'No longer approved')], help_text='Set from the approvals where the product has any (approved while one is active).', max_length=16, verbose_name='development stage'),
        ),
        migrations.AddIndex(
            model_name='approval',
            index=models.Index(fields=['regulator', 'decided_on'], name='approval_regulator_date'),
        ),
        migrations.AddField(
            model_name='approvalevent',
            name='approval',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='therapies.approval'),
        ),
        migrations.AddField(
            model_name='approvalevent',
            name='reference',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.reference', verbose_name='reference'),
        ),
        migrations.AddField(
            model_name='therapyname',
            name='therapy',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='other_names', to='therapies.therapy'),
        ),
        migrations.AddConstraint(
            model_name='therapyname',
            constraint=models.UniqueConstraint(fields=('therapy', 'name'), name='unique_therapy_name', violation_error_message='This name is already listed for the therapy.'),
        ),
    ]

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0006_field_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionslot",
            name="sequence",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="calendar revision"),
        ),
        migrations.AddField(
            model_name="sessionslot",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name="updated at"),
            preserve_default=False,
        ),
    ]

"""A login key is unique: a look-alike of an existing login is taken, on every database."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("lms", "0005_login_keys_filled"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="login_key",
            field=models.CharField(editable=False, max_length=150, unique=True),
        ),
    ]

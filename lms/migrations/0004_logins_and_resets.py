"""Logins get a key column (filled in 0005, unique from 0006: on PostgreSQL an index cannot
be built in the transaction that wrote the rows), and password resets are logged."""

import django.db.models.deletion
import lms.logins
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lms', '0003_access'),
    ]

    operations = [
        migrations.AlterModelManagers(
            name='user',
            managers=[
            ],
        ),
        migrations.AddField(
            model_name='user',
            name='login_key',
            field=models.CharField(editable=False, max_length=150, null=True),
        ),
        migrations.AlterField(
            model_name='user',
            name='username',
            field=models.CharField(error_messages={'unique': 'This login is already taken.'}, help_text='Latin or Cyrillic letters (not both), digits and @ . + - _', max_length=150, unique=True, validators=[lms.logins.LoginValidator()], verbose_name='login'),
        ),
        migrations.CreateModel(
            name='PasswordReset',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reset_at', models.DateTimeField(auto_now_add=True, verbose_name='when')),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='lms.studygroup', verbose_name='from the page of the group')),
                ('reset_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reset by')),
                ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='lms.school', verbose_name='school')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='password_resets', to=settings.AUTH_USER_MODEL, verbose_name='account')),
            ],
            options={
                'verbose_name': 'password reset',
                'verbose_name_plural': 'password resets',
                'ordering': ['-reset_at', '-pk'],
                'indexes': [models.Index(fields=['school', '-reset_at'], name='lms_passwor_school__f9fc5e_idx')],
            },
        ),
    ]

"""Every existing login normalised (NFKC) and given its key (lms.logins)."""

from django.db import migrations


def fill_login_keys(apps, schema_editor):
    """Normalise every login and store its key. Two existing logins with one key (an old
    "Ivanov" beside "ivanov") cannot both keep it: the later account's key gets its id, so it
    still signs in with its exact login and nothing is lost; the admin can rename it."""
    from lms.logins import login_key, normalise_login

    User = apps.get_model("lms", "User")
    seen = set()
    for user in User.objects.order_by("pk").only("pk", "username"):
        username = normalise_login(user.username)
        key = login_key(username)
        if key in seen or User.objects.filter(username=username).exclude(pk=user.pk).exists():
            key, username = f"{key}#{user.pk}", user.username
        seen.add(key)
        User.objects.filter(pk=user.pk).update(username=username, login_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ("lms", "0004_logins_and_resets"),
    ]

    operations = [
        migrations.RunPython(fill_login_keys, migrations.RunPython.noop),
    ]

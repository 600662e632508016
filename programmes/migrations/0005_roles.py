"""The roles (groups and their permissions) of `programmes.roles`, so that an installation
has them after `migrate`. Permissions are normally created after all migrations have run;
they are created here first so the groups can hold them on a fresh database."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from programmes import roles

    create_permissions(
        global_apps.get_app_config("programmes"),
        verbosity=0,
        using=schema_editor.connection.alias,
        apps=apps,
    )
    # Models added later (ProgrammeTargetValue, 0011) are granted by their own migration.
    roles.ensure_roles(apps=apps, missing_ok=True)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0004_narratives_as_plain_text"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

"""Managers maintain the programme-level realisation of their targets (ProgrammeTargetValue,
0011) in the admin: the role groups of `programmes.roles` get its permissions."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def update_roles(apps, schema_editor):
    from programmes import roles

    create_permissions(
        global_apps.get_app_config("programmes"),
        verbosity=0,
        using=schema_editor.connection.alias,
        apps=apps,
    )
    roles.ensure_roles(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0011_programme_target_values")]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]

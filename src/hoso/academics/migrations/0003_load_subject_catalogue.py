from django.db import migrations


def load(apps, schema_editor):
    from hoso.academics.services import subjects_sync_from_catalogue

    subjects_sync_from_catalogue(model=apps.get_model("academics", "Subject"))


class Migration(migrations.Migration):
    dependencies = [("academics", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

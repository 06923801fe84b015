from django.db import migrations

from hoso.audit.append_only import make_append_only_operation


class Migration(migrations.Migration):
    """Mark revisions are append-only on PostgreSQL, like the audit events (issue 6)."""

    dependencies = [("assessment", "0001_initial"), ("audit", "0002_append_only")]
    operations = [make_append_only_operation("assessment_markrevision")]

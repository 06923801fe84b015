"""On PostgreSQL, refuse UPDATE and DELETE on the audit events (architecture.md, Integrity)."""

from django.db import migrations

from hoso.audit.append_only import make_append_only_operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [make_append_only_operation("audit_auditevent")]

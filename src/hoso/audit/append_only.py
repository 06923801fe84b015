"""Append-only tables on PostgreSQL: a trigger refuses every UPDATE and DELETE.

Used by the audit events table (migration 0002) and by any app with a table of its own that must
never change once written (the mark revisions of the assessment app)::

    from hoso.audit.append_only import make_append_only_operation

    class Migration(migrations.Migration):
        dependencies = [("assessment", "0001_initial"), ("audit", "0002_append_only")]
        operations = [make_append_only_operation("assessment_markrevision")]

On other databases (SQLite, the embedded demo) the operation does nothing: the hash chain and
``audit_verify`` are the protection there. What the trigger does not stop: a database superuser
or the table's owner can ``ALTER TABLE … DISABLE TRIGGER``, and ``TRUNCATE`` fires no row trigger
(tests flush tables with it). The hash chain is what detects those (docs/audit.md).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TRIGGER_FUNCTION = "hoso_refuse_change"
TRIGGER_NAME = "hoso_append_only"
# ERRCODE restrict_violation (SQLSTATE 23001): Django raises it as IntegrityError.
CREATE_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Bảng % chỉ được ghi thêm: không được sửa hoặc xóa dòng đã ghi (%).',
        TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
"""


def _quote(schema_editor: Any, name: str) -> str:
    return str(schema_editor.quote_name(name))


def _create_trigger_sql(schema_editor: Any, table_name: str) -> list[str]:
    table = _quote(schema_editor, table_name)
    return [
        CREATE_FUNCTION_SQL,
        f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {table};",
        f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}();",
    ]


def make_append_only_operation(table_name: str) -> migrations.RunPython:
    """A migration operation that makes ``table_name`` append-only on PostgreSQL (reversible)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in _create_trigger_sql(schema_editor, table_name):
            # params=None: the SQL holds literal % signs (RAISE format), not placeholders.
            schema_editor.execute(statement, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = _quote(schema_editor, table_name)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {table};", params=None)

    return migrations.RunPython(forwards, backwards, elidable=False)

"""Database triggers that refuse UPDATE (both databases) and DELETE (PostgreSQL) of change records.

SQLite keeps DELETE possible only because Django's test flush empties tables with DELETE; the model and
queryset refuse deletes on both databases.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION core_changerecord_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_changerecord is append-only: history cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_changerecord_no_update BEFORE UPDATE ON core_changerecord
    FOR EACH ROW EXECUTE FUNCTION core_changerecord_refuse();
CREATE TRIGGER core_changerecord_no_delete BEFORE DELETE ON core_changerecord
    FOR EACH ROW EXECUTE FUNCTION core_changerecord_refuse();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS core_changerecord_no_update ON core_changerecord;
DROP TRIGGER IF EXISTS core_changerecord_no_delete ON core_changerecord;
DROP FUNCTION IF EXISTS core_changerecord_refuse();
"""
SQLITE_FORWARD = """
CREATE TRIGGER core_changerecord_no_update BEFORE UPDATE ON core_changerecord
BEGIN
    SELECT RAISE(ABORT, 'core_changerecord is append-only: history cannot be changed');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_changerecord_no_update;"


def forward(apps, schema_editor):
    sql = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    sql = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

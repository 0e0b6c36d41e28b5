"""Search indexes on the stored normalised name, per database.

PostgreSQL: btree with text_pattern_ops serves prefix search (LIKE 'x%'), a pg_trgm GIN index serves
substring search (LIKE '%x%'); card number and citizen ID get pattern indexes for prefix search.
SQLite: a plain index on the normalised name.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS members_name_search_prefix ON members_member (name_search text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS members_name_search_trgm ON members_member USING gin (name_search gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS members_card_prefix ON members_member (card_number text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS members_citizen_prefix ON members_member (citizen_id text_pattern_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS members_name_search_prefix",
    "DROP INDEX IF EXISTS members_name_search_trgm",
    "DROP INDEX IF EXISTS members_card_prefix",
    "DROP INDEX IF EXISTS members_citizen_prefix",
]
SQLITE = ["CREATE INDEX IF NOT EXISTS members_name_search_prefix ON members_member (name_search)"]
SQLITE_REVERSE = ["DROP INDEX IF EXISTS members_name_search_prefix"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]

"""On PostgreSQL the audit trail refuses UPDATE and DELETE at the database itself, whoever asks.
(SQLite, the embedded demo database, relies on the hash chain alone.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION grants_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS grants_auditevent_append_only ON grants_auditevent;
CREATE TRIGGER grants_auditevent_append_only BEFORE UPDATE OR DELETE ON grants_auditevent
    FOR EACH ROW EXECUTE FUNCTION grants_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS grants_auditevent_append_only ON grants_auditevent;
DROP FUNCTION IF EXISTS grants_auditevent_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: "%" is plpgsql's own

    return run


class Migration(migrations.Migration):
    dependencies = [("grants", "0008_audit_hash_required")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]

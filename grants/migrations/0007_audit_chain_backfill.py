"""Link the events recorded so far into their funds' hash chains. The hashing is copied from
grants/audit_chain.py as it stands today, because a migration must not import app code."""

import hashlib
import json

from django.db import migrations

GENESIS = "0" * 64


def event_hash(previous, event):
    content = {
        "actor": event.actor_id,
        "at": event.at.isoformat(),
        "action": event.action,
        "application": event.application_id,
        "fund": event.fund_id,
        "object": [event.object_type, event.object_id],
        "before": event.before,
        "after": event.after,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}:{canonical}".encode()).hexdigest()


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("grants", "AuditEvent")
    AuditChain = apps.get_model("grants", "AuditChain")
    heads = {}
    for event in AuditEvent.objects.select_related("application").order_by("pk").iterator():
        if event.application_id:
            event.fund_id = event.application.fund_id
        key = f"fund:{event.fund_id}" if event.fund_id else "installation"
        event.previous_hash = heads.get(key, GENESIS)
        event.hash = event_hash(event.previous_hash, event)
        heads[key] = event.hash
        event.save(update_fields=["fund", "previous_hash", "hash"])
    for key, last_hash in heads.items():
        AuditChain.objects.update_or_create(key=key, defaults={"last_hash": last_hash})


class Migration(migrations.Migration):
    dependencies = [("grants", "0006_audit_hash_chain")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Exports as ZIP files: an application's whole file for the public archive, and everything
stored about one person (a data-subject access request, Art. 15 DSGVO). Reads only."""

import csv
import hashlib
import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from .models import Application, AuditEvent, ReceiptLine


def _json(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _rows(model_objects) -> list[dict]:
    return [model_to_dict(obj) for obj in model_objects]


def _audit_csv(events) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "actor", "action", "object", "before", "after", "hash"])
    for event in events:
        writer.writerow([event.at.isoformat(), event.actor_id, event.action, f"{event.object_type}:{event.object_id}",
                         json.dumps(event.before, ensure_ascii=False), json.dumps(event.after, ensure_ascii=False),
                         event.hash])  # fmt: skip
    return out.getvalue().encode()


def _file_entries(application: Application, prefix: str = "") -> dict[str, bytes]:
    data = {
        "application": model_to_dict(application, exclude=["aims"])
        | {"aims": [str(a) for a in application.aims.all()]},
        "organisation": model_to_dict(application.organisation, exclude=["members"]),
        "cost_lines": _rows(application.cost_lines.all()),
        "revision_requests": _rows(application.revision_requests.all()),
        "recommendations": _rows(application.recommendations.all()),
        "decisions": _rows(application.decisions.all()),
        "payouts": _rows(application.payouts.all()),
        "report": model_to_dict(application.report) if hasattr(application, "report") else None,
        "receipt_lines": _rows(ReceiptLine.objects.filter(report__application=application)),
    }
    entries = {f"{prefix}file.json": _json(data)}
    entries[f"{prefix}audit.csv"] = _audit_csv(application.audit_events.order_by("pk"))
    for document in application.documents.exclude(file=""):
        with document.file.open("rb") as pdf:
            entries[f"{prefix}letters/{document.created:%Y-%m-%d}-{document.kind}-{document.pk}.pdf"] = pdf.read()
    for attachment in application.attachments.exclude(file=""):
        with attachment.file.open("rb") as upload:
            entries[f"{prefix}attachments/{attachment.pk}-{attachment.kind}-{attachment.original_name}"] = upload.read()
    return entries


def _zip(entries: dict[str, bytes]) -> bytes:
    manifest = {name: hashlib.sha256(content).hexdigest() for name, content in entries.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
        archive.writestr("manifest.json", _json({"sha256": manifest}))
    return buffer.getvalue()


def file_archive(application: Application) -> bytes:
    """The whole file: data, audit trail, letters (PDF/A) and uploads, with a manifest of SHA-256 sums."""
    return _zip(_file_entries(application))


def personal_data_archive(user) -> bytes:
    """Everything stored about a person: the account, the organisations and their files, the
    e-mails sent to the person and what the person did (the audit trail)."""
    from notifications.models import Notification

    account = model_to_dict(user, fields=["email", "first_name", "last_name", "date_joined", "last_login"])
    account["roles"] = [f"{role.fund}: {role.get_role_display()}" for role in user.fund_roles.select_related("fund")]
    account["organisations"] = [organisation.name for organisation in user.organisations.all()]
    entries = {"account.json": _json(account)}
    for application in Application.objects.filter(organisation__members=user).select_related("organisation"):
        name = application.reference or f"draft-{application.pk}"
        entries.update(_file_entries(application, prefix=f"applications/{name}/"))
    mails = Notification.objects.filter(email=user.email).values("created", "template", "status", "sent_at")
    entries["emails.json"] = _json(list(mails))
    entries["my-actions.csv"] = _audit_csv(AuditEvent.objects.filter(actor=user).order_by("pk"))
    return _zip(entries)

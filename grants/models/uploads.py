"""Files an applicant uploads: quotes, statutes, proof of charitable status, receipts, photos.
Stored under a random name in the media store (never served directly), read only through
grants.views.attachments, which checks who asks."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application


def upload_path(instance, filename) -> str:
    return f"uploads/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", _("quote")
        STATUTES = "statutes", _("statutes")
        CHARITABLE = "charitable", _("proof of charitable status")
        RECEIPT = "receipt", _("receipt")
        PHOTO = "photo", _("photo for the report")
        OTHER = "other", _("other document")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind of document"), max_length=12, choices=Kind.choices)
    file = models.FileField(upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

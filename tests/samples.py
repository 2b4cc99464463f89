"""Real files for upload tests, made on the spot: a plain PDF, PDFs with JavaScript or an embedded
file, a PNG, a JPEG, and an executable (this machine's own /bin/true) renamed .pdf."""

import io
import shutil

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf_bytes(*, javascript=False, embedded=False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    if javascript:
        action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
        pdf.Root.OpenAction = action
    if embedded:
        spec = pikepdf.AttachedFileSpec(pdf, b"secret payload", filename="payload.txt")
        pdf.attachments["payload.txt"] = spec
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def image_bytes(kind="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, kind)
    return out.getvalue()


def executable_bytes() -> bytes:
    with open(shutil.which("true"), "rb") as binary:
        return binary.read()


def upload(name: str, data: bytes, content_type="application/pdf") -> SimpleUploadedFile:
    """As a browser sends it: the name and type the client claims, whatever the content is."""
    return SimpleUploadedFile(name, data, content_type=content_type)

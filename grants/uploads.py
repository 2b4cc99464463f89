"""What an upload must be before it is stored: a PDF, JPEG or PNG recognised by its content (not
its name), no larger than UPLOAD_MAX_BYTES, and a PDF without JavaScript or embedded files.
The checks are pure functions over the bytes; grants.services.attachments stores what passes."""

import io

import pikepdf
import puremagic
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .templatetags.money import format_megabytes

ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# Names in a PDF that run code or carry files inside it.
ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/Launch", "/RichMedia", "/XFA"}


def detect_type(data: bytes) -> str | None:
    """The MIME type the content says it is, or None for anything unknown."""
    try:
        return puremagic.from_string(data[:4096], mime=True) or None
    except puremagic.PureError:
        return None


def upload_problem(*, data: bytes, size: int) -> tuple[str | None, str | None]:
    """(None, content type) for a file that may be stored, else (the reason in the applicant's words, None)."""
    if size > settings.UPLOAD_MAX_BYTES:
        limit = format_megabytes(settings.UPLOAD_MAX_BYTES)
        message = _("The file is larger than %(limit)s. Please make it smaller (for example as a scan in lower "
                    "resolution) and upload it again.")  # fmt: skip
        return message % {"limit": limit}, None
    if size == 0:
        return _("The file is empty."), None
    content_type = detect_type(data)
    if content_type not in ALLOWED:
        return _(
            "Only PDF, JPEG and PNG files can be uploaded. This file is none of them, whatever its name says."
        ), None
    problem = _pdf_problem(data) if content_type == "application/pdf" else _image_problem(data)
    return (problem, None) if problem else (None, content_type)


def _pdf_problem(data: bytes) -> str | None:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if any(_contains_active(obj) for obj in pdf.objects):
                return _("The PDF contains JavaScript or embedded files, which we do not accept. Please save "
                             "or print it as a plain PDF and upload it again.")  # fmt: skip
    except pikepdf.PasswordError:
        return _("The PDF is protected by a password. Please upload it without the protection.")
    except pikepdf.PdfError:
        return _("The PDF is damaged and cannot be read.")
    return None


def _contains_active(obj, depth=0) -> bool:
    """Whether an object, or a dictionary written directly inside it, runs code or carries a file.
    Indirect objects are visited on their own by the caller, so cycles cannot arise here."""
    if depth > 50:
        return True  # nesting this deep is no honest document
    if isinstance(obj, pikepdf.Stream):
        return _is_active(obj.stream_dict)
    if isinstance(obj, pikepdf.Dictionary):
        if _is_active(obj):
            return True
        children = obj.values()
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return False
    return any(_contains_active(child, depth + 1) for child in children if not getattr(child, "is_indirect", True))


def _is_active(obj: pikepdf.Dictionary) -> bool:
    keys = set(obj.keys())
    if keys & ACTIVE_PDF_KEYS:
        return True
    return (
        obj.get("/Type") == "/EmbeddedFile"
        or obj.get("/Subtype") == "/FileAttachment"
        or (obj.get("/S") in ("/JavaScript", "/Launch"))
    )


def _image_problem(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        return _("The image is damaged and cannot be read.")
    return None

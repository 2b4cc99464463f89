"""The demo (`make run` runs seed_demo): moved through the real flow and services, it leaves at least
one letter of every kind under the media directory, so that a tester can look at each."""

import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from grants.models import Document


def test_the_demo_files_a_readable_pdf_of_every_letter_kind(db, capsys):
    call_command("seed_demo")
    assert "Demo data created." in capsys.readouterr().out
    for kind, label in Document.KINDS:
        document = Document.objects.filter(kind=kind).select_related("application", "meeting").first()
        assert document is not None, f"the demo has no {label}"
        path = Path(document.file.path)
        assert path.is_relative_to(settings.MEDIA_ROOT) and path.is_file(), path
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)
        assert "Harburg" in text, kind
        meeting = document.meeting
        assert (document.application.reference if document.application_id else f"{meeting.date:%d.%m.%Y}") in text, kind

    call_command("seed_demo")
    assert "Demo data exists already." in capsys.readouterr().out

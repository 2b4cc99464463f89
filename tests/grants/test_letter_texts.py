"""A fund admin edits the letters' variable texts in the admin, previews a grant decision with them,
and the next letter uses them; the legal skeleton and the dates stay as the templates have them."""

import io

from pypdf import PdfReader

from grants import letters
from grants.models import Document, LetterTexts
from notifications.pdf import render_pdf
from tests import journey
from tests.factories import UserFactory

from .test_letter_types import rejection


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_admin_edits_the_texts_previews_them_and_letters_use_them(fund, application, people, club):
    admin = journey.login(UserFactory(is_staff=True, is_superuser=True))
    response = admin.post("/admin/grants/lettertexts/add/", {
        "fund": fund.pk, "greeting": "Liebe Engagierte,", "closing": "Herzliche Grüße aus Harburg",
        "rules": "Es gilt die Förderrichtlinie Verfügungsfonds Harburg 2026.",
        "remedy": "Widerspruch ist beim Bezirksamt Harburg, Harburger Rathausplatz 4, einzulegen.",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    texts = LetterTexts.objects.get(fund=fund)
    assert (
        f"/lettertexts/{texts.pk}/preview/"
        in admin.get(f"/admin/grants/lettertexts/{texts.pk}/change/").content.decode()
    )

    preview = admin.get(f"/admin/grants/lettertexts/{texts.pk}/preview/")
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    for words in ("Liebe Engagierte,", "Herzliche Grüße aus Harburg", "Förderrichtlinie Verfügungsfonds Harburg 2026",
                  "Harburger Rathausplatz 4", "Widerspruchsfrist endet"):  # fmt: skip
        assert words in text, words
    assert "Sehr geehrte Damen und Herren" not in text

    kind = letters.TYPES[Document.REJECTION]
    letter = pdf_text(render_pdf(kind.template, rejection(application, people, club), parts=kind.parts))
    assert "Liebe Engagierte," in letter and "Harburger Rathausplatz 4" in letter and "Widerspruchsfrist" in letter


def test_without_edited_texts_the_standard_ones_are_printed(fund, application, people, club):
    kind = letters.TYPES[Document.REJECTION]
    letter = pdf_text(render_pdf(kind.template, rejection(application, people, club), parts=kind.parts))
    assert "Sehr geehrte Damen und Herren," in letter and "Mit freundlichen Grüßen" in letter
    assert fund.objection_address.split()[0] in letter


def test_only_staff_reach_the_preview(fund, club):
    texts = LetterTexts.objects.create(fund=fund)
    response = journey.login(club[1]).get(f"/admin/grants/lettertexts/{texts.pk}/preview/")
    assert response.status_code == 302 and "/login/" in response["Location"]

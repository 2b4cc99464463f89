"""Uploads: recognised by content, size-limited, active PDFs refused, stored under a random name
outside anything served, and given only to the organisation's members and the fund's office."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from grants import roles, services
from grants.models import Attachment, AuditEvent
from tests.factories import FundRoleFactory, OrganisationFactory, UserFactory
from tests.samples import executable_bytes, image_bytes, pdf_bytes, upload


def add(application, user, name, data, kind="quote"):
    return services.attachment_add(application=application, actor=user, kind=kind, upload=upload(name, data))


def test_a_pdf_jpeg_and_png_are_stored_under_a_random_name(application, club, settings):
    user = club[1]
    for name, data, expected in (("Angebot.pdf", pdf_bytes(), "application/pdf"),
                                 ("foto.jpg", image_bytes("JPEG"), "image/jpeg"),
                                 ("plan.png", image_bytes("PNG"), "image/png")):  # fmt: skip
        attachment = add(application, user, name, data)
        assert attachment.content_type == expected and attachment.original_name == name
        assert name.rsplit(".", 1)[0] not in attachment.file.name  # a random name, not the applicant's
        assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
        assert attachment.file.read() == data


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("angebot.pdf", executable_bytes, "Nur PDF-, JPEG- und PNG-Dateien"),
        ("angebot.pdf", lambda: pdf_bytes(javascript=True), "JavaScript oder eingebettete Dateien"),
        ("angebot.pdf", lambda: pdf_bytes(embedded=True), "JavaScript oder eingebettete Dateien"),
        ("angebot.pdf", lambda: b"%PDF-1.7\n" + b"kaputt" * 20, "beschädigt"),
        ("bild.png", lambda: image_bytes("PNG")[:40], "beschädigt"),
        ("leer.pdf", lambda: b"", "leer"),
    ],
)
def test_what_is_not_a_clean_pdf_or_image_is_refused_and_nothing_stored(application, club, name, make, message):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        add(application, club[1], name, make())
    assert message in " ".join(refused.value.messages)
    assert not Attachment.objects.exists() and AuditEvent.objects.count() == events


def test_a_file_over_the_configured_limit_is_refused(application, club, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="größer als"):
        add(application, club[1], "gross.pdf", pdf_bytes() + b" " * 1000)
    assert not Attachment.objects.exists()


def test_only_members_and_the_funds_office_download_and_everyone_else_gets_404(application, club, fund):
    attachment = add(application, club[1], "angebot.pdf", pdf_bytes())
    office = FundRoleFactory(fund=fund, role=roles.OFFICE).user
    other_org = OrganisationFactory(members=[UserFactory()]).members.first()
    other_office = FundRoleFactory(role=roles.OFFICE).user
    for user, status in ((club[1], 200), (office, 200), (other_org, 404), (other_office, 404)):
        client = Client()
        client.force_login(user)
        response = client.get(f"/anlagen/{attachment.pk}/")
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
            assert response["Content-Type"] == "application/pdf"
    client = Client()
    client.force_login(other_org)
    assert client.get(f"/anlagen/{attachment.pk + 1000}/").status_code == 404  # the same answer
    assert Client().get(f"/anlagen/{attachment.pk}/").status_code == 302  # to the sign-in


def test_the_upload_page_shows_the_refusal_at_the_field(application, club):
    client = Client()
    client.force_login(club[1])
    response = client.post(f"/antraege/{application.pk}/anlagen/",
                           {"kind": "quote", "file": upload("virus.pdf", executable_bytes())})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "Es gibt ein Problem" in page and "Nur PDF-, JPEG- und PNG-Dateien" in page
    response = client.post(f"/antraege/{application.pk}/anlagen/",
                           {"kind": "quote", "file": upload("angebot.pdf", pdf_bytes())})  # fmt: skip
    assert response.status_code == 302 and application.attachments.count() == 1
    attachment = application.attachments.get()
    assert client.post(f"/anlagen/{attachment.pk}/entfernen/").status_code == 302
    assert not application.attachments.exists()

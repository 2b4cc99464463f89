"""Scenario 9, informal group.

A neighbourhood clean-up group without legal form finds the fund's public page, registers,
confirms its e-mail address, and creates the group with its contact person, whose IBAN is
checked (a wrong checksum and an account of someone else are refused). It fills in the task
list, uploads its one quote, submits 300 EUR and receives the receipt letter; the office and
the steering group approve it, and the decision letter goes to the contact person.
"""

import datetime as dt
import re

from django.core import mail
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from grants.models import Application, Document, Organisation
from tests import journey
from tests.conftest import steering_group
from tests.samples import pdf_bytes, upload

PASSWORD = "Muellsammeln-im-Park-2026"
START = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
END = (timezone.localdate() + dt.timedelta(days=120)).isoformat()
GROUP = {"name": "Müllsammelgruppe Heimfeld", "legal_form": "informal", "street": "Heimfelder Str. 12",
         "postcode": "21075", "city": "Hamburg", "contact_name": "Nora Aydin", "email": "nora@heimfeld.example",
         "phone": "", "account_holder": "Nora Aydin"}  # fmt: skip


def register(client) -> User:
    response = client.post("/konto/signup/", {"first_name": "Nora", "last_name": "Aydin",
                                              "email": "nora@heimfeld.example", "password1": PASSWORD,
                                              "password2": PASSWORD})  # fmt: skip
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    assert client.post(link).status_code == 302
    return User.objects.get(email="nora@heimfeld.example")


def test_an_informal_group_applies_for_300_euros_and_is_approved(transactional_db, celery_eager, fund):
    fund.receipt_letter = True
    fund.save(update_fields=["receipt_letter"])
    people = steering_group(fund)
    client = Client()
    assert fund.name in client.get("/").content.decode()
    assert "Lenkungsgruppe" in client.get(f"/foerderung/{fund.slug}/").content.decode()
    user = register(client)
    client.post("/konto/login/", {"login": user.email, "password": PASSWORD})

    # The contact person's account: a wrong checksum, then someone else's account, then hers.
    page = client.post("/organisation/neu/", {**GROUP, "iban": "DE02 1203 0000 0000 2020 52"}).content.decode()
    assert "Das ist keine gültige IBAN." in page
    page = client.post("/organisation/neu/", {**GROUP, "iban": "DE02120300000000202051",
                                              "account_holder": "Verein Heimfeld"}).content.decode()  # fmt: skip
    assert "die Kontaktperson" in page and not Organisation.objects.exists()
    assert client.post("/organisation/neu/", {**GROUP, "iban": "DE02 1203 0000 0000 2020 51"}).status_code == 302
    group = Organisation.objects.get()
    assert (group.legal_form, group.account_holder, group.iban) == ("informal", "Nora Aydin", "DE02120300000000202051")

    # The task list, section by section.
    response = client.post("/antraege/beginnen/", {"fonds": fund.slug, "organisation": group.pk})
    application = Application.objects.get()
    base = f"/antraege/{application.pk}/abschnitt"

    def save(slug, data):
        application.refresh_from_db()
        response = client.post(f"{base}/{slug}/", {"version": application.version, **data})
        assert response.status_code == 302, response.content.decode()[:2000]

    save("projekt", {"title": "Saubere Außenmühle", "summary": "Wir sammeln viermal Müll im Park.",
                     "aims": [fund.aims.get(number=3).pk], "target_group": "Nachbarschaft",
                     "neighbourhood": "Heimfeld, Außenmühlenpark", "start_date": START, "end_date": END})  # fmt: skip
    save("kosten", {"costs-TOTAL_FORMS": "2", "costs-INITIAL_FORMS": "0", "costs-MIN_NUM_FORMS": "0",
                    "costs-MAX_NUM_FORMS": "1000", "costs-0-category": "material",
                    "costs-0-description": "Greifzangen, Säcke, Handschuhe", "costs-0-amount": "300,00",
                    "costs-1-category": "catering", "costs-1-description": "Getränke",
                    "costs-1-amount": "50"})  # fmt: skip
    save("finanzierung", {"own_funds": "50", "requested_amount": "300"})
    response = client.post(f"/antraege/{application.pk}/anlagen/",
                           {"kind": "quote", "file": upload("angebot-baumarkt.pdf", pdf_bytes())})  # fmt: skip
    assert response.status_code == 302
    save("erklaerungen", {"declared_not_started": "on", "declared_no_double_funding": "on",
                          "declared_truthful": "on", "declared_privacy": "on"})  # fmt: skip
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    assert page.count("Vollständig") == 5  # one quote is enough below 500 EUR

    check = client.get(f"/antraege/{application.pk}/absenden/").content.decode()
    assert "angebot-baumarkt.pdf" in check and "350,00 EUR" in check
    assert client.post(f"/antraege/{application.pk}/absenden/").status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and application.requested_amount == 300
    receipt = Document.objects.get(application=application, kind=Document.RECEIPT)
    text = " ".join(page.extract_text() for page in PdfReader(receipt.file.open("rb")).pages)
    assert "Müllsammelgruppe Heimfeld" in text and "z. Hd. Nora Aydin" in text and "300,00 EUR" in text

    # Office and steering group.
    office = journey.login(people["office"])
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="300.00")
    item = journey.vote_all(people["members"][:4], application)
    decision = journey.close_vote(people["chair"], item)
    assert decision.kind == "approve" and decision.amount == 300
    application.refresh_from_db()
    assert application.status == "approved"
    letter = Document.objects.get(application=application, kind=Document.APPROVAL)
    letter_text = " ".join(page.extract_text() for page in PdfReader(letter.file.open("rb")).pages)
    assert "z. Hd. Nora Aydin" in letter_text
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    assert f"/dokumente/{receipt.pk}/" in page and f"/dokumente/{letter.pk}/" in page

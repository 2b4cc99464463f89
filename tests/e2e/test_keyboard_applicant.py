"""A newcomer's whole journey by keyboard only (Tab, Space, Enter and typing; no clicks) in
Debian's Chromium: the fund's public page, registration with the e-mail confirmation from the
SMTP sink, the organisation, every section of the task list (failing validation once), a quote
uploaded, submitted, and the receipt downloaded. axe-core audits every page of the journey."""

import datetime as dt
import re

from pypdf import PdfReader

from grants.models import Application, Document, Organisation
from tests.samples import pdf_bytes

PASSWORD = "Laternen-im-Stadtpark-2026"


def tab_to(page, selector, limit=150):
    """Press Tab until the focused element matches `selector`."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def press(page, selector, key="Enter"):
    tab_to(page, selector)
    page.keyboard.press(key)


def go(page, selector):
    """Press Enter on a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        press(page, selector)
    page.wait_for_load_state()


def choose_file(page, path):
    """Open the focused file input's dialog by keyboard and choose `path`. Chromium opens it on Space
    or Enter; on a loaded machine a key press has once gone unanswered, so the other key is tried."""
    from playwright.sync_api import TimeoutError as NoDialog

    for key in ("Space", "Enter", "Space"):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press(key)
        except NoDialog:
            continue
        chooser.value.set_files(str(path))
        return
    raise AssertionError(f"the file dialog never opened by keyboard on {page.url}")


def american_date(day: dt.date) -> str:
    """What one types into a date field of a browser set to en-US: month, day, year."""
    return day.strftime("%m%d%Y")


def test_a_newcomer_applies_by_keyboard_only_and_every_page_passes_axe(
    static_files, live_server, fund, people, celery_eager, smtp_sink, browser_page, axe_audit, tmp_path
):
    fund.receipt_letter = True
    fund.save(update_fields=["receipt_letter"])
    page, url = browser_page, live_server.url

    def audited(name):
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "de"
        axe_audit(page, name)

    # The start page lists the fund; its page explains the rules.
    page.goto(f"{url}/")
    audited("Startseite")
    go(page, f"main a[href='/foerderung/{fund.slug}/']")
    page.wait_for_url(f"{url}/foerderung/{fund.slug}/")
    audited("Fonds")
    assert "Die Regeln" in page.content()
    go(page, "main a[href^='/konto/signup/']")
    page.wait_for_url(re.compile(r".*/konto/signup/.*"))
    audited("Registrierung")
    type_into(page, "input[name=first_name]", "Nina")
    type_into(page, "input[name=last_name]", "Neu")
    type_into(page, "input[name=email]", "nina@nachbarn.example")
    type_into(page, "input[name=password1]", PASSWORD)
    type_into(page, "input[name=password2]", PASSWORD)
    go(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/konto/confirm-email/"))
    audited("Bestätigung gesendet")

    # The confirmation link from the SMTP sink.
    message = smtp_sink.wait_for(1)[0]
    link = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", message.get_body(("plain",)).get_content())
    page.goto(f"{url}{link.group(1)}")
    audited("E-Mail bestätigen")
    go(page, "main form button[type=submit]")
    page.wait_for_url(f"{url}/")
    audited("Noch kein Zugang")

    # The organisation: a group without legal form.
    go(page, "main a[href='/organisation/neu/']")
    page.wait_for_url(f"{url}/organisation/neu/")
    audited("Organisation anlegen")
    type_into(page, "input[name=name]", "Laternengruppe Stadtpark")
    tab_to(page, "select[name=legal_form]")
    for _step in range(8):  # the arrow keys move through a focused list's options
        if page.evaluate("document.activeElement.value") == "informal":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") == "informal"
    type_into(page, "input[name=street]", "Am Stadtpark 1")
    type_into(page, "input[name=postcode]", "21073")
    type_into(page, "input[name=contact_name]", "Nina Neu")
    type_into(page, "input[name=email]", "nina@nachbarn.example")
    type_into(page, "input[name=account_holder]", "Nina Neu")
    type_into(page, "input[name=iban]", "DE02 1203 0000 0000 2020 51")
    go(page, "main form button[type=submit]")
    page.wait_for_url(f"{url}/antraege/")
    audited("Meine Anträge")
    assert Organisation.objects.get().legal_form == "informal"

    # A new application: the task list.
    go(page, "main a[href='/antraege/beginnen/']")
    page.wait_for_url(f"{url}/antraege/beginnen/")
    audited("Antrag beginnen")
    go(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/antraege/\d+/$"))
    application = Application.objects.get()
    audited("Aufgabenliste")

    # The project, with an end before its start first: the error summary takes the focus.
    start = dt.date.today() + dt.timedelta(days=100)
    go(page, f"main a[href='/antraege/{application.pk}/abschnitt/projekt/']")
    audited("Abschnitt Projekt")
    type_into(page, "input[name=title]", "Laternenumzug")
    type_into(page, "textarea[name=summary]", "Ein Laternenumzug durch den Stadtpark.")
    press(page, f"input[name=aims][value='{fund.aims.first().pk}']", "Space")
    type_into(page, "input[name=target_group]", "Familien")
    type_into(page, "input[name=neighbourhood]", "Harburg, Stadtpark")
    type_into(page, "input[name=start_date]", american_date(start))
    type_into(page, "input[name=end_date]", american_date(start - dt.timedelta(days=1)))
    go(page, "main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    audited("Abschnitt Projekt mit Fehler")
    press(page, ".error-summary a[href='#id_end_date']")
    assert page.evaluate("document.activeElement.id") == "id_end_date"
    page.keyboard.type(american_date(start + dt.timedelta(days=1)))
    go(page, "main form button[type=submit]")
    page.wait_for_url(f"{url}/antraege/{application.pk}/")

    # The cost plan.
    go(page, f"main a[href='/antraege/{application.pk}/abschnitt/kosten/']")
    audited("Abschnitt Kosten")
    type_into(page, "input[name='costs-0-description']", "Laternen und Kerzen")
    type_into(page, "input[name='costs-0-amount']", "400")
    go(page, "main form button[type=submit]")
    page.wait_for_url(f"{url}/antraege/{application.pk}/")

    # The financing plan.
    go(page, f"main a[href='/antraege/{application.pk}/abschnitt/finanzierung/']")
    audited("Abschnitt Finanzierung")
    type_into(page, "input[name=own_funds]", "100")
    type_into(page, "input[name=requested_amount]", "300")
    go(page, "main form button[type=submit]")
    page.wait_for_url(f"{url}/antraege/{application.pk}/")

    # A quote, chosen in the browser's file dialog opened by keyboard.
    quote = tmp_path / "angebot.pdf"
    quote.write_bytes(pdf_bytes())
    go(page, f"main a[href='/antraege/{application.pk}/abschnitt/anlagen/']")
    page.wait_for_url(f"{url}/antraege/{application.pk}/anlagen/")
    audited("Anlagen")
    press(page, "input[name=kind][value=quote]", "Space")
    tab_to(page, "input[name=file]")
    choose_file(page, quote)
    go(page, "main form button[type=submit]")
    assert "angebot.pdf" in page.content()
    go(page, f"main a[href='/antraege/{application.pk}/']")

    # The declarations.
    go(page, f"main a[href='/antraege/{application.pk}/abschnitt/erklaerungen/']")
    audited("Abschnitt Erklärungen")
    for name in ("declared_not_started", "declared_no_double_funding", "declared_truthful", "declared_privacy"):
        press(page, f"input[name={name}]", "Space")
    go(page, "main form button[type=submit]")
    page.wait_for_url(f"{url}/antraege/{application.pk}/")
    assert page.content().count("Vollständig") == 5

    # Check your answers, submit, download the receipt.
    go(page, f"main a[href='/antraege/{application.pk}/absenden/']")
    audited("Angaben prüfen")
    go(page, "main form button[type=submit]")
    page.wait_for_url(f"{url}/antraege/{application.pk}/")
    receipt = Document.objects.get(application=application, kind=Document.RECEIPT)
    page.reload()
    audited("Antrag eingereicht")
    tab_to(page, f"main a[href='/dokumente/{receipt.pk}/']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / "receipt.pdf"
    download.value.save_as(saved)
    assert "Eingangsbestätigung" in PdfReader(saved).pages[0].extract_text()
    axe_audit.assert_clean()

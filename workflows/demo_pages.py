"""The demo fund's public texts: what a fund admin writes in the admin (fund and public pages)."""

from grants.models import FundPage

FUND_TEXTS = {
    "public_description": (
        "Der Verfügungsfonds der Sicherheitskonferenz Harburg fördert kleine Projekte, die das Zusammenleben "
        "und die Sicherheit in Harburg stärken.\n\n"
        "Über die Anträge entscheidet die Lenkungsgruppe der Sicherheitskonferenz: Vertreterinnen und Vertreter "
        "der Fraktionen der Bezirksversammlung, des Bezirksamts und der Polizei. Die Geschäftsstelle bei der "
        "Johann Daniel Lawaetz-Stiftung berät Sie, prüft die Anträge und bereitet die Sitzungen vor."
    ),
    "pays_for": "Honorare, zum Beispiel für Trainerinnen oder Künstler\nSachkosten und Material\n"
    "Miete für Räume und Technik\nÖffentlichkeitsarbeit für das Projekt",
    "does_not_pay_for": "Projekte, die schon begonnen haben\nLaufende Personalkosten und Daueraufgaben\n"
    "Investitionen, die einer einzelnen Person gehören\nAusgaben, die andere schon bezahlen",
    "own_contribution_text": "ein angemessener Eigenanteil in Geld oder Eigenleistung ist erwünscht.",
    "contact_text": "Geschäftsstelle Sicherheitskonferenz Harburg\nJohann Daniel Lawaetz-Stiftung\n"
    "Telefon 040 123456-0\ngeschaeftsstelle@lawaetz.example",
}

PAGES = [
    (
        FundPage.Kind.PRIVACY,
        "Datenschutzhinweise",
        "## Wer verarbeitet Ihre Daten?\nDas Bezirksamt Harburg, Harburger Rathausplatz 4, 21073 Hamburg. "
        "Die Geschäftsstelle bearbeitet die Anträge in seinem Auftrag.\n\n"
        "## Was wir erheben und warum\n"
        "- Ihren Namen und Ihre E-Mail-Adresse, damit Sie sich anmelden und wir Ihnen schreiben können\n"
        "- Angaben zu Ihrer Organisation und zum Projekt, um über den Antrag zu entscheiden\n"
        "- die Bankverbindung, um die Förderung auszuzahlen\n"
        "- Belege und Berichte, um die Verwendung der Mittel zu prüfen\n\n"
        "Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit der Landeshaushaltsordnung.\n\n"
        "## Wie lange wir Daten speichern\nEntwürfe, die nie eingereicht wurden: 1 Jahr. Abgelehnte Anträge: "
        "6 Jahre. Bewilligte Anträge: 10 Jahre nach Abschluss der Akte. Danach werden die Daten gelöscht.\n\n"
        "## Ihre Rechte\nSie können Auskunft, Berichtigung und Löschung verlangen. Unter „Ihre Daten“ laden Sie "
        "alles herunter, was über Sie gespeichert ist. Beschwerden richten Sie an den Hamburgischen "
        "Beauftragten für Datenschutz und Informationsfreiheit.",
    ),
    (
        FundPage.Kind.ACCESSIBILITY,
        "Erklärung zur Barrierefreiheit",
        "Dieses Portal soll nach der BITV 2.0 und WCAG 2.1 (Stufe AA) barrierefrei sein. Alle Formulare lassen "
        "sich mit der Tastatur bedienen und mit Screenreadern nutzen.\n\n"
        "## Bekannte Einschränkungen\nPDF-Anlagen, die Antragstellende hochladen, sind nicht immer barrierefrei.\n\n"
        "## Barriere melden\nSchreiben Sie an geschaeftsstelle@lawaetz.example. Wir antworten innerhalb von zwei "
        "Wochen. Hilft das nicht, wenden Sie sich an die Ombudsstelle für barrierefreie Informationstechnik.",
    ),
    (
        FundPage.Kind.IMPRINT,
        "Impressum",
        "Bezirksamt Harburg\nHarburger Rathausplatz 4\n21073 Hamburg\n\n"
        "Vertreten durch die Bezirksamtsleitung.\n\n"
        "Inhaltlich verantwortlich: Geschäftsstelle der Sicherheitskonferenz Harburg.",
    ),
    (
        FundPage.Kind.EASY_LANGUAGE,
        "Hilfe in Leichter Sprache",
        "## Was ist der Verfügungs-Fonds?\nDer Verfügungs-Fonds ist Geld vom Bezirk Harburg.\n"
        "Mit dem Geld werden gute Ideen für Harburg bezahlt.\n\n"
        "## Wer kann Geld bekommen?\nVereine.\nSchulen.\nAuch Gruppen von Nachbarn.\n\n"
        "## Wie bekomme ich Geld?\n"
        "- Sie machen ein Konto auf dieser Internet-Seite.\n"
        "- Sie schreiben auf: Was wollen Sie machen? Was kostet das?\n"
        "- Sie schicken den Antrag ab.\n"
        "- Eine Gruppe von Menschen entscheidet in einer Sitzung.\n"
        "- Sie bekommen einen Brief.\n\n"
        "## Wichtig\nFangen Sie erst an, wenn Sie den Brief haben.\nSonst gibt es kein Geld.\n\n"
        "## Hilfe\nRufen Sie an: 040 123456-0.",
    ),
]


def create_public_pages(fund) -> None:
    for field, value in FUND_TEXTS.items():
        setattr(fund, field, value)
    fund.save(update_fields=list(FUND_TEXTS))
    FundPage.objects.bulk_create(FundPage(fund=fund, kind=kind, title=title, body=body) for kind, title, body in PAGES)

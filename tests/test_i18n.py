"""The German catalogue is complete and compiled (STYLE.md §10)."""

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert [entry.msgid for entry in po if not entry.translated()] == []
    assert [entry.msgid for entry in po if "fuzzy" in entry.flags and entry.msgid] == []


def test_the_compiled_catalogue_matches_the_source():
    po = {entry.msgid: entry.msgstr for entry in polib.pofile(str(CATALOGUE / "django.po")) if entry.msgid}
    mo = {entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOGUE / "django.mo")) if entry.msgid}
    assert po == mo, "run: make messages"


def test_pages_speak_german():
    with translation.override("de"):
        assert translation.gettext("Application submitted") == "Antrag eingereicht"


def test_the_portal_is_german_whatever_the_browser_asks_for_until_the_user_chooses(client):
    page = client.get("/konto/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "de"
    assert "Anmelden" in page.content.decode()

    response = client.post("/sprache/", {"language": "en", "next": "/konto/login/"})
    assert response.status_code == 302
    assert client.get("/konto/login/")["Content-Language"] == "en"

"""Letters and meeting papers as archivable, tagged PDF (PDF/A-3a, language de), rendered with
WeasyPrint. A document type names its mandatory parts; the template marks each with a
`data-part` attribute, and a document whose part is missing or empty is refused before it exists."""

from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML

VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}


class _Parts(HTMLParser):
    """Collects the text of every element marked with data-part (nested parts included)."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, int]] = []
        self.depth = 0
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        part = dict(attrs).get("data-part")
        if part:
            self.open.append((part, self.depth))
            self.text.setdefault(part, "")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.open and self.open[-1][1] == self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data):
        for part, _depth in self.open:
            self.text[part] += data


def missing_parts(html: str, parts: tuple[str, ...]) -> list[str]:
    parser = _Parts()
    parser.feed(html)
    return [part for part in parts if not parser.text.get(part, "").strip()]


def render_pdf(template: str, context: dict, *, parts: tuple[str, ...] = ()) -> bytes:
    """Render a letter template (German, whatever the user's language) to PDF bytes, refusing it
    when one of its mandatory parts is missing or empty."""
    if context.get("fund") is not None and "texts" not in context:
        from grants.letters import texts_for  # the fund's admin-edited greeting, closing, rules, remedy

        context = {**context, "texts": texts_for(context["fund"])}
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    missing = missing_parts(html, parts)
    if missing:
        raise ValidationError(
            _("The document cannot be produced: its mandatory part “%(part)s” is missing.") % {"part": missing[0]}
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/a-3a")

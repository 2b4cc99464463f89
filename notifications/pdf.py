"""Letters as archivable, tagged PDF (PDF/A-3a, language de), rendered with WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


def render_pdf(template: str, context: dict) -> bytes:
    """Render a letter template (German, whatever the user's language) to PDF bytes."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/a-3a")

"""Plain text a fund admin wrote, shown as paragraphs, headings and lists, always escaped."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def paragraphs(text: str):
    """A blank line starts a paragraph, '## ' a heading, lines starting with '- ' a list."""
    blocks = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            blocks.append(format_html('<h2 class="heading-m">{}</h2>', lines[0][3:]))
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            blocks.append(format_html('<ul class="list list--bullet">{}</ul>', items))
        elif lines:
            blocks.append(format_html("<p>{}</p>", linebreaksbr("\n".join(lines), autoescape=True)))
    return format_html_join("\n", "{}", ((block,) for block in blocks))


@register.filter
def lines(text: str) -> list[str]:
    """The non-empty lines of a text, for a list or numbered steps."""
    return [line.strip().removeprefix("- ") for line in (text or "").splitlines() if line.strip()]

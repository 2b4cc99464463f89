"""Logging helpers: every record carries the request id, and what is written never holds
an e-mail address or an IBAN, whatever a message or a traceback contained."""

import contextvars
import logging
import re
import uuid

from pythonjsonlogger.json import JsonFormatter

REQUEST_ID = contextvars.ContextVar("request_id", default="")
# A proxy's id is accepted only in a harmless shape, so a header cannot forge log lines.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(offered: str | None) -> str:
    """The id the proxy offered if it looks like one, else a new id."""
    return offered if offered and _ACCEPTABLE_ID.match(offered) else new_request_id()


def redact(text: str) -> str:
    """Replace e-mail addresses and IBANs in `text`."""
    return _IBAN.sub("[IBAN]", _EMAIL.sub("[E-MAIL]", text))


class RequestIdFilter(logging.Filter):
    """Add the id of the request (or of the task run) the record belongs to."""

    def filter(self, record):
        record.request_id = REQUEST_ID.get() or "-"
        return True


class RedactingFormatter(logging.Formatter):
    """Plain text lines without personal data."""

    def format(self, record):
        return redact(super().format(record))


class RedactingJsonFormatter(JsonFormatter):
    """One JSON object a line, without personal data."""

    def format(self, record):
        return redact(super().format(record))

"""An outbox row's context keeps dates and amounts as what they are, so that the
e-mail templates format them with Django's localisation instead of the caller."""

import datetime as dt
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder

TYPES = {"$datetime": dt.datetime.fromisoformat, "$date": dt.date.fromisoformat, "$decimal": Decimal}


class ContextEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            return {"$datetime": o.isoformat()}
        if isinstance(o, dt.date):
            return {"$date": o.isoformat()}
        if isinstance(o, Decimal):
            return {"$decimal": str(o)}
        return super().default(o)


class ContextDecoder(json.JSONDecoder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, object_hook=self._revive, **kwargs)

    @staticmethod
    def _revive(value: dict):
        if len(value) == 1:
            [(key, text)] = value.items()
            if key in TYPES:
                return TYPES[key](text)
        return value

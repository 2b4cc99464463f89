"""Forms as a browser sends them: read the fields a page renders (with their current values), change
some, and post them to the form's action. A test that names a field the page does not render fails."""

from html.parser import HTMLParser
from urllib.parse import urljoin

TEXT_LIKE = {"text", "email", "number", "date", "hidden", "password", "tel", "url", "search", "time", ""}


class _FormParser(HTMLParser):
    """The POST forms of a page: (action, names rendered, values a browser would send)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "names": set(), "values": []}
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "button" and name:
            self._form["names"].add(name)  # sent only when clicked: a test names it to click it
        elif tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            self._form["names"].add(name)
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["values"].append((name, attrs.get("value") or "on"))
            elif kind in TEXT_LIKE:
                self._form["values"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._form["names"].add(name)
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": [], "chosen": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._form["names"].add(name)
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or ([] if self._select["multiple"] else self._select["options"][:1])
            self._form["values"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["values"].append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def page_forms(html: str) -> list[dict]:
    """The POST forms of the page, each as {action, names, data}."""
    parser = _FormParser()
    parser.feed(html)
    found = []
    for form in parser.forms:
        data = {}
        for name, value in form["values"]:
            data.setdefault(name, []).append(value)
        found.append({"action": form["action"], "names": form["names"], "data": data})
    return found


def submit(client, url: str, changes: dict | None = None, *, action: str | None = None, **extra):
    """Open `url`, fill in `changes` over the values the form shows, and post it as a browser would:
    the form posting to `action`, else the first that renders every field named in `changes`. A
    value None unticks or empties a field; management fields of a formset come from the page."""
    page = client.get(url, **extra)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    changes = changes or {}
    assert changes or action is not None, "name the form's action when no field is filled in"
    forms = [form for form in page_forms(page.content.decode()) if action is None or form["action"] == action]
    fitting = [form for form in forms if set(changes) <= form["names"]]
    assert fitting, f"{url} renders no form with the fields {sorted(changes)}"
    form = fitting[0]
    data = {name: value for name, value in {**form["data"], **changes}.items() if value is not None}
    return client.post(urljoin(url, form["action"]) if form["action"] else url, data, **extra)

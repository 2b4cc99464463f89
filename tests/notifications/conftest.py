import pytest


@pytest.fixture
def templates(settings, tmp_path):
    """A minimal e-mail "t" (subject, text with a date, HTML) in a template folder of its own."""
    (tmp_path / "email").mkdir()
    for name, text in [("t_subject.txt", "Betreff"), ("t.txt", "Am {{ day|date:'SHORT_DATE_FORMAT' }}"),
                       ("t.html", "<p>HTML</p>")]:  # fmt: skip
        (tmp_path / "email" / name).write_text(text)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]  # assigned, so Django reloads its engines

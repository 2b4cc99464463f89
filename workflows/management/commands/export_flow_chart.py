from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from viewflow.workflow import chart

from workflows.flows import ApplicationFlow


class Command(BaseCommand):
    help = "Write the application flow as BPMN 2.0 XML and SVG (PATH.bpmn and PATH.svg)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="target path without suffix, e.g. docs/application_flow")

    def handle(self, *args, path, **options):
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with translation.override(settings.LANGUAGE_CODE):
            grid = chart.calc_layout_data(ApplicationFlow)
            target.with_suffix(".bpmn").write_text(chart.grid_to_bpmn(grid), encoding="utf-8")
            target.with_suffix(".svg").write_text(chart.grid_to_svg(grid), encoding="utf-8")
        self.stdout.write(f"Wrote {target.with_suffix('.bpmn')} and {target.with_suffix('.svg')}")

from django.utils import translation
from viewflow.workflow import chart

from workflows.flows import ApplicationFlow


def test_the_committed_bpmn_chart_matches_the_flow(settings):
    committed = (settings.BASE_DIR / "docs" / "application_flow.bpmn").read_text(encoding="utf-8")
    with translation.override(settings.LANGUAGE_CODE):
        assert committed == chart.grid_to_bpmn(chart.calc_layout_data(ApplicationFlow)), "run: make chart"

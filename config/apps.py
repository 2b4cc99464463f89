from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    """Leave out viewflow's own frontend (73 MB): our templates render every page."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "viewflow"]

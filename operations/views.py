"""Health for load balancers and monitoring, metrics for Prometheus: no login, no secrets."""

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from . import health, metrics
from .access import may_read_metrics


@never_cache
def health_live(request):
    """The process answers; nothing else is touched, so a load balancer may ask often."""
    return JsonResponse({"status": "ok"})


@never_cache
def health_ready(request):
    answer = health.readiness()
    return JsonResponse(answer, status=200 if answer["status"] == "ok" else 503)


@never_cache
def metrics_view(request):
    if not may_read_metrics(request):
        return HttpResponseForbidden("metrics are not available to this client\n", content_type="text/plain")
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)

import logging
import time

from . import logs, metrics

logger = logging.getLogger("operations.requests")
# Any other method a client makes up is counted as "other": each label value is a new time series.
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _view_name(request) -> str:
    # The route's name, never the path: paths carry ids and tokens, and every path would be a new label.
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else "unresolved"


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID or a new one) that its log lines
    and the tasks it queues carry; log the outcome and time the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = logs.accepted_request_id(request.headers.get("X-Request-ID"))
        token = logs.REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = _view_name(request)
            method = request.method if request.method in KNOWN_METHODS else "other"
            metrics.observe_request(view=view, method=method, seconds=seconds)
            logger.info(
                "%s %s %s %.0f ms", method, view, response.status_code, seconds * 1000,
                extra={"method": method, "view": view, "status": response.status_code,
                       "duration_ms": round(seconds * 1000, 1)},
            )  # fmt: skip
            response["X-Request-ID"] = request_id
            return response
        finally:
            logs.REQUEST_ID.reset(token)

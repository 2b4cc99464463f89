"""Who may read the metrics: a client from a configured network, or one with the token."""

import hmac
import ipaddress

from django.conf import settings


def _in_networks(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


def client_address(request) -> str:
    """The peer's address; behind a trusted proxy, the address that proxy reports.

    The proxy must set X-Forwarded-For to the address it saw (not append to what the
    client sent), so only the last entry is believed."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and _in_networks(peer, settings.TRUSTED_PROXIES):
        return forwarded.split(",")[-1].strip()
    return peer


def has_metrics_token(request) -> bool:
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


def may_read_metrics(request) -> bool:
    return has_metrics_token(request) or _in_networks(client_address(request), settings.METRICS_ALLOWED_NETWORKS)

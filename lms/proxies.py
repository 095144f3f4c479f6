"""The client's address behind a load balancer: REMOTE_ADDR is the balancer's on every web
node, so limits counted per address (events.rate_limits, contests' personal codes) would count
the whole region as one address. The balancer appends the address it saw to X-Forwarded-For;
that header is believed only when the request comes from a proxy named in
settings.LMS_TRUSTED_PROXIES (env TRUSTED_PROXIES: addresses or networks, comma-separated),
and then only up to the first address that is not itself a trusted proxy, read from the right:
whatever a client writes into the header itself is to the left of what the balancer added."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _trusted(address: str, networks) -> bool:
    try:
        parsed = ip_address(address.strip())
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The client's address: `remote_addr` unless it is a trusted proxy, then the right-most
    address of `forwarded_for` that is not a trusted proxy (a malformed one ends the walk:
    the address of the proxy that passed it on is kept)."""
    networks = _networks(trusted)
    if not networks or not _trusted(remote_addr, networks):
        return remote_addr
    address = remote_addr
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        try:
            ip_address(hop)
        except ValueError:
            break
        address = hop
        if not _trusted(hop, networks):
            break
    return address


class TrustedProxyMiddleware:
    """Sets REMOTE_ADDR to the client's address (see the module's docstring); first in
    settings.MIDDLEWARE, so everything after it sees the client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = tuple(getattr(settings, "LMS_TRUSTED_PROXIES", ()))
        if trusted:
            meta = request.META
            meta["REMOTE_ADDR"] = client_address(
                meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), trusted
            )
        return self.get_response(request)

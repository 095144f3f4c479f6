"""The client's address behind a load balancer (lms.proxies)."""

import pytest
from django.test import RequestFactory

from lms.proxies import TrustedProxyMiddleware, client_address

BALANCER = ("127.0.0.1", "10.0.0.0/8")


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),  # no proxy in front
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # a client's own header: ignored
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # through the balancer
        ("127.0.0.1", "", "127.0.0.1"),  # the balancer itself (its health checks)
        # A client that writes the header itself: only what the balancer added counts.
        ("127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two trusted hops (a TLS terminator, then the balancer): the first untrusted one.
        ("127.0.0.1", "198.51.100.7, 10.1.2.3", "198.51.100.7"),
        ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
        # Garbage stops the walk at the proxy that passed it on.
        ("127.0.0.1", "<script>, 10.1.2.3", "10.1.2.3"),
        ("127.0.0.1", "not-an-ip", "127.0.0.1"),
    ],
)
def test_the_client_address(remote, forwarded, expected):
    assert client_address(remote, forwarded, BALANCER) == expected


def test_without_trusted_proxies_the_header_is_never_believed():
    assert client_address("127.0.0.1", "198.51.100.7", ()) == "127.0.0.1"


def test_the_middleware_sets_remote_addr(settings):
    settings.LMS_TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8")
    TrustedProxyMiddleware(view)(request)
    assert seen["address"] == "5.6.7.8"


def test_the_middleware_comes_first(settings):
    assert settings.MIDDLEWARE[0] == "lms.proxies.TrustedProxyMiddleware"

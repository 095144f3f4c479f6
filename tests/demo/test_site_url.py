import pytest

from demo.management.commands.load_demo import site_url


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        (None, None, "http://127.0.0.1:8000/"),  # runserver's defaults, as in the Makefile
        ("", "", "http://127.0.0.1:8000/"),
        ("192.168.1.20", "9000", "http://192.168.1.20:9000/"),
        ("::1", "8001", "http://[::1]:8001/"),
    ],
)
def test_the_printed_address_is_where_make_run_serves(monkeypatch, host, port, expected):
    for name, value in (("HOST", host), ("PORT", port)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert site_url() == expected

"""A small browser for the cluster benchmark (bench/cluster.py): one new loopback connection per
request (so HAProxy balances every request on its own), cookies kept by name and sent back as a
`Cookie` header whatever their `Secure` flag (the production settings mark them secure; the
benchmark speaks plain HTTP on loopback), CSRF tokens read from forms, multipart bodies."""

from __future__ import annotations

import http.client
import re
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    port: int

    @property
    def node(self) -> str:
        """The node that answered: HAProxy's X-Node header, else the port asked directly."""
        return self.headers.get("X-Node") or f"port {self.port}"

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf_token(self) -> str:
        match = CSRF_FIELD.search(self.body)
        if not match:
            raise ValueError("no csrfmiddlewaretoken on the page")
        return match.group(1).decode()


class Browser:
    """One person's cookies; every request on a fresh connection to the port given."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{key}={value}" for key, value in self.cookies.items())

    def request(
        self,
        port: int,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = {"Host": f"{HOST}:{port}", "Accept": "text/html", "User-Agent": "lms-cluster/1"}
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        if method == "POST":
            sent["Origin"] = f"http://{HOST}:{port}"  # as browsers send it
        sent.update(headers or {})
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        self._keep(response.msg.get_all("Set-Cookie") or [])
        return Response(response.status, response.msg, data, port)

    def _keep(self, set_cookies: list[str]) -> None:
        for line in set_cookies:
            jar = SimpleCookie()
            jar.load(line)
            for key, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)  # Django deletes a cookie this way
                else:
                    self.cookies[key] = morsel.value

    def get(self, port: int, path: str) -> Response:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict[str, str]) -> Response:
        from urllib.parse import urlencode

        return self.request(
            port,
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_multipart(
        self, port: int, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Response:
        body, content_type = multipart(fields, files)
        return self.request(port, "POST", path, body=body, headers={"Content-Type": content_type})


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body: (bytes, its Content-Type). File names are ASCII here."""
    boundary = f"----lms-cluster-{secrets.token_hex(12)}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"

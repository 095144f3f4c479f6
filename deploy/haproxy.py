"""The HAProxy configuration in front of the web nodes (docs/deployment.md).

One function, `render`, turns a plain description (where to listen, which nodes) into the text of
haproxy.cfg; `bench/cluster.py` writes it into its temporary directory, and on real machines

    python -m deploy.haproxy --listen 0.0.0.0:443 --tls-pem /etc/haproxy/site.pem \\
        --node web1=10.0.0.11:8000 --node web2=10.0.0.12:8000 --host lms.example.org \\
        --socket /run/haproxy/admin.sock > /etc/haproxy/haproxy.cfg

prints the same configuration for `haproxy -c -f` and the Debian service. Standard library only.

What it sets, and why:
- round robin over the nodes, each checked every 2 s with GET /healthz/ (lms.health: 200 when
  the node reaches its database); two failures take a node out, two successes bring it back;
- `maxconn` per node equal to its gunicorn workers: a sync worker serves one request at a time,
  so the rest wait in HAProxy's queue, where `option redispatch` can still send them to another
  node when theirs dies, rather than in a dead node's listen backlog;
- retries only on a failed connection (`retry-on conn-failure`): a request that reached a node is
  never sent again, so a hand-in is not posted twice by the balancer;
- `X-Forwarded-Proto` set by the balancer (never taken from the client): `https` behind TLS,
  which Django trusts through SECURE_PROXY_SSL_HEADER; the health check sends it too, or a node
  with SECURE_SSL_REDIRECT would answer it with a redirect;
- its own 502/503/504 answers (a node died mid-request, every node busy past the queue
  timeout) are `deploy/errors/*.http`: a page in Russian and English that asks to wait and
  send again, with Retry-After, instead of HAProxy's bare English one;
- an `X-Node` response header naming the node that answered (the cluster benchmark checks with
  it that both nodes served one session); an admin socket and a stats page, both optional, for
  draining and watching nodes.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
HOST_PORT = re.compile(r"^(?P<host>[A-Za-z0-9.:\[\]-]+):(?P<port>\d{1,5})$")
HOST_NAME = re.compile(r"^[A-Za-z0-9.-]{1,253}$")
ERRORS_DIR = str(Path(__file__).resolve().parent / "errors")  # 502.http, 503.http, 504.http
ERROR_CODES = (502, 503, 504)
LOG_TARGET = re.compile(r"^[A-Za-z0-9/.:_-]+ [a-z0-9]+( [A-Za-z0-9 ]+)?$")


@dataclass(frozen=True)
class Node:
    name: str  # HAProxy's server name, also sent back in X-Node
    address: str  # host:port of its gunicorn
    maxconn: int = 2  # its gunicorn workers x threads


@dataclass(frozen=True)
class Balancer:
    listen: str  # host:port the balancer binds (127.0.0.1:PORT for the benchmark)
    nodes: tuple[Node, ...]
    host: str = "127.0.0.1"  # the Host header of health checks: one of ALLOWED_HOSTS
    tls_pem: str | None = None  # certificate + key: terminate TLS here, X-Forwarded-Proto https
    stats: str | None = None  # host:port of the stats page (keep it on loopback or a VPN)
    socket: str | None = None  # path of the admin socket (`disable server nodes/web1` ...)
    log: str | None = None  # a syslog target ("/dev/log local0"); None: no request log
    check_interval_ms: int = 2000
    timeout_check_ms: int = 3000  # a node busy with a burst still answers its check in time
    fall: int = 2
    rise: int = 2
    retries: int = 2
    timeout_connect_ms: int = 2000
    timeout_server_s: int = 65  # a little over gunicorn's --timeout 60
    timeout_queue_s: int = 30  # a request waits this long for a free worker, then 503
    extra_frontend: tuple[str, ...] = field(default_factory=tuple)
    errors_dir: str | None = None  # the "wait and send again" pages HAProxy answers itself


def _check_address(value: str, what: str) -> None:
    match = HOST_PORT.fullmatch(value)
    if not match or not 0 < int(match["port"]) < 65536:
        raise ValueError(f"{what} must be host:port, not {value!r}")


def validate(balancer: Balancer) -> None:
    """Refuse what HAProxy would refuse or misread, before it is written to a file."""
    _check_address(balancer.listen, "listen")
    if balancer.stats:
        _check_address(balancer.stats, "stats")
    if not balancer.nodes:
        raise ValueError("at least one node is needed")
    names = [node.name for node in balancer.nodes]
    if len(set(names)) != len(names):
        raise ValueError(f"node names must differ: {names}")
    for node in balancer.nodes:
        if not NAME.fullmatch(node.name):
            raise ValueError(f"node name {node.name!r}: a letter, then letters, digits, - or _")
        _check_address(node.address, f"node {node.name}")
        if node.maxconn < 1:
            raise ValueError(f"node {node.name}: maxconn must be at least 1")
    if not HOST_NAME.fullmatch(balancer.host):
        raise ValueError(f"host {balancer.host!r} is not a host name")
    if balancer.log is not None and not LOG_TARGET.fullmatch(balancer.log):
        raise ValueError(f"log {balancer.log!r}: a syslog address and facility")
    for path in (balancer.tls_pem, balancer.socket, balancer.errors_dir):
        if path is not None and (not path.startswith("/") or any(c.isspace() for c in path)):
            raise ValueError(f"{path!r}: an absolute path without spaces")


def render(balancer: Balancer) -> str:
    """The text of haproxy.cfg for `balancer` (validated first)."""
    validate(balancer)
    proto = "https" if balancer.tls_pem else "http"
    lines = [
        "# Generated by deploy/haproxy.py; see docs/deployment.md.",
        "global",
        "    maxconn 4096",
    ]
    if balancer.log:
        lines.append(f"    log {balancer.log}")
    if balancer.socket:
        lines.append(f"    stats socket {balancer.socket} mode 600 level admin")
    lines += [
        "",
        "defaults",
        "    mode http",
        *(["    log global", "    option httplog"] if balancer.log else []),
        "    option redispatch",  # a queued request whose node died goes to another one
        f"    retries {balancer.retries}",
        "    retry-on conn-failure",  # never re-send a request a node has received
        f"    timeout connect {balancer.timeout_connect_ms}ms",
        "    timeout client 60s",
        f"    timeout server {balancer.timeout_server_s}s",
        "    timeout http-request 10s",
        "    timeout http-keep-alive 10s",
        f"    timeout queue {balancer.timeout_queue_s}s",
        f"    timeout check {balancer.timeout_check_ms}ms",
        *(
            f"    errorfile {code} {balancer.errors_dir}/{code}.http"
            for code in (ERROR_CODES if balancer.errors_dir else ())
        ),
        "",
        "frontend web",
    ]
    if balancer.tls_pem:
        lines.append(f"    bind {balancer.listen} ssl crt {balancer.tls_pem} alpn http/1.1")
    else:
        lines.append(f"    bind {balancer.listen}")
    lines += [
        "    option forwardfor",
        f"    http-request set-header X-Forwarded-Proto {proto}",
        *(f"    {line}" for line in balancer.extra_frontend),
        "    default_backend nodes",
        "",
        "backend nodes",
        "    balance roundrobin",
        "    option httpchk",
        "    http-check send meth GET uri /healthz/ ver HTTP/1.1 "
        f"hdr Host {balancer.host} hdr X-Forwarded-Proto {proto}",
        "    http-check expect status 200",
        "    http-response set-header X-Node %[srv_name]",
        f"    default-server check inter {balancer.check_interval_ms}ms "
        f"fall {balancer.fall} rise {balancer.rise}",
    ]
    lines += [
        f"    server {node.name} {node.address} maxconn {node.maxconn}" for node in balancer.nodes
    ]
    if balancer.stats:
        lines += [
            "",
            "listen stats",
            f"    bind {balancer.stats}",
            "    stats enable",
            "    stats uri /",
            "    stats refresh 5s",
        ]
    return "\n".join(lines) + "\n"


def parse_node(value: str, maxconn: int) -> Node:
    name, sep, address = value.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"--node takes name=host:port, not {value!r}")
    return Node(name, address, maxconn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print haproxy.cfg for the web nodes.")
    parser.add_argument("--listen", required=True, help="host:port to bind, e.g. 0.0.0.0:443")
    parser.add_argument("--node", action="append", required=True, help="name=host:port")
    parser.add_argument("--maxconn", type=int, default=2, help="each node's gunicorn workers")
    parser.add_argument("--host", default="127.0.0.1", help="Host header of the health checks")
    parser.add_argument("--tls-pem", default=None, help="certificate and key: terminate TLS")
    parser.add_argument("--stats", default=None, help="host:port of the stats page")
    parser.add_argument("--socket", default=None, help="path of the admin socket")
    parser.add_argument("--log", default="/dev/log local0", help="syslog target; '' for none")
    parser.add_argument(
        "--errors-dir", default=ERRORS_DIR, help="502/503/504.http pages; '' for HAProxy's own"
    )
    args = parser.parse_args(argv)
    try:
        nodes = tuple(parse_node(value, args.maxconn) for value in args.node)
        text = render(
            Balancer(
                listen=args.listen,
                nodes=nodes,
                host=args.host,
                tls_pem=args.tls_pem,
                stats=args.stats,
                socket=args.socket,
                log=args.log or None,
                errors_dir=args.errors_dir or None,
            )
        )
    except (ValueError, argparse.ArgumentTypeError) as exc:
        parser.error(str(exc))
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

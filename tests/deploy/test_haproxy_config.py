"""deploy/haproxy.py: the balancer's configuration from a plain description (the cluster
benchmark and docs/deployment.md use it). Pure text; `haproxy -c` checks it when installed."""

import shutil
import subprocess

import pytest

from deploy import haproxy

NODES = (haproxy.Node("web1", "127.0.0.1:8001", 2), haproxy.Node("web2", "127.0.0.1:8002", 3))


def lines(balancer: haproxy.Balancer) -> list[str]:
    return [line.strip() for line in haproxy.render(balancer).splitlines()]


def test_round_robin_over_checked_nodes_with_redispatch():
    text = lines(haproxy.Balancer(listen="127.0.0.1:8000", nodes=NODES))
    assert "bind 127.0.0.1:8000" in text
    assert "balance roundrobin" in text
    assert "option redispatch" in text
    assert "retry-on conn-failure" in text  # a request a node received is never sent again
    assert "server web1 127.0.0.1:8001 maxconn 2" in text
    assert "server web2 127.0.0.1:8002 maxconn 3" in text
    assert "http-check expect status 200" in text
    check = next(line for line in text if line.startswith("http-check send"))
    assert "uri /healthz/" in check and "hdr Host 127.0.0.1" in check
    assert "http-response set-header X-Node %[srv_name]" in text
    assert "http-request set-header X-Forwarded-Proto http" in text  # never the client's own
    assert not any(line.startswith(("stats socket", "listen stats", "log ")) for line in text)


def test_tls_termination_tells_the_nodes_and_their_checks_https():
    text = lines(
        haproxy.Balancer(
            listen="0.0.0.0:443",
            nodes=NODES,
            host="lms.example.org",
            tls_pem="/etc/haproxy/site.pem",
            stats="127.0.0.1:8404",
            socket="/run/haproxy/admin.sock",
            log="/dev/log local0",
        )
    )
    assert "bind 0.0.0.0:443 ssl crt /etc/haproxy/site.pem alpn http/1.1" in text
    assert "http-request set-header X-Forwarded-Proto https" in text
    check = next(line for line in text if line.startswith("http-check send"))
    assert "hdr Host lms.example.org hdr X-Forwarded-Proto https" in check
    assert "stats socket /run/haproxy/admin.sock mode 600 level admin" in text
    assert "bind 127.0.0.1:8404" in text
    assert "log /dev/log local0" in text and "option httplog" in text


@pytest.mark.parametrize(
    "change",
    [
        {"listen": "8000"},
        {"nodes": ()},
        {"nodes": (NODES[0], haproxy.Node("web1", "127.0.0.1:8003"))},
        {"nodes": (haproxy.Node("web 1", "127.0.0.1:8001"),)},
        {"nodes": (haproxy.Node("web1", "127.0.0.1:99999"),)},
        {"nodes": (haproxy.Node("web1", "127.0.0.1:8001", 0),)},
        {"host": "lms.example.org\n    bind 0.0.0.0:80"},
        {"socket": "relative/admin.sock"},
        {"tls_pem": "/etc/haproxy/my site.pem"},
        {"log": "/dev/log local0\nlisten evil"},
    ],
)
def test_refuses_what_haproxy_would_misread(change):
    with pytest.raises(ValueError):
        haproxy.render(haproxy.Balancer(**{"listen": "127.0.0.1:8000", "nodes": NODES, **change}))


def test_command_line_prints_a_configuration(capsys):
    assert (
        haproxy.main(["--listen", "127.0.0.1:8000", "--node", "web1=127.0.0.1:8001", "--log", ""])
        == 0
    )
    assert "server web1 127.0.0.1:8001 maxconn 2" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        haproxy.main(["--listen", "127.0.0.1:8000", "--node", "127.0.0.1:8001"])


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy is not installed")
def test_haproxy_accepts_it(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(
        haproxy.render(
            haproxy.Balancer(
                listen="127.0.0.1:8000",
                nodes=NODES,
                stats="127.0.0.1:8404",
                socket=str(tmp_path / "admin.sock"),
                errors_dir=haproxy.ERRORS_DIR,
            )
        )
    )
    result = subprocess.run(
        ["haproxy", "-c", "-q", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_its_own_errors_are_a_page_that_asks_to_send_again():
    text = lines(haproxy.Balancer(listen="127.0.0.1:8000", nodes=NODES, errors_dir="/srv/e"))
    for code in (502, 503, 504):
        assert f"errorfile {code} /srv/e/{code}.http" in text
    assert not any("errorfile" in line for line in lines(haproxy.Balancer("a:1", NODES)))
    for code in haproxy.ERROR_CODES:
        raw = (haproxy.Path(haproxy.ERRORS_DIR) / f"{code}.http").read_bytes()
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(f"HTTP/1.1 {code} ".encode())
        assert b"Retry-After: 30" in head and b"charset=utf-8" in head
        assert "отправьте работу ещё раз" in body.decode()
        assert len(raw) < 16_000  # HAProxy's buffer holds the whole answer

"""The peers clean up after themselves; the CLI's probe and misbehave verbs end to end."""

from __future__ import annotations

import json
import signal
import socket
import ssl
import subprocess
import sys
import time

import pytest

from infranotes.cli import main
from infranotes.errors import ParseError
from infranotes.httptimeouts.peers import MODES, Peer


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_peer_stops_and_frees_its_port(mode: str) -> None:
    with Peer(mode) as peer:
        port = peer.port
        assert port > 0
        if mode != "no-accept":
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    assert _refused(port)
    assert all(not t.is_alive() for t in peer._threads)


def test_tls_peer_certificate_is_real_and_removed() -> None:
    with Peer("tls-stall") as peer:
        assert peer.certificate is not None
        cert = peer.certificate.cert
        ctx = ssl.create_default_context(cafile=str(cert))  # parses as a CA certificate
        assert ctx.cert_store_stats()["x509_ca"] == 1
        text = subprocess.run(
            ["openssl", "x509", "-in", str(cert), "-noout", "-ext", "subjectAltName"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert "IP Address:127.0.0.1" in text
    assert not cert.exists()


def test_unknown_mode_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="unknown mode 'teapot'"):
        Peer("teapot")


def test_probe_json_names_the_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    with Peer("stall-body") as peer:
        rc = main(["http", "probe", peer.url, "--read", "0.2", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert doc["fired"] == "read" and 0.18 <= doc["after_seconds"] <= 0.45
    assert doc["error"].startswith("ReadTimeout")


def test_probe_total_and_success(capsys: pytest.CaptureFixture[str]) -> None:
    with Peer("slow-headers") as peer:
        rc = main(["http", "probe", peer.url, "--read", "0.2", "--total", "0.4", "--json"])
        doc = json.loads(capsys.readouterr().out)
        assert rc == 1 and doc["fired"] == "total"
        rc = main(["http", "probe", peer.url, "--read", "0.2", "--give-up", "0.5", "--json"])
        doc = json.loads(capsys.readouterr().out)
        assert rc == 1 and doc["fired"] is None and "--give-up" in doc["error"]
    with Peer("ok") as peer:
        rc = main(["http", "probe", peer.url, "--read", "1", "--json"])
        doc = json.loads(capsys.readouterr().out)
    assert rc == 0 and doc == {**doc, "fired": None, "error": None, "status": 200}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ftp://x/"], "expected http://"),
        (["http://127.0.0.1:1/", "--read", "-1"], "--read: expected a positive number"),
        (["http://127.0.0.1:1/", "--total", "soon"], "expected a number"),
        (["http://127.0.0.1:1/", "--cafile", "/nonexistent.pem"], "No such file"),
        (["http://127.0.0.1:1/", "--client", "go", "--write", "1"], "no write timeout"),
    ],
)
def test_probe_bad_input(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["http", "probe", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_misbehave_runs_until_interrupted() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "infranotes.cli", "http", "misbehave", "--mode", "no-response",
         "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        doc = json.loads(proc.stdout.readline())
        assert doc["mode"] == "no-response" and doc["url"].endswith(f":{doc['port']}/")
        rc = main(["http", "probe", doc["url"], "--read", "0.2"])
        assert rc == 1
        time.sleep(0.2)  # the request event is printed within 0.1 s
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
        assert proc.returncode == 0
        assert json.loads(out.splitlines()[0]) == {"event": "request", "head": "GET / HTTP/1.1"}
    finally:
        proc.kill()
    assert _refused(doc["port"])


def test_misbehave_bad_mode() -> None:
    assert main(["http", "misbehave", "--mode", "bogus"]) == 2

"""``gluesim docs serve`` listens on 127.0.0.1 only and serves the built files."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path

import pytest

from gluesim.cli.docsite.serve import make_server
from gluesim.kb.errors import LocatedError


def test_serves_the_site_on_loopback_only(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<h1>hello</h1>", encoding="utf-8")
    server = make_server(tmp_path, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as response:
            assert response.read() == b"<h1>hello</h1>"
    finally:
        server.shutdown()
        server.server_close()


def test_a_busy_port_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("x", encoding="utf-8")
    first = make_server(tmp_path, 0)
    try:
        port = first.server_address[1]
        with pytest.raises(LocatedError) as caught:
            make_server(tmp_path, port)
        assert str(caught.value) == (
            f"--port {port}: cannot listen on 127.0.0.1:{port} (Address already in use); choose another port"
        )
    finally:
        first.server_close()

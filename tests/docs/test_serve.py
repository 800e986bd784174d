"""``gluesim docs serve`` listens on 127.0.0.1 only and serves the built files."""

from __future__ import annotations

import os
import threading
import urllib.error
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


@pytest.fixture
def running(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A server for a small site with a 404 page and a folder without an index; yields its base URL."""
    (tmp_path / "index.html").write_text("<h1>home</h1>", encoding="utf-8")
    (tmp_path / "404.html").write_text('<html><head><title>404</title></head><body><a href="./index.html">home</a>'
                                       '<script id="__config">{"base": "."}</script></body></html>', encoding="utf-8")
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "entry.html").write_text("entry", encoding="utf-8")
    server = make_server(tmp_path, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["/missing.html", "/kb/", "/kb", "/kb/deeper/missing.html"])
def test_missing_pages_and_folders_get_the_sites_404_page(running: str, path: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(running + path, timeout=10)
    assert caught.value.code == 404
    body = caught.value.read().decode("utf-8")
    assert '<head>\n<base href="/"><title>404</title>' in body and '{"base": "/"}' in body
    assert "Directory listing" not in body and "entry.html" not in body


def test_a_fifo_or_a_link_to_one_is_not_found_without_blocking(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: the server must not try (it would hang the request)."""
    (tmp_path / "index.html").write_text("<h1>home</h1>", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "link.html").symlink_to(tmp_path / "pipe.html")
    server = make_server(tmp_path, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name in ("pipe.html", "link.html"):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/{name}", timeout=10)
            assert caught.value.code == 404
    finally:
        server.shutdown()
        server.server_close()

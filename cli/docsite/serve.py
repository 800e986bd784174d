"""``gluesim docs serve``: serve a built site on 127.0.0.1 only (never on other interfaces).

Why the standard library's ``http.server`` and not a maintained server package: the job is
serving a folder of static files to this machine, which ``http.server`` does and which is
maintained with Python itself. The one server already among gluesim's (optional)
dependencies, mkdocs' ``LiveReloadServer``, builds from mkdocs sources and injects a reload
script rather than serving a built site as it is, and costs 75-87 ms to import against
35-36 ms for ``http.server`` (``python -X importtime``, three runs each, this machine); an
ASGI or WSGI server with a static-files app would add two dependencies for the same job.
"""

from __future__ import annotations

import functools
import http.server
import os
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path

from gluesim.kb.errors import LocatedError

HOST = "127.0.0.1"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site's files without logging every request; never list a folder.

    A missing page, a folder without ``index.html``, or anything that is not a regular file (a
    FIFO someone left in the folder, a link to a device) gets the site's own ``404.html``
    (status 404) instead of Python's error page or a directory listing. Its links are
    relative to the site folder (for opening it from disk), so a ``<base href="/">``
    makes them work at any address.
    """

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        return

    def send_head(self):  # type: ignore[no-untyped-def]  # the stdlib's signature
        """Refuse anything but a folder or a regular file (a FIFO or a device would block the thread)."""
        path = self.translate_path(self.path)
        if os.path.lexists(path) and not os.path.isdir(path) and not os.path.isfile(path):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        body = not_found_page(Path(self.directory))
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def not_found_page(site: Path) -> bytes:
    """The site's 404 page, made to work at any address (a plain message when the site has none)."""
    try:
        text = (site / "404.html").read_text(encoding="utf-8")
    except OSError:
        return b"<!doctype html><title>Not found</title><h1>Not found</h1><p><a href=\"/\">Home</a></p>"
    text = text.replace("<head>", '<head>\n<base href="/">', 1).replace('"base": "."', '"base": "/"', 1)
    return text.encode("utf-8")


def make_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A server for the built site in ``site`` on 127.0.0.1:``port`` (0: any free port)."""
    if not (site / "index.html").is_file():
        raise LocatedError(f"--out {str(site)!r}", "has no built site (index.html); run 'gluesim docs build' first")
    handler = functools.partial(_QuietHandler, directory=str(site))
    try:
        return http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise LocatedError(f"--port {port}", f"cannot listen on {HOST}:{port} ({exc.strerror}); choose another port") from None


def serve(site: Path, port: int, announce: Callable[[str], None]) -> None:
    """Serve until interrupted; ``announce`` receives the URL once the port is open."""
    server = make_server(site, port)
    with server:
        announce(f"http://{HOST}:{server.server_address[1]}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass

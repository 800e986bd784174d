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
from collections.abc import Callable
from pathlib import Path

from gluesim.kb.errors import LocatedError

HOST = "127.0.0.1"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging every request to the terminal."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        return


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

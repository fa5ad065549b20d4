"""Small local HTTP servers the integration tests talk to over real sockets on 127.0.0.1.

* ``StandInGateway`` answers ``GET /{registry}/{bin_iin}`` like the e-government gateway (CONTRACT.md §3):
  what a test put in ``records`` (200 with that JSON), 404 otherwise; ``outage`` makes every answer a
  503, ``answers`` queues raw answers (status, body, delay) for the next requests.
* ``StandInReceiver`` takes webhook POSTs and remembers them; ``fail_next`` answers 500 that many times.
* ``StandInSmtp`` receives e-mail over SMTP and remembers each message.
"""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.handle(self, None)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                server.handle(self, self.rfile.read(length))

        return Handler

    def handle(self, request: BaseHTTPRequestHandler, body: bytes | None) -> None:
        raise NotImplementedError

    @staticmethod
    def answer(request: BaseHTTPRequestHandler, status: int, body: bytes, delay: float = 0.0) -> None:
        if delay:
            time.sleep(delay)  # a slow network answer, not legal time
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting


class StandInGateway(_Server):
    def __init__(self) -> None:
        super().__init__()
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.answers: list[tuple[int, bytes, float]] = []
        self.outage = False

    def handle(self, request: BaseHTTPRequestHandler, body: bytes | None) -> None:
        parts = request.path.strip("/").split("/")
        with self.lock:
            self.requests.append({"path": request.path, "headers": dict(request.headers)})
            queued = self.answers.pop(0) if self.answers else None
            outage = self.outage
        if queued is not None:
            self.answer(request, *queued)
        elif outage:
            self.answer(request, 503, b'{"error": "maintenance"}')
        elif len(parts) == 2 and tuple(parts) in self.records:
            self.answer(request, 200, json.dumps(self.records[(parts[0], parts[1])]).encode())
        else:
            self.answer(request, 404, b'{"error": "no record"}')

    def paths(self) -> list[str]:
        with self.lock:
            return [r["path"] for r in self.requests]


class StandInReceiver(_Server):
    def __init__(self) -> None:
        super().__init__()
        self.fail_next = 0

    def handle(self, request: BaseHTTPRequestHandler, body: bytes | None) -> None:
        with self.lock:
            failing = self.fail_next > 0
            if failing:
                self.fail_next -= 1
            else:
                self.requests.append({"path": request.path, "headers": dict(request.headers),
                                      "body": json.loads(body or b"null")})
        self.answer(request, 500 if failing else 200, b"{}")

    def received(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.requests)


class StandInSmtp:
    """Just enough of an SMTP server (RFC 5321: HELO/EHLO, MAIL, RCPT, DATA, QUIT) to receive staff e-mail."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(f"{line}\r\n".encode())

            def handle(self) -> None:
                self.reply("220 stand-in ESMTP")
                envelope: dict[str, Any] = {"to": []}
                while line := self.rfile.readline():
                    command = line.decode("utf-8", "replace").strip()
                    verb = command.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 stand-in")
                    elif verb == "MAIL":
                        envelope = {"from": command[10:].strip("<>"), "to": []}
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        envelope["to"].append(command[8:].strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        lines = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(data.decode("utf-8", "replace"))
                        outer.messages.append({**envelope, "data": "".join(lines)})
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running(server: Any) -> Iterator[Any]:
    server.start()
    try:
        yield server
    finally:
        server.stop()

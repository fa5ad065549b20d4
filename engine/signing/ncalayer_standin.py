"""A stand-in for NCALayer for development, demo and tests: a local WebSocket service speaking its protocol.

NCALayer, the national signing application, listens on the user's machine (wss://127.0.0.1:13579) and
answers JSON requests of the ``kz.gov.pki.knca.commonUtils`` module, e.g.::

    {"module": "kz.gov.pki.knca.commonUtils", "method": "signXml",
     "args": ["PKCS12", "SIGNATURE", "<xml…>", "", ""]}
    → {"code": "200", "responseObject": "<signed xml…>"}

The stand-in answers ``getKeyInfo`` and ``signXml`` with one demo account's own key and certificate, issued
by the demo CA (never trusted in production). It speaks plain ``ws://`` on the loopback interface.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any

from websockets.sync.server import Server, ServerConnection, serve

from engine.signing import certificates, xmldsig
from engine.signing.keystore import Keystore

MODULE = "kz.gov.pki.knca.commonUtils"


class NcaLayerStandIn:
    def __init__(self, keys_dir: Path, *, account: str, full_name: str = "", host: str = "127.0.0.1",
                 port: int = 13579) -> None:
        keystore = Keystore(keys_dir, trust_demo=True)
        keystore.ensure(dt.datetime.now(dt.UTC))
        self.issued, self.iin = keystore.demo_personal(account, full_name=full_name or account,
                                                       now=dt.datetime.now(dt.UTC))
        self.host, self.port = host, port
        self._server: Server | None = None

    def answer(self, request: Any) -> dict[str, Any]:
        if not isinstance(request, dict) or request.get("module") != MODULE:
            return {"code": "500", "message": f"only the {MODULE} module is available"}
        args = request.get("args") or []
        if request.get("method") == "getKeyInfo":
            cert = certificates.load(self.issued.cert_pem)
            return {"code": "200", "responseObject": {
                "pem": self.issued.cert_pem.decode(), "subjectCn": certificates.common_name(cert),
                "subjectDn": cert.subject.rfc4514_string(), "issuerDn": cert.issuer.rfc4514_string(),
                "serialNumber": format(cert.serial_number, "x"), "iin": self.iin,
                "certNotBefore": str(int(cert.not_valid_before_utc.timestamp() * 1000)),
                "certNotAfter": str(int(cert.not_valid_after_utc.timestamp() * 1000))}}
        if request.get("method") == "signXml":
            if len(args) < 3 or not isinstance(args[2], str):
                return {"code": "500", "message": "signXml needs [storage, keyType, xml, …]"}
            try:
                signed = xmldsig.sign(args[2].encode(), key_pem=self.issued.key_pem, cert_pem=self.issued.cert_pem)
            except Exception as exc:  # a malformed document: NCALayer answers with an error code, not a crash
                return {"code": "500", "message": f"cannot sign: {exc}"}
            return {"code": "200", "responseObject": signed.decode()}
        return {"code": "500", "message": f"method {request.get('method')!r} is not available in the stand-in"}

    def _handle(self, connection: ServerConnection) -> None:
        for message in connection:
            try:
                request = json.loads(message)
            except ValueError:
                request = None
            connection.send(json.dumps(self.answer(request)))

    def start(self) -> int:
        """Serve in a background thread; returns the port (0 in the constructor picks a free one)."""
        self._server = serve(self._handle, self.host, self.port)
        self.port = self._server.socket.getsockname()[1]
        threading.Thread(target=self._server.serve_forever, daemon=True, name="ncalayer-standin").start()
        return self.port

    def serve_forever(self) -> None:
        with serve(self._handle, self.host, self.port) as server:
            self._server = server
            server.serve_forever()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

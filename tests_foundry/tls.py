"""An emulator over https on a free loopback port, with a throwaway CA the clients trust.

Kept small on purpose: when the emulator's own TLS (reconciler/emulator/core/tls.py) lands, this
module becomes a call to it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import trustme
import uvicorn

from reconciler.emulator import Emulator
from reconciler.emulator.server import LOOPBACK, BackgroundServer


def make_ca(folder: Path) -> tuple[Path, Path]:
    """A CA's certificate, and a key plus chain for 127.0.0.1 that it signed."""
    ca = trustme.CA()
    ca_file, server_file = folder / "ca.pem", folder / "server.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    ca.issue_cert(LOOPBACK).private_key_and_cert_chain_pem.write_to_path(str(server_file))
    return ca_file, server_file


class TlsServer(BackgroundServer):
    """BackgroundServer with uvicorn's ssl on: same free port, same start and stop."""

    def __init__(self, emulator: Emulator, cert_chain: Path) -> None:
        super().__init__(emulator)
        config = uvicorn.Config(
            emulator.app(),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ssl_certfile=str(cert_chain),
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self.url = self.url.replace("http://", "https://", 1)

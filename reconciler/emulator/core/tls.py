"""TLS for the emulator: a throwaway certificate authority and a server certificate it signs.

Some clients refuse to send a key or a token over plain http (Azure's JavaScript and Python
SDKs among them), so the emulator can serve https. The certificate is made at start for the
loopback names, and the CA's certificate is written where clients can be told to trust it.
`trustme` makes them: it exists for exactly this, on top of `cryptography`.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import trustme

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class TlsFiles:
    """PEM files for a server: its certificate chain and key, and (if known) the CA to trust."""

    cert: Path
    key: Path
    ca: Path | None = None

    def client_context(self) -> ssl.SSLContext:
        """What a client verifies this server with, e.g. ``httpx.Client(verify=...)``."""
        if self.ca is None:
            raise ValueError("these TLS files name no CA certificate to trust")
        return ssl.create_default_context(cafile=str(self.ca))


def make_certificate(directory: Path, names: Sequence[str] = LOOPBACK_NAMES) -> TlsFiles:
    """A new CA and a server certificate for `names`, written as PEM files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA(organization_name="reconciler emulator")
    server = authority.issue_cert(*names)
    files = TlsFiles(directory / "server.pem", directory / "server-key.pem", directory / "ca.pem")
    files.cert.write_bytes(b"".join(blob.bytes() for blob in server.cert_chain_pems))
    files.key.write_bytes(server.private_key_pem.bytes())
    files.key.chmod(0o600)  # a private key, even a throwaway one
    authority.cert_pem.write_to_path(str(files.ca))
    return files

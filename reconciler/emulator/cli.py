"""`reconciler emulator serve`: the emulator as a standalone server."""

from __future__ import annotations

import errno
import socket
import tempfile
from pathlib import Path

import click

from reconciler.emulator.app import Emulator
from reconciler.emulator.assistants.demo import AssistantsRoundTrip
from reconciler.emulator.core.faults import FaultSettings
from reconciler.emulator.core.gateway import Access
from reconciler.emulator.core.state import DEFAULT_MAX_FILE_BYTES, Options
from reconciler.emulator.core.tls import TlsFiles, make_certificate
from reconciler.emulator.foundry.cli import foundry_options
from reconciler.emulator.foundry.demo import FoundryRoundTrip
from reconciler.emulator.foundry.state import FoundryOptions
from reconciler.emulator.server import LOOPBACK, BackgroundServer, bind, serve, url_of

_PROBABILITY = click.FloatRange(0.0, 1.0)


@click.group(name="emulator")
def emulator_group() -> None:
    """The bundled emulator: Azure OpenAI Assistants v1 and the Microsoft Foundry agents data plane."""


@emulator_group.command(name="serve")
@click.option(
    "--host",
    default=LOOPBACK,
    show_default=True,
    help="Address to bind (loopback unless told otherwise).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db", type=click.Path(dir_okay=False), help="SQLite file that keeps state across restarts."
)
@click.option(
    "--api-key", help="The only key accepted (default: any non-empty key or bearer token)."
)
@click.option("--token", help="The only bearer token accepted (with --api-key or alone).")
@click.option(
    "--disable-local-auth",
    is_flag=True,
    help="Refuse every key with Azure's 403 AuthenticationTypeDisabled: bearer tokens only.",
)
@click.option(
    "--tls", is_flag=True, help="Serve https with a certificate made at start for loopback."
)
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), help="PEM certificate.")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), help="PEM private key.")
@click.option(
    "--latency-ms",
    default=0,
    type=click.IntRange(0, 60_000),
    help="Each response leaves this long after its request arrived.",
)
@click.option(
    "--fault-429", default=0.0, type=_PROBABILITY, help="Probability of a 429 with Retry-After."
)
@click.option("--fault-500", default=0.0, type=_PROBABILITY, help="Probability of a 500.")
@click.option(
    "--fault-drop", default=0.0, type=_PROBABILITY, help="Probability of a dropped connection."
)
@click.option(
    "--fault-lost",
    default=0.0,
    type=_PROBABILITY,
    help="Probability of a change applied, response lost.",
)
@click.option(
    "--retry-after-ms", default=1000, type=click.IntRange(0, 600_000), help="Wait advised by 429s."
)
@click.option("--seed", type=int, help="Seed of the fault generator, for reproducible runs.")
@click.option(
    "--reject-retrieval", is_flag=True, help="Reject the retrieval tool, as Azure v1 does."
)
@click.option(
    "--max-file-bytes", default=DEFAULT_MAX_FILE_BYTES, type=click.IntRange(1), show_default=True
)
@foundry_options
def serve_command(  # noqa: PLR0913, PLR0917 - one parameter per documented flag
    host: str,
    port: int,
    db: str | None,
    api_key: str | None,
    token: str | None,
    disable_local_auth: bool,
    tls: bool,
    tls_cert: str | None,
    tls_key: str | None,
    latency_ms: int,
    fault_429: float,
    fault_500: float,
    fault_drop: float,
    fault_lost: float,
    retry_after_ms: int,
    seed: int | None,
    reject_retrieval: bool,
    max_file_bytes: int,
    foundry: FoundryOptions,
) -> None:
    """Serve the emulator on HOST:PORT until interrupted."""
    faults = FaultSettings(
        latency_ms=latency_ms,
        fault_429=fault_429,
        fault_500=fault_500,
        fault_drop=fault_drop,
        fault_lost=fault_lost,
        retry_after_ms=retry_after_ms,
        seed=seed,
    )
    options = Options(max_file_bytes=max_file_bytes, reject_retrieval=reject_retrieval)
    access = Access(api_key, token, local_auth=not disable_local_auth)
    emulator = Emulator.create(
        db or ":memory:", options=options, faults=faults, access=access, foundry=foundry
    )
    files = _tls_files(tls, tls_cert, tls_key)
    sock = _listen(host, port)
    click.echo(
        f"Emulator on {url_of(sock, files)}/openai (control: /_emulator/stats, /_emulator/faults)"
    )
    if files and files.ca:
        click.echo(f"TLS: clients must trust the CA certificate {files.ca}")
    click.echo(f"Foundry projects on {url_of(sock, files)}/api/projects/{{project}}")
    serve(emulator, sock, files)


def _tls_files(tls: bool, cert: str | None, key: str | None) -> TlsFiles | None:
    if (cert is None) != (key is None):
        raise click.UsageError("--tls-cert and --tls-key go together.")
    if cert and key:
        return TlsFiles(Path(cert), Path(key))
    if not tls:
        return None
    # A fresh directory per start: the key is new each time and readable by this user only.
    return make_certificate(Path(tempfile.mkdtemp(prefix="reconciler-emulator-tls-")))


def _listen(host: str, port: int) -> socket.socket:
    try:
        sock = bind(host, port)
        # Listening before the URL is printed: a client that connects at once waits in the
        # backlog until the server accepts, instead of being refused.
        sock.listen(2048)
        return sock
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            raise click.ClickException(
                f"Cannot listen on {host}:{port}: {error.strerror}."
            ) from None
        message = (
            f"Port {port} on {host} is already in use: stop what is listening there, "
            "or choose another with --port (0 picks a free one)."
        )
        raise click.ClickException(message) from None


@emulator_group.command(name="demo")
@click.option("--db", type=click.Path(dir_okay=False), help="SQLite file for the emulator's state.")
@click.option(
    "--foundry", is_flag=True, help="A Foundry round trip (agents, vector stores) instead."
)
def demo_command(db: str | None, foundry: bool) -> None:
    """Start the emulator on a free loopback port and drive it through a scripted round trip."""
    emulator = Emulator.create(db or ":memory:")
    with BackgroundServer(emulator) as server:
        trip = (
            FoundryRoundTrip(server.url, click.echo)
            if foundry
            else AssistantsRoundTrip(server.url, click.echo)
        )
        click.echo(f"Emulator on {server.url}{trip.prefix}")
        trip.run()
        stats = emulator.stats.snapshot()
    click.echo(f"Round trip complete: {stats['total']} requests, every one answered.")

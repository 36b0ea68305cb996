"""The registry stand-in: what a container registry says an image tag is, for hosted agents.

A hosted agent's image is a tag or a digest; a client that pins tags to digests asks the
registry (OCI distribution spec: `GET /v2/<name>/manifests/<reference>` answers the manifest
with its `Docker-Content-Digest`). The emulator stands in for every registry at one control
route, the registry's host being the first part of `<name>`:
    GET /_emulator/registry/v2/{registry}/{repository}/manifests/{tag}
        200, `Docker-Content-Digest: sha256:...`, the digest in the body too; else 404 with the
        OCI error body (MANIFEST_UNKNOWN)
    PUT /_emulator/registry  {"images": {"<registry>/<repository>:<tag>": "sha256:..."}}
The tags are seeded (`--registry-tag IMAGE=DIGEST`) or put (kept until a reset); a put tag
moves, as a pushed tag does.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.web import json_body, path_param
from reconciler.emulator.foundry.state import Foundry

TAG, SCOPE = "foundry.registry.tag", "_registry"
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
MEDIA = "application/vnd.oci.image.manifest.v1+json"


def _shared(request: Request) -> Foundry:
    """The registry belongs to no project: one for the whole emulator."""
    shared: Foundry = request.app.state.foundry
    return shared


def digest_of(fd: Foundry, image: str) -> str | None:
    put = fd.state.db.get(TAG, SCOPE, image)
    return str(put["digest"]) if put is not None else dict(fd.options.registry).get(image)


async def _manifest(request: Request) -> Response:
    name, tag = path_param(request, "name"), path_param(request, "reference")
    found = digest_of(_shared(request), f"{name}:{tag}")
    if found is None:
        error = {"code": "MANIFEST_UNKNOWN", "message": "manifest unknown", "detail": {"Tag": tag}}
        return JSONResponse({"errors": [error]}, status_code=404)
    body = {"schemaVersion": 2, "mediaType": MEDIA, "digest": found}
    return JSONResponse(body, headers={"Docker-Content-Digest": found, "Content-Type": MEDIA})


async def _put(request: Request) -> Response:
    body = await json_body(request)
    images = body.get("images") if isinstance(body, dict) else None
    if not isinstance(images, dict) or not all(
        isinstance(k, str) and ":" in k and isinstance(v, str) and DIGEST.match(v)
        for k, v in images.items()
    ):
        raise bad_request(
            'Expected {"images": {"<registry>/<repository>:<tag>": "sha256:<64 hex>"}}.'
        )
    fd = _shared(request)
    with fd.state.db.transaction():
        for image, digest in images.items():
            fd.state.db.delete(TAG, SCOPE, image)
            row = {"id": image, "created_at": fd.now(), "digest": digest}
            fd.state.db.insert(TAG, SCOPE, row)
    return JSONResponse({"images": images})


CONTROL = [
    Route("/_emulator/registry/v2/{name:path}/manifests/{reference}", _manifest, methods=["GET"]),
    Route("/_emulator/registry", _put, methods=["PUT"]),
]

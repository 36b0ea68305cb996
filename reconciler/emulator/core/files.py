"""File bytes in and out, as every family takes and gives them: the multipart upload, its
limits, and the download response. What a file record holds and where it is stored is each
family's (assistants/files.py, foundry/files.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.state import State


@dataclass(frozen=True)
class Upload:
    filename: str
    purpose: str
    data: bytes


async def read_upload(
    request: Request, state: State, fields: tuple[str, ...], text_file_code: str
) -> Upload:
    """The `file` part and `purpose` of a multipart body that has no fields beyond `fields`.

    A `filename` field, where `fields` allows one, names the file instead of the part's own
    name. `text_file_code` is the error code for a `file` sent as text rather than as a part
    (the families differ). At most one byte beyond the limit is read: enough to refuse it.
    """
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise bad_request(
            "Invalid Content-Type header: expected multipart/form-data.", "Content-Type"
        )
    async with request.form(max_files=1, max_fields=len(fields)) as form:
        for name in form:
            if name not in fields:
                raise bad_request(f"Unknown parameter: '{name}'.", name, "unknown_parameter")
        upload, purpose = form.get("file"), form.get("purpose")
        if not isinstance(upload, UploadFile):
            kind = text_file_code if upload is not None else "missing_required_parameter"
            raise bad_request("Missing required parameter: 'file' (a file part).", "file", kind)
        if not isinstance(purpose, str):
            raise bad_request(
                "Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter"
            )
        override = form.get("filename")
        filename = override if isinstance(override, str) and override else upload.filename or ""
        data = await upload.read(state.options.max_file_bytes + 1)
    return Upload(filename, purpose, data)


def check_upload(state: State, filename: str, data: bytes) -> None:
    """A name, some bytes, and no more of them than the limit."""
    if not filename:
        raise bad_request(
            "Missing required parameter: 'filename'.", "filename", "missing_required_parameter"
        )
    if not data:
        raise bad_request("Invalid 'file': the file is empty.", "file", "empty_file")
    if len(data) > state.options.max_file_bytes:
        message = f"Invalid 'file': {len(data)} bytes exceeds the limit of {state.options.max_file_bytes} bytes."
        raise bad_request(message, "file", "file_too_large")


def download(filename: str, data: bytes) -> Response:
    """A file's bytes as an attachment named `filename`."""
    # RFC 6266/5987: the name travels percent-encoded as UTF-8, so any filename is a valid header.
    disposition = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    headers = {"content-disposition": disposition}
    return Response(data, media_type="application/octet-stream", headers=headers)

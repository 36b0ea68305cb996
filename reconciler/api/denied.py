"""A 401 or 403, with what to do about it: the credential's kind and the surface say which.

Azure's answers, for the record: a resource with `disableLocalAuth` answers a key with 403
`AuthenticationTypeDisabled`; a token without the role, 401 `PermissionDenied` ("lacks the
required data action"); a token for another scope, or an expired one, 401 "Access token is
missing, invalid, audience is incorrect (...), or have expired."; a wrong key, 401 "invalid
subscription key or wrong API endpoint".
"""

from __future__ import annotations

from reconciler.api.credentials import Kind
from reconciler.api.surface import Surface

DENIED = (401, 403)


def hint(code: str | None, message: str, kind: Kind, surface: Surface) -> str:
    """What the person running the command can do about a 401 or 403."""
    text = message.lower()
    if code == "AuthenticationTypeDisabled" or ("key" in text and "disabled" in text):
        return "This resource disables keys: use auth: entra."
    if kind == "key":
        return "Check the key and the endpoint: the key must be one of this resource's."
    role = f"the identity needs the role {surface.role} on the {surface.name}"
    if "expired" in text and "audience" not in text:
        return _expired(kind, surface)
    if kind == "token" and code != "PermissionDenied":
        return f"{_expired(kind, surface)} Otherwise {role}."
    return f"{role[0].upper()}{role[1:]} (tokens are for {surface.scope})."


def _expired(kind: Kind, surface: Surface) -> str:
    if kind == "token":
        return (
            "A token from ad_token_env lasts about an hour and cannot renew itself: get a new one "
            f"(az account get-access-token --scope {surface.scope}), or use auth: entra, which renews its own."
        )
    return (
        "The Entra ID token expired and no newer one was given: sign in again "
        "(az login) and check this machine's clock."
    )

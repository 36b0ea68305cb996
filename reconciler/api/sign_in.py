"""An Entra ID sign-in that failed, in one line: what failed, at which authority and tenant, and
what to do about it.

azure-identity says why in its own words: Entra ID's AADSTS codes for a refusal, urllib3's text
for an authority it could not reach (through ClientAuthenticationError from
DefaultAzureCredential's credentials, ServiceRequestError from the others). The advice follows
the cause: a tenant Entra ID does not know is not fixed by `az login`, nor a Foundry project by
an API key, which it refuses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from reconciler.api.surface import Surface

UNRESOLVED = re.compile(r"Failed to resolve '([^']+)'")
AADSTS = re.compile(r"(AADSTS\d+: .*?\.)(?: |'|$)")
ERRNO = re.compile(r"\[Errno -?\d+\] ([^)'\"\]]+)")
DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
AUTHORITY_VARIABLE = "AZURE_AUTHORITY_HOST"
MESSAGE_LIMIT = 400
UNAVAILABLE = ("unavailable", "not found", "could not be found", "not installed", "requires the")
UNREACHABLE = (
    "failed to establish a new connection",
    "failed to resolve",
    "name or service not known",
    "connection refused",
    "max retries exceeded",
    "timed out",
    "connection aborted",
    "ssl",
)
# Entra ID's codes for a tenant or app it does not know, a secret or federation it refuses.
NO_AUTHORITY = "Unable to get authority configuration"  # MSAL's, for a tenant it cannot discover
TENANT_CODES = ("AADSTS90002", "AADSTS900023", "AADSTS90072")
APP_CODES = ("AADSTS700016",)
SECRET_CODES = ("AADSTS7000215", "AADSTS7000222")
FEDERATION_CODES = ("AADSTS70021", "AADSTS700211", "AADSTS700212", "AADSTS700213")


@dataclass(frozen=True)
class SignIn:
    """Where a sign-in goes, and how auth came to be entra (`why`, empty for `auth: entra`)."""

    surface: Surface
    why: str
    authority: str
    tenant: str | None

    @classmethod
    def of(cls, surface: Surface, process: Mapping[str, str], why: str) -> SignIn:
        authority = process.get(AUTHORITY_VARIABLE) or DEFAULT_AUTHORITY
        return cls(surface, why, authority, process.get("AZURE_TENANT_ID") or None)

    def failed(self, detail: str) -> str:
        """The one-line message for azure-identity's `detail`."""
        because = f", {self.why}" if self.why else ""
        tenant = f", tenant {self.tenant}" if self.tenant else ""
        return (
            f"Entra ID sign-in for the {self.surface.name} failed (auth: entra{because}): "
            f"{_what(detail).rstrip('.')} (authority {self.authority}{tenant}). "
            f"{self._advice(detail)}"
        )

    def _advice(self, detail: str) -> str:
        if _unreachable(detail):
            where = (
                f"{AUTHORITY_VARIABLE} (it is set to {self.authority})"
                if self.authority != DEFAULT_AUTHORITY
                else "that this machine reaches it"
            )
            return f"Check the network and any proxy (HTTPS_PROXY), and {where}."
        if any(code in detail for code in TENANT_CODES) or NO_AUTHORITY in detail:
            return (
                f"Check AZURE_TENANT_ID: the authority {self.authority} knows no tenant "
                f"{self.tenant or 'by that id'}; it is the directory (tenant) id of your "
                "subscription (az account show --query tenantId)."
            )
        if any(code in detail for code in APP_CODES):
            return "Check AZURE_CLIENT_ID and AZURE_TENANT_ID: the app must be registered in that tenant."
        if any(code in detail for code in SECRET_CODES):
            return (
                "Check AZURE_CLIENT_SECRET: it must be a current secret of the app AZURE_CLIENT_ID."
            )
        if any(code in detail for code in FEDERATION_CODES):
            return (
                "The app's federated credential must match this job: subject "
                "repo:OWNER/REPO:environment:ENV (or :pull_request, :ref:refs/heads/BRANCH), "
                "issuer https://token.actions.githubusercontent.com."
            )
        key = "; or use auth: key" if self.surface.keys else ""
        return (
            "On a laptop run `az login`; in GitHub Actions give the job `permissions: id-token: "
            f"write` and set AZURE_CLIENT_ID and AZURE_TENANT_ID{key}."
        )


def _what(detail: str) -> str:
    """What went wrong: the authority out of reach, Entra ID's own sentence, or a summary."""
    if _unreachable(detail):
        return f"cannot reach the authority: {_reason(detail)}"
    if NO_AUTHORITY in detail:
        return "the authority has no configuration for this tenant"
    refused = AADSTS.search(" ".join(detail.split()))
    return refused.group(1) if refused else summary(detail)


def _unreachable(detail: str) -> bool:
    text = detail.lower()
    return "aadsts" not in text and any(word in text for word in UNREACHABLE)


def _reason(detail: str) -> str:
    """urllib3's reason, short: "connection refused", "the host name X does not resolve"."""
    text = " ".join(detail.split()).split(" To mitigate", 1)[0]
    if found := UNRESOLVED.search(text):
        return f"the host name {found.group(1)} does not resolve"
    if found := ERRNO.search(text):
        return found.group(1).strip().rstrip(".").lower()
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


def summary(detail: str) -> str:
    """azure-identity's error in one line. DefaultAzureCredential's lists every credential it
    tried: the one that failed for real, or, when none was set up, their names."""
    tried = [line.strip() for line in detail.splitlines() if line.startswith("\t") and ": " in line]
    failed = [line for line in tried if not any(w in line.lower() for w in UNAVAILABLE)]
    if tried and not failed:
        names = ", ".join(line.split(":", 1)[0].removesuffix("Credential") for line in tried)
        return f"no credential is set up (tried {names})."
    text = " ".join((failed[0] if failed else detail).split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."

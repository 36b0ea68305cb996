"""A failed call in one line: what failed, where (the method and URL) and what to do.

httpx reports a network failure as an exception whose text is the operating system's or
OpenSSL's ("[Errno -2] Name or service not known", "[SSL: WRONG_VERSION_NUMBER]"): true, but it
names neither the host nor a next step. `transport_failure` reads it as a person would (a name
that does not resolve, a port nobody listens on, https to a plain port, an untrusted
certificate, a proxy, a timeout, a dropped connection) and says so; `http_failure` adds where and
what to do to the API's own error. The query is never shown: a signed URL carries its secret
there (our calls carry only the api-version, but the rule costs nothing).
"""

from __future__ import annotations

import urllib.request

import httpx

DNS = ("name or service not known", "nodename nor servname", "getaddrinfo failed")
DNS_MORE = ("temporary failure in name resolution", "no address associated with hostname")
REFUSED = ("connection refused", "errno 111", "errno 61]", "errno 10061")
PLAIN_PORT = ("wrong_version_number", "record layer failure", "unknown protocol", "http request")
UNTRUSTED = ("certificate_verify_failed", "certificate verify failed")
ENDPOINT = "Check the environment's endpoint in reconciler.yaml"


def where(method: str, url: httpx.URL, attempts: int = 1) -> str:
    """`GET https://host/path`, and how many attempts were made when more than one."""
    shown = f"{method} {url.copy_with(query=None)}"
    return f"{shown}, {attempts} attempts" if attempts > 1 else shown


def transport_failure(error: httpx.TransportError, url: httpx.URL) -> tuple[str, str]:
    """What went wrong reaching `url`, and what to do: (what, next step)."""
    detail = " ".join(str(error).split()) or type(error).__name__
    text = detail.lower()
    host = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
    proxy = _proxy(url)
    if isinstance(error, httpx.ProxyError) or (proxy and isinstance(error, httpx.ConnectError)):
        return (
            f"the proxy {proxy or ''} failed ({detail})".replace("  ", " "),
            "Check HTTPS_PROXY, HTTP_PROXY and NO_PROXY.",
        )
    if isinstance(error, httpx.ConnectTimeout):
        return (
            f"no connection to {host} within the connect timeout",
            f"{ENDPOINT}, and that no firewall drops traffic to it.",
        )
    if isinstance(error, httpx.TimeoutException):
        return f"{host} did not answer in time ({type(error).__name__})", "Try again later."
    if isinstance(error, httpx.ConnectError):
        return _connect_failure(text, detail, url, host)
    if isinstance(error, httpx.UnsupportedProtocol):
        return f"{url.scheme!r} is not http or https", f"{ENDPOINT}."
    return (
        f"the connection to {host} was lost ({type(error).__name__}: {detail})",
        "Try again; if it keeps happening, check any proxy or firewall between here and it.",
    )


def _connect_failure(text: str, detail: str, url: httpx.URL, host: str) -> tuple[str, str]:
    if any(word in text for word in DNS + DNS_MORE):
        return (
            f"the host name {url.host} does not resolve",
            f"{ENDPOINT} (a typo, or a resource that no longer exists) and this machine's DNS.",
        )
    if any(word in text for word in REFUSED):
        return (
            f"nothing accepts connections at {host}: connection refused",
            f"{ENDPOINT} (host and port), and that the service is running.",
        )
    if any(word in text for word in PLAIN_PORT):
        return (
            f"the TLS handshake with {host} failed: it does not speak https on that port",
            f"{ENDPOINT}: http:// for a plain HTTP server, or its https port.",
        )
    if any(word in text for word in UNTRUSTED):
        return (
            f"the certificate of {host} is not trusted ({detail})",
            "Point SSL_CERT_FILE at the CA bundle that signed it (a private CA's or a proxy's).",
        )
    if "ssl" in text or "tls" in text:
        return f"the TLS handshake with {host} failed ({detail})", f"{ENDPOINT}."
    return (
        f"cannot connect to {host} ({detail})",
        f"{ENDPOINT}, and this machine's network and proxy settings.",
    )


def _proxy(url: httpx.URL) -> str | None:
    """The proxy the environment's variables send `url` through, as httpx reads them."""
    proxies = urllib.request.getproxies_environment()
    chosen = proxies.get(url.scheme) or proxies.get("all")
    if not chosen or urllib.request.proxy_bypass(url.host):
        return None
    return str(httpx.URL(chosen).copy_with(username=None, password=None))


def http_advice(status: int) -> str:
    """What to do once retries gave up on a status that retrying can fix (429, 5xx)."""
    if status == 429:
        return (
            "The service kept throttling: try again later, with a lower --parallelism, or "
            "raise the deployment's quota."
        )
    return (
        "The service kept failing: try again later; if it persists, check the service's "
        "health (Azure status, the resource's Resource health)."
    )

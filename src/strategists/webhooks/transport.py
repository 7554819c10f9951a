"""The one place a delivery crosses the network: an HTTP POST to an address checked first.

Server-side request forgery is refused twice: when an endpoint is saved (`url_problem`) and on
every send, where the host is resolved, every address checked, and the connection made to the
address that was checked (a name that resolves elsewhere a second later changes nothing).
Redirects are never followed. Only loopback addresses are let through, and only when
`WEBHOOKS_ALLOW_LOCAL` is on (development and tests).
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

EXCERPT_BYTES = 1000


class Refused(Exception):
    """The address is not one deliveries may go to."""


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


def _allow_local() -> bool:
    return settings.WEBHOOKS_ALLOW_LOCAL


def address_allowed(address: str, *, allow_local: bool) -> bool:
    """Public addresses only; loopback too when allowed. Private, link-local (cloud metadata
    at 169.254.169.254), shared, reserved and multicast ranges never."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_local
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(_("The host %(host)s could not be found.") % {"host": host}) from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_addresses(host: str, port: int, *, allow_local: bool) -> list[str]:
    addresses = resolve(host, port)
    refused = [a for a in addresses if not address_allowed(a, allow_local=allow_local)]
    if refused or not addresses:
        raise Refused(
            _("%(host)s is a private or local address; webhooks go to public addresses only.")
            % {"host": host}
        )
    return addresses


def url_problem(url: str, *, allow_local: bool | None = None) -> str | None:
    """Why deliveries may not go to `url`, in words for the person who typed it; None if fine."""
    allow_local = _allow_local() if allow_local is None else allow_local
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("Enter a valid URL.")
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or not host:
        return _("Enter a URL that starts with https://.")
    if parts.username or parts.password:
        return _("Leave the user name and password out of the URL; the signature authenticates us.")
    try:
        addresses = checked_addresses(
            host, port or (443 if parts.scheme == "https" else 80), allow_local=allow_local
        )
    except Refused as exc:
        return str(exc)
    loopback = all(ipaddress.ip_address(a.split("%", 1)[0]).is_loopback for a in addresses)
    if parts.scheme == "http" and not (allow_local and loopback):
        return _("Enter a URL that starts with https://: deliveries carry people's data.")
    return None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body` to `url`; the answer's status and the start of its body. Raises Refused for
    an address deliveries may not reach, OSError (or http.client's errors) when the network or
    the receiver fails."""
    problem = url_problem(url)
    if problem:
        raise Refused(problem)
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = checked_addresses(parts.hostname, port, allow_local=_allow_local())[0]
    if https:
        connection = _PinnedHTTPSConnection(
            parts.hostname, port, address, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTPConnection(parts.hostname, port, address, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        return Answer(response.status, excerpt)
    finally:
        connection.close()

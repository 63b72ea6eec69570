"""The address guard: never connect to private, loopback, link-local or reserved addresses.

Why at connect time, not on the URL: a check of the host name before the request can be
bypassed. DNS may answer a public address to the check and a private one to the connect (DNS
rebinding), and any redirect may point anywhere. So the guard is called by the network backend
(see transport.py) for every new connection: it resolves the host itself, checks *every*
address it got, and the backend then connects to one of those checked addresses, never to the
name again. TLS still verifies the certificate and sends SNI for the host name, because
httpcore hands the name to ``start_tls`` separately from the address we connected to.

Hosts that are IP literals are parsed here and never sent to DNS, including the legacy forms
that browsers and ``inet_aton`` accept and that are classic filter bypasses: ``2130706433``,
``0177.0.0.1``, ``0x7f.1`` (all 127.0.0.1), parsed as the WHATWG URL standard says.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from operator import attrgetter
from typing import Any

from scraper.config import FetchConfig
from scraper.errors import BlockedAddressError

__all__ = ["AddressGuard", "IPAddress", "Resolver", "blocked_reason", "parse_ip_literal"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# host, port -> the IP addresses (as strings) the name resolves to, in preference order
Resolver = Callable[[str, int], Awaitable[list[str]]]

# Why an address is refused, checked in this order; the first that applies names the reason.
_BLOCKED_CATEGORIES: tuple[tuple[str, Callable[[Any], bool]], ...] = (
    ("unspecified", attrgetter("is_unspecified")),
    ("loopback", attrgetter("is_loopback")),
    ("link-local (cloud metadata lives here)", attrgetter("is_link_local")),
    ("multicast", attrgetter("is_multicast")),
    ("reserved", attrgetter("is_reserved")),
    ("private", attrgetter("is_private")),
    ("not globally routable", lambda ip: not ip.is_global),
)

# RFC 6761: these names are loopback whatever DNS says; refuse them without asking DNS.
_LOOPBACK_NAMES = ("localhost", "localhost.")
_LOOPBACK_SUFFIXES = (".localhost", ".localhost.")


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes when it is an IP literal, else None (a name).

    Accepts IPv6 with or without brackets and every IPv4 form of the WHATWG URL parser:
    1 to 4 dot-separated parts, each decimal, octal (leading 0) or hex (0x).

    Raises:
        ValueError: the host ends in a number but is not a valid IPv4 address.

    Example:
        >>> parse_ip_literal("0177.0.0.1")
        IPv4Address('127.0.0.1')
    """
    bare = host.strip("[]")
    if ":" in bare:
        return ipaddress.ip_address(bare.split("%", 1)[0])
    parts = bare.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not parts or not _looks_numeric(parts[-1]):
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if len(numbers) > 4 or any(n is None for n in numbers):
        raise ValueError(f"{host!r} looks like an IPv4 address but is not one")
    return _ipv4_from_numbers([n for n in numbers if n is not None], host)


def _looks_numeric(part: str) -> bool:
    """WHATWG "ends in a number": the last label is decimal digits or 0x-hex."""
    hexa = part[2:] if part[:2].lower() == "0x" else None
    if hexa is not None:
        return all(c in "0123456789abcdefABCDEF" for c in hexa)
    return part.isascii() and part.isdigit()


def _ipv4_number(part: str) -> int | None:
    """One WHATWG IPv4 part as a number (0x hex, 0 octal, decimal), or None."""
    base, digits = 10, part
    if part[:2].lower() == "0x":
        base, digits = 16, part[2:] or "0"
    elif len(part) > 1 and part.startswith("0"):
        base, digits = 8, part[1:]
    try:
        return int(digits, base) if digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


def _ipv4_from_numbers(numbers: list[int], host: str) -> ipaddress.IPv4Address:
    """Combine WHATWG IPv4 parts: all but the last are bytes, the last fills the rest."""
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(f"{host!r} looks like an IPv4 address but a part is out of range")
    value = last + sum(n << (8 * (3 - i)) for i, n in enumerate(leading))
    return ipaddress.IPv4Address(value)


def blocked_reason(ip: IPAddress) -> str | None:
    """Why an address may not be connected to (e.g. "loopback"), or None when it is public.

    IPv4 addresses wrapped in IPv6 (::ffff:a.b.c.d, 6to4, Teredo) are judged by the IPv4
    address inside, so that wrapping cannot smuggle a private target through.

    Example:
        >>> blocked_reason(ipaddress.ip_address("169.254.169.254"))
        'link-local (cloud metadata lives here)'
    """
    for inner in _embedded_ipv4(ip):
        reason = blocked_reason(inner)
        if reason:
            return reason
    for reason, applies in _BLOCKED_CATEGORIES:
        if applies(ip):
            return reason
    return None


def _embedded_ipv4(ip: IPAddress) -> Iterable[ipaddress.IPv4Address]:
    """IPv4 addresses carried inside an IPv6 address (mapped, 6to4, Teredo server/client)."""
    if isinstance(ip, ipaddress.IPv4Address):
        return ()
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    return [inner for inner in found if inner is not None]


class AddressGuard:
    """Resolves host names and refuses any that lead to a non-public address.

    Args:
        allow_private: allow every address (tests on 127.0.0.1, intranet crawls).
        allowed_networks: CIDRs allowed even when ``allow_private`` is false.
        resolver: how names are resolved; the default asks the system resolver.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allowed_networks: Iterable[str] = (),
        resolver: Resolver | None = None,
    ) -> None:
        self._allow_private = allow_private
        self._allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)
        self._resolver = resolver or _system_resolve

    @classmethod
    def from_config(cls, config: FetchConfig, resolver: Resolver | None = None) -> AddressGuard:
        """The guard the [fetch] section asks for."""
        return cls(
            allow_private=config.allow_private_addresses,
            allowed_networks=config.allowed_networks,
            resolver=resolver,
        )

    async def resolve(self, host: str, port: int) -> list[str]:
        """Every address of ``host``, each checked; connect only to these.

        Raises:
            BlockedAddressError: the host, or any address it resolves to, is refused
                (its ``url`` is "host:port"; the fetcher re-raises it with the page URL).
            OSError: the name does not resolve (socket.gaierror).
        """
        where = f"{host}:{port}"
        try:
            literal = parse_ip_literal(host)
        except ValueError as exc:
            raise BlockedAddressError(where, f"{exc}; use a valid host") from exc
        if literal is not None:
            self.check(literal, host, where)
            return [str(literal)]
        if not self._allow_private and host.lower().endswith(_LOOPBACK_SUFFIXES + _LOOPBACK_NAMES):
            raise BlockedAddressError(where, f"{host} is a loopback name; {_HOW_TO_ALLOW}")
        addresses = await self._resolver(host, port)
        for address in addresses:
            self.check(ipaddress.ip_address(address.split("%", 1)[0]), host, where)
        return addresses

    def check(self, ip: IPAddress, host: str, where: str) -> None:
        """Raise BlockedAddressError when the configuration does not allow ``ip``."""
        if self._allow_private or any(ip in network for network in self._allowed):
            return
        reason = blocked_reason(ip)
        if reason:
            shown = host if host == str(ip) else f"{host} resolves to {ip}, which"
            raise BlockedAddressError(where, f"{shown} is a {reason} address; {_HOW_TO_ALLOW}")


_HOW_TO_ALLOW = (
    "refused to protect internal services; set fetch.allow_private_addresses = true "
    "(or --allow-private) if you really mean to fetch it"
)


async def _system_resolve(host: str, port: int) -> list[str]:
    """The system resolver's addresses for host, without duplicates, in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))

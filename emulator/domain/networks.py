"""The addresses and networks an IP allow-list holds (guide, "IP Restriction"), written as
one pattern that the control plane checks and the OpenAPI document states, so that the two
agree on what is valid: an IPv4 or IPv6 address, optionally with a prefix length
(``10.0.0.0/8``, ``2001:db8::/32``). Host bits may be set (``10.1.2.3/8`` is ``10.0.0.0/8``).
"""

from __future__ import annotations

import ipaddress
import re

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(\.{_OCTET}){{3}}"
_H16 = r"[0-9A-Fa-f]{1,4}"
_LS32 = rf"({_H16}:{_H16}|{_IPV4})"
#: RFC 3986's IPv6address, spelled out form by form.
_IPV6 = "|".join(
    [
        rf"({_H16}:){{6}}{_LS32}",
        rf"::({_H16}:){{5}}{_LS32}",
        rf"({_H16})?::({_H16}:){{4}}{_LS32}",
        rf"(({_H16}:){{0,1}}{_H16})?::({_H16}:){{3}}{_LS32}",
        rf"(({_H16}:){{0,2}}{_H16})?::({_H16}:){{2}}{_LS32}",
        rf"(({_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
        rf"(({_H16}:){{0,4}}{_H16})?::{_LS32}",
        rf"(({_H16}:){{0,5}}{_H16})?::{_H16}",
        rf"(({_H16}:){{0,6}}{_H16})?::",
    ]
)
_PREFIX4 = r"(3[0-2]|[12]?[0-9])"
_PREFIX6 = r"(12[0-8]|1[01][0-9]|[1-9]?[0-9])"
#: An allow-list entry (a JSON Schema ``pattern``: ECMA-262 syntax, anchored).
PATTERN = rf"^(({_IPV4})(/{_PREFIX4})?|({_IPV6})(/{_PREFIX6})?)$"
_ENTRY = re.compile(PATTERN)


def network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """The network an allow-list entry names; ValueError for anything else."""
    if not isinstance(text, str) or _ENTRY.fullmatch(text) is None:
        raise ValueError("expected IP addresses or networks such as 10.0.0.0/8")
    return ipaddress.ip_network(text, strict=False)

"""Which network addresses the fetcher may connect to.

Only public unicast addresses, unless an operator trusts a private range for a closed network
(or the tests trust loopback). Cloud metadata endpoints are refused even then: no setting
should ever let an imported URL read instance credentials.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


def refusal(address):
    """Why `address` may not be contacted, or None when it may."""
    ip = ipaddress.ip_address(address)
    if ip in METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if any(ip in network for network in trusted_networks(tuple(_trusted_setting()))):
        return None
    for embedded in _embedded_ipv4(ip):
        if not _is_public(embedded) or embedded in METADATA_ADDRESSES:
            return f"{ip} embeds the non-public address {embedded}"
    if not _is_public(ip):
        return f"{ip} is not a public address ({_kind(ip)})"
    return None


def _is_public(ip):
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _kind(ip):
    for name in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    return "not globally routable"


def _embedded_ipv4(ip):
    """IPv4 addresses an IPv6 address smuggles in (mapped, NAT64, 6to4, Teredo)."""
    if ip.version != 6:
        return []
    found = [ip.ipv4_mapped, ip.sixtofour]
    if ip.teredo:
        found.extend(ip.teredo)
    if ip in NAT64_PREFIX:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def _trusted_setting():
    return settings.NEWSROOM_IMAGE_TRUSTED_NETWORKS


@lru_cache(maxsize=8)
def trusted_networks(entries):
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]

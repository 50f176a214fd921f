"""Which addresses the fetcher may connect to: public unicast only, metadata never."""

import pytest

from articles.images.addresses import refusal

REFUSED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.1.1",
    "100.64.0.1",
    "100.100.100.200",
    "0.0.0.0",
    "224.0.0.1",
    "224.0.1.1",
    "240.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2002:a00:1::1",
]
ALLOWED = ["93.184.215.14", "8.8.8.8", "2606:4700::6810:84e5", "2002:5db8:d70e::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address):
    assert refusal(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address):
    assert refusal(address) is None


def test_trusted_network_admits_its_private_range_only(settings):
    settings.NEWSROOM_IMAGE_TRUSTED_NETWORKS = ["10.20.0.0/16"]
    assert refusal("10.20.3.4") is None
    assert refusal("10.21.0.1")
    assert refusal("127.0.0.1")


def test_metadata_addresses_stay_refused_when_their_network_is_trusted(settings):
    settings.NEWSROOM_IMAGE_TRUSTED_NETWORKS = ["169.254.0.0/16", "fd00::/8"]
    assert refusal("169.254.1.1") is None
    assert "metadata" in refusal("169.254.169.254")
    assert "metadata" in refusal("fd00:ec2::254")

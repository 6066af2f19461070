"""The SSRF refusal list. No test here sends a packet to a non-loopback address: the
address checks resolve numeric hosts locally, and end-to-end cases use loopback servers."""

import pytest

from jobmate.http import FetchError, fetch
from jobmate.urlsafety import UnsafeURL, check_url, is_public_address, public_addresses

NOT_PUBLIC = [
    "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.10",
    "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254",  # AWS IPv6 metadata
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",  # IPv4-mapped
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "ff02::1",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4007:80c::200e"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_private_local_and_metadata_addresses_are_refused(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8000/admin/", "http://[::1]/",
    "http://2130706433/",  # 127.0.0.1 in decimal
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hex
    "http://127.1/",  # short form
    "http://017700000001/",  # octal, whole
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",  # mapped metadata address
    "http://169.254.169.254/latest/meta-data/", "https://10.1.2.3/", "http://0.0.0.0:5432/",
])
def test_urls_that_resolve_to_non_public_addresses_are_refused(url):
    with pytest.raises(UnsafeURL, match="private or local address"):
        public_addresses(url)


@pytest.mark.parametrize("url, reason", [
    ("ftp://example.com/file", "Only http"),
    ("file:///etc/passwd", "Only http"),
    ("javascript:alert(1)", "Only http"),
    ("gopher://127.0.0.1:6379/_INFO", "Only http"),
    ("http:///no-host", "no host"),
    ("http://user:secret@example.com/", "user name or password"),
    ("http://example.com:99999/", "not a valid web address"),
])
def test_malformed_or_non_web_urls_are_refused_without_a_lookup(url, reason):
    with pytest.raises(UnsafeURL, match=reason):
        check_url(url)


def test_a_public_numeric_address_passes():
    assert public_addresses("https://8.8.8.8/jobs") == ["8.8.8.8"]


def test_guarded_fetch_never_reaches_a_loopback_server(web_server):
    web_server.routes["/"] = (200, {}, "secret admin page")
    with pytest.raises(UnsafeURL):
        fetch(f"{web_server.url}/", guarded=True)
    assert web_server.requests == []


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/", "http://localhost:{port}/",
                                    "http://[::ffff:127.0.0.1]:{port}/", "http://2130706433:{port}/"])
def test_a_redirect_to_a_local_address_is_refused(settings, make_web_server, target):
    # The first server stands in for a public job page (allowed explicitly); it redirects
    # to a second, local one that must never be reached.
    public, private = make_web_server(), make_web_server()
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{public.port}"]
    public.routes["/job"] = (302, {"Location": target.format(port=private.port)}, "")
    private.routes["/"] = (200, {}, "internal")
    with pytest.raises(UnsafeURL):
        fetch(f"{public.url}/job", guarded=True)
    assert public.requests == ["/job"]
    assert private.requests == []


def test_more_than_five_redirects_is_an_error(settings, web_server):
    settings.JOBMATE_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{web_server.port}"]
    for n in range(7):
        web_server.routes[f"/{n}"] = (302, {"Location": f"/{n + 1}"}, "")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(f"{web_server.url}/0", guarded=True)

"""The offline JSON-LD loader: bundled contexts only, strict canonicalization."""

import json
import socket

import pytest
from pyld import BUNDLED_CONTEXTS

from strategists.curriculum.vc.dataintegrity import CanonicalizationError, canonicalize
from strategists.curriculum.vc.loader import (
    BUNDLED_CONTEXT_FILES,
    CREDENTIALS_V2_CONTEXT,
    DID_V1_CONTEXT,
    OfflineDocumentLoader,
    UnknownDocumentError,
    default_loader,
    load_bundled_context,
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_every_bundled_context_loads():
    loader = OfflineDocumentLoader()
    for url in BUNDLED_CONTEXT_FILES:
        remote = loader(url, {})
        assert remote["documentUrl"] == url
        assert "@context" in remote["document"]


@pytest.mark.parametrize("url", [CREDENTIALS_V2_CONTEXT, DID_V1_CONTEXT])
def test_pinned_w3c_contexts_match_the_ones_pyld_ships(url):
    # If a pyld upgrade refreshes its copy, this says so: our copy is pinned
    # because a changed context changes what old signatures cover.
    assert load_bundled_context(url) == json.loads(BUNDLED_CONTEXTS[url].read_text("utf-8"))


def test_loader_refuses_unknown_url_without_fetching():
    with pytest.raises(UnknownDocumentError, match="refusing to fetch") as caught:
        OfflineDocumentLoader()("https://example.com/contexts/v1", {})
    assert caught.value.url == "https://example.com/contexts/v1"


def test_document_with_unknown_context_raises_a_clear_error():
    document = {
        "@context": [CREDENTIALS_V2_CONTEXT, "https://example.com/contexts/v1"],
        "type": ["VerifiableCredential"],
    }
    with pytest.raises(
        CanonicalizationError, match=r"refusing to fetch .*https://example.com/contexts/v1"
    ) as caught:
        canonicalize(document)
    assert isinstance(caught.value.__cause__, UnknownDocumentError)


def test_unknown_nested_and_scoped_contexts_are_refused_too():
    document = {
        "@context": {
            "@import": "https://example.com/imported.jsonld",
            "name": "https://schema.org/name",
        },
        "name": "x",
    }
    with pytest.raises(CanonicalizationError, match="refusing to fetch"):
        canonicalize(document)


def test_registered_documents_are_served_and_copied():
    loader = OfflineDocumentLoader()
    context = {"@context": {"nickname": "https://example.com/vocab#nickname"}}
    loader.register("https://example.com/ctx", context)
    context["@context"]["nickname"] = "https://attacker.example/changed"
    document = {
        "@context": "https://example.com/ctx",
        "@id": "https://example.com/me",
        "nickname": "Al",
    }
    assert canonicalize(document, loader=loader) == (
        '<https://example.com/me> <https://example.com/vocab#nickname> "Al" .\n'
    )
    assert "https://example.com/ctx" in loader
    # Registration on one loader does not leak into another (or the default).
    with pytest.raises(CanonicalizationError, match="refusing to fetch"):
        canonicalize(document)
    loader.unregister("https://example.com/ctx")
    with pytest.raises(CanonicalizationError, match="refusing to fetch"):
        canonicalize(document, loader=loader)


def test_replacing_a_registered_context_takes_effect():
    loader = OfflineDocumentLoader()
    document = {
        "@context": "https://example.com/ctx",
        "@id": "https://example.com/me",
        "nick": "Al",
    }
    loader.register("https://example.com/ctx", {"@context": {"nick": "https://example.com/a#nick"}})
    assert "example.com/a#nick" in canonicalize(document, loader=loader)
    loader.register("https://example.com/ctx", {"@context": {"nick": "https://example.com/b#nick"}})
    assert "example.com/b#nick" in canonicalize(document, loader=loader)


def test_default_loader_is_shared():
    assert default_loader() is default_loader()


def test_a_term_that_does_not_expand_is_an_error():
    document = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject", "favouriteColour": "green"},
    }
    with pytest.raises(CanonicalizationError, match="favouriteColour"):
        canonicalize(document)


def test_an_undefined_type_is_an_error():
    document = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "type": ["VerifiableCredential", "MadeUpCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    }
    with pytest.raises(CanonicalizationError, match="MadeUpCredential"):
        canonicalize(document)


def test_a_relative_id_is_an_error():
    document = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "id": "credentials/1",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    }
    with pytest.raises(CanonicalizationError, match="credentials/1"):
        canonicalize(document)


def test_an_unknown_keyword_is_an_error():
    document = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "@foo": "bar",
        "type": ["VerifiableCredential"],
    }
    with pytest.raises(CanonicalizationError, match="@foo"):
        canonicalize(document)


def test_json_literals_are_allowed():
    document = {
        "@context": [{"data": {"@id": "https://example.com/vocab#data", "@type": "@json"}}],
        "@id": "https://example.com/thing",
        "data": {"any": ["json", 1]},
    }
    assert "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>" in canonicalize(document)

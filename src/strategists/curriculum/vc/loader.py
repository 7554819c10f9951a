"""Offline JSON-LD document loader: bundled contexts only, never the network.

A credential's signature covers the RDF produced through its ``@context``s, so
the contexts are part of what is verified. Fetching them at verification time
would let whoever controls (or spoofs) a context URL change what a signed
credential means, and would make verification depend on third-party uptime.
Every context this package needs therefore ships as package data, and any
other URL raises :class:`UnknownDocumentError` instead of being fetched.

Documents that only exist at run time (the platform's own DID document, say)
can be added with :meth:`OfflineDocumentLoader.register`.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Mapping
from importlib import resources
from typing import Any, cast

from pyld.context_resolver import ContextResolver

CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY_V2_CONTEXT = "https://w3id.org/security/data-integrity/v2"
DID_V1_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1_CONTEXT = "https://w3id.org/security/multikey/v1"
OPEN_BADGES_V3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# URL -> file in ./contexts/. See contexts/SOURCES.md for where each came from.
BUNDLED_CONTEXT_FILES: Mapping[str, str] = {
    CREDENTIALS_V2_CONTEXT: "www.w3.org_ns_credentials_v2.jsonld",
    DATA_INTEGRITY_V2_CONTEXT: "w3id.org_security_data-integrity_v2.jsonld",
    DID_V1_CONTEXT: "www.w3.org_ns_did_v1.jsonld",
    MULTIKEY_V1_CONTEXT: "w3id.org_security_multikey_v1.jsonld",
    OPEN_BADGES_V3_CONTEXT: "purl.imsglobal.org_spec_ob_v3p0_context-3.0.3.json",
}

# Resolved contexts are cached per loader; inline contexts are cached too, keyed
# by their content, so the cache is bounded against documents that each carry a
# different inline context.
_RESOLVED_CONTEXT_CACHE_SIZE = 256


class UnknownDocumentError(LookupError):
    """A JSON-LD document was requested that is neither bundled nor registered."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            f"refusing to fetch JSON-LD document {url!r}: it is not bundled with "
            "strategists.curriculum.vc and was not registered; contexts are never "
            "loaded from the network"
        )


def load_bundled_context(url: str) -> dict[str, Any]:
    """Return a fresh parsed copy of a bundled context."""
    file_name = BUNDLED_CONTEXT_FILES[url]
    text = resources.files(__package__).joinpath("contexts", file_name).read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


class _BoundedCache(dict[str, Any]):
    """A dict that empties itself when full: enough for pyld's context cache."""

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self) >= _RESOLVED_CONTEXT_CACHE_SIZE and key not in self:
            self.clear()
        super().__setitem__(key, value)


class OfflineDocumentLoader:
    """A pyld document loader that serves a fixed set of documents.

    Call it as pyld does, ``loader(url, options)``; pass
    :meth:`processing_options` to pyld functions so that its context cache is
    this loader's own rather than pyld's process-wide one (which another loader
    could have filled).
    """

    def __init__(
        self,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        include_bundled: bool = True,
    ) -> None:
        self._lock = threading.Lock()
        self._bundled: dict[str, dict[str, Any]] = {}
        if include_bundled:
            self._bundled = {url: load_bundled_context(url) for url in BUNDLED_CONTEXT_FILES}
        self._registered: dict[str, dict[str, Any]] = {}
        self._resolved_contexts = _BoundedCache()
        for url, document in (documents or {}).items():
            self.register(url, document)

    def register(self, url: str, document: Mapping[str, Any]) -> None:
        """Serve ``document`` for ``url`` from now on (replacing any earlier one).

        The document is copied, so later changes by the caller have no effect.
        """
        if not isinstance(url, str) or not url:
            raise ValueError("a document URL must be a non-empty string")
        if not isinstance(document, Mapping):
            raise TypeError("a JSON-LD document must be a JSON object")
        # A JSON round-trip both deep-copies and rejects non-JSON values early.
        frozen = json.loads(json.dumps(document))
        with self._lock:
            self._registered[url] = frozen
            # A context cached under the old content would otherwise outlive it.
            self._resolved_contexts.clear()

    def unregister(self, url: str) -> None:
        with self._lock:
            self._registered.pop(url, None)
            self._resolved_contexts.clear()

    def __contains__(self, url: object) -> bool:
        return url in self._registered or url in self._bundled

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(self._bundled) | frozenset(self._registered)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        with self._lock:
            registered = self._registered.get(url)
        if registered is not None:
            document, tag = registered, None
        elif url in self._bundled:
            # "static" lets pyld keep the resolved context across operations;
            # bundled contexts never change while the process runs.
            document, tag = self._bundled[url], "static"
        else:
            raise UnknownDocumentError(url)
        remote_document = {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            # pyld rewrites parts of loaded contexts in place; hand out copies.
            "document": copy.deepcopy(document),
        }
        if tag:
            remote_document["tag"] = tag
        return remote_document

    def processing_options(self) -> dict[str, Any]:
        """Options for pyld's expand/normalize that route all loads through this loader."""
        return {
            "documentLoader": self,
            "contextResolver": ContextResolver(self._resolved_contexts, self),
        }


_default_loader: OfflineDocumentLoader | None = None
_default_loader_lock = threading.Lock()


def default_loader() -> OfflineDocumentLoader:
    """The process-wide loader used when a function is not given one."""
    global _default_loader
    with _default_loader_lock:
        if _default_loader is None:
            _default_loader = OfflineDocumentLoader()
        return _default_loader

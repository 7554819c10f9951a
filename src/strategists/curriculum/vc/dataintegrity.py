"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite.

Follows W3C "Data Integrity EdDSA Cryptosuites v1.0", section eddsa-rdfc-2022:

* proof configuration = the proof options (everything in the proof except
  ``proofValue``) with the unsecured document's ``@context``;
* hash data = SHA-256(RDFC-1.0(proof configuration)) ‖ SHA-256(RDFC-1.0(document
  without ``proof``)), 64 bytes;
* ``proofValue`` = multibase base58btc of the Ed25519 signature of those 64 bytes.

Canonicalization is strict: a property or type that does not expand to an
absolute IRI would be dropped by JSON-LD and so left out of what is signed, and
that is an error here rather than silently unsecured data.
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld import jsonld
from pyld.canon import URDNA2015

from . import limits
from .limits import LimitExceeded
from .loader import OfflineDocumentLoader, UnknownDocumentError, default_loader
from .multibase import MultibaseError, multibase_decode, multibase_encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"

# Result codes for VerificationResult.code, so callers can branch without
# parsing the human-readable reason.
VERIFIED = "verified"
SIGNATURE_MISMATCH = "signature_mismatch"
UNKNOWN_KEY = "unknown_key"
UNSUPPORTED_CRYPTOSUITE = "unsupported_cryptosuite"
WRONG_PROOF_PURPOSE = "wrong_proof_purpose"
MALFORMED_PROOF = "malformed_proof"
NOT_CANONICALIZABLE = "not_canonicalizable"
TOO_COMPLEX = "too_complex"


class CanonicalizationError(ValueError):
    """A document cannot be turned into RDF without losing or fetching data."""


class SigningError(ValueError):
    """The document or proof options cannot be signed as given."""


class UnknownKeyError(LookupError):
    """Raised by key resolvers when a verification method is not known."""


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    reason: str
    code: str
    verification_method: str | None = None
    limit: str | None = None  # for TOO_COMPLEX, which bound (a limits.* code)

    def __bool__(self) -> bool:
        return self.valid


# pyld resolves relative IRIs against "http://example.org/base/" when there is no
# base IRI, where other processors leave them relative and drop them from the
# RDF. Either way the canonical form would be processor-dependent, so expansion
# runs against this reserved (.invalid) base and any IRI under it is refused.
_RELATIVE_IRI_BASE = "https://relative-iri.invalid/"


def _is_absolute_iri(value: str) -> bool:
    # RFC 3987: an absolute IRI has a scheme followed by ":".
    scheme, colon, _ = value.partition(":")
    return (
        bool(colon)
        and scheme[:1].isalpha()
        and all(char.isalnum() or char in "+-." for char in scheme)
    )


def _check_iri(value: Any, path: str, what: str) -> None:
    # Blank nodes and keywords (a JSON literal's "@json" type) are fine as they are.
    if not isinstance(value, str) or value.startswith("_:") or value in jsonld.KEYWORDS:
        return
    if value.startswith(_RELATIVE_IRI_BASE) or not _is_absolute_iri(value):
        relative = value.removeprefix(_RELATIVE_IRI_BASE)
        raise CanonicalizationError(
            f"{path or '/'}: {what} {relative!r} is neither defined by the @context nor an "
            "absolute IRI, so it would not be signed"
        )


def _check_expanded(node: Any, path: str) -> None:
    """Reject relative @id / @type values, which RDF conversion cannot sign faithfully."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            _check_expanded(item, f"{path}[{index}]")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@id":
            _check_iri(value, path, "id")
        elif key == "@type":
            for type_iri in value if isinstance(value, list) else [value]:
                _check_iri(type_iri, path, "type")
        elif key != "@value":
            _check_expanded(value, f"{path}/{key}")


def _unknown_keywords(node: Any) -> set[str]:
    """Keys that look like JSON-LD keywords but are not; pyld drops them unnamed."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _unknown_keywords(item)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            if key.startswith("@") and key not in jsonld.KEYWORDS:
                found.add(key)
            if key != "@context":
                found |= _unknown_keywords(value)
    return found


# Errors pyld raises (besides JsonLdError) on JSON it does not expect, such as a number
# where it wants a string; the input is anyone's, so they mean "cannot canonicalize".
_PYLD_INPUT_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError)


def expand_strictly(
    document: Mapping[str, Any], *, loader: OfflineDocumentLoader | None = None
) -> list[Any]:
    """JSON-LD-expand ``document`` offline, failing on anything that would be dropped."""
    if not isinstance(document, Mapping):
        raise CanonicalizationError("a JSON-LD document must be a JSON object")
    loader = loader or default_loader()
    dropped: list[str | None] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    options = loader.processing_options()
    options["base"] = _RELATIVE_IRI_BASE
    try:
        expanded = processor.expand(dict(document), options)
    except jsonld.JsonLdError as error:
        unknown = _find_cause(error, UnknownDocumentError)
        if unknown is not None:
            raise CanonicalizationError(str(unknown)) from unknown
        raise CanonicalizationError(f"invalid JSON-LD: {_describe_jsonld_error(error)}") from error
    except _PYLD_INPUT_ERRORS as error:
        raise CanonicalizationError(f"invalid JSON-LD: {error}") from error
    if dropped:
        names = ", ".join(sorted({name for name in dropped if name} | _unknown_keywords(document)))
        raise CanonicalizationError(
            f"these properties are not defined by the @context and would not be signed: {names}"
        )
    _check_expanded(expanded, "")
    return cast(list[Any], expanded)


class _BoundedCanonicalizer(URDNA2015):  # type: ignore[misc]  # pyld ships no types
    """pyld's RDFC-1.0 (URDNA2015) with a work budget.

    Blank nodes that look alike at first degree make the algorithm hash every order of
    them, recursively (n! orders of n nodes), so a small crafted graph can cost minutes.
    RDFC-1.0 (section 4.4) asks implementations to guard against such "poison" graphs; this
    one counts, before doing it, the work each step will take (quads hashed, orders of alike
    nodes times the identifiers copied for each) and stops with :class:`LimitExceeded`
    once the budget is spent. Credentials, whose blank nodes all differ, spend a few dozen
    units; the output is unchanged for every graph within the budget.
    """

    def __init__(self, budget: int) -> None:
        super().__init__()
        self._budget = budget
        self._left = budget

    def _spend(self, units: int) -> None:
        self._left -= units
        if self._left < 0:
            raise LimitExceeded(limits.TOO_MUCH_WORK, limit=self._budget)

    def hash_first_degree_quads(self, id_: str) -> str:
        info = self.blank_node_info[id_]
        self._spend(1 if "hash" in info else len(info["quads"]))
        return cast(str, super().hash_first_degree_quads(id_))

    def create_hash_to_related(self, id_: str, issuer: Any) -> dict[str, list[str]]:
        self._spend(len(self.blank_node_info[id_]["quads"]))
        related = cast(dict[str, list[str]], super().create_hash_to_related(id_, issuer))
        # Hash N-Degree Quads then tries every order of each group of alike related nodes,
        # copying the issuer for each; recursion into them is charged when it happens.
        for nodes in related.values():
            if len(nodes) > 12:  # 13! is beyond any budget; don't even compute it
                self._spend(self._left + 1)
            self._spend(math.factorial(len(nodes)) * (len(nodes) + len(issuer.order) + 1))
        return related


def _check_dataset(dataset: Mapping[str, list[Any]]) -> None:
    quads = sum(len(triples) for triples in dataset.values())
    if quads > limits.MAX_QUADS:
        raise LimitExceeded(limits.TOO_MANY_QUADS, limit=limits.MAX_QUADS, found=quads)
    blank_nodes = {
        term["value"]
        for name, triples in dataset.items()
        for triple in triples
        for term in (triple["subject"], triple["object"])
        if term["type"] == "blank node"
    } | {name for name in dataset if name.startswith("_:")}
    if len(blank_nodes) > limits.MAX_BLANK_NODES:
        raise LimitExceeded(
            limits.TOO_MANY_BLANK_NODES, limit=limits.MAX_BLANK_NODES, found=len(blank_nodes)
        )


def canonicalize(
    document: Mapping[str, Any],
    *,
    loader: OfflineDocumentLoader | None = None,
    budget: int = limits.CANONICALIZATION_BUDGET,
) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, offline and strict.

    Raises :class:`LimitExceeded` for a document larger or more complex than a credential
    can be (see :mod:`.limits`), before or during the work, and
    :class:`CanonicalizationError` for one that cannot be canonicalized faithfully.
    """
    limits.check_document(document)
    loader = loader or default_loader()
    expanded = expand_strictly(document, loader=loader)
    options = loader.processing_options()
    options.update(base="", produceGeneralizedRdf=False)
    try:
        dataset = jsonld.JsonLdProcessor().to_rdf(expanded, options)
        _check_dataset(dataset)
        return cast(
            str, _BoundedCanonicalizer(budget).main(dataset, {"format": "application/n-quads"})
        )
    except jsonld.JsonLdError as error:
        raise CanonicalizationError(
            f"cannot canonicalize: {_describe_jsonld_error(error)}"
        ) from error
    except LimitExceeded:
        raise
    except _PYLD_INPUT_ERRORS as error:
        raise CanonicalizationError(f"cannot canonicalize: {error}") from error


def _find_cause(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _describe_jsonld_error(error: BaseException) -> str:
    # pyld wraps the useful message several causes deep; report the innermost.
    messages = []
    seen: BaseException | None = error
    while seen is not None:
        text = seen.args[0] if seen.args and isinstance(seen.args[0], str) else str(seen)
        messages.append(text)
        seen = seen.__cause__
    return messages[-1]


def format_datetime(moment: datetime) -> str:
    """XML Schema dateTime in UTC with second precision, e.g. ``2023-02-24T23:36:38Z``."""
    if moment.tzinfo is None:
        raise ValueError("datetimes in credentials must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: Any) -> datetime:
    """Parse an XML Schema dateTimeStamp (timezone required) into an aware datetime."""
    if not isinstance(text, str) or "T" not in text:
        raise ValueError(f"{text!r} is not a date-time")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no timezone")
    return moment


def _hash_data(
    document: Mapping[str, Any], proof_options: Mapping[str, Any], loader: OfflineDocumentLoader
) -> bytes:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof_config = dict(proof_options)
    proof_config.pop("proofValue", None)
    if "@context" in unsecured:
        proof_config["@context"] = unsecured["@context"]
    proof_hash = hashlib.sha256(canonicalize(proof_config, loader=loader).encode()).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured, loader=loader).encode()).digest()
    return proof_hash + document_hash


def hash_data(
    document: Mapping[str, Any],
    proof_options: Mapping[str, Any],
    *,
    loader: OfflineDocumentLoader | None = None,
) -> bytes:
    """The 64 bytes that eddsa-rdfc-2022 signs: proof-config hash ‖ document hash."""
    return _hash_data(document, proof_options, loader or default_loader())


def sign(
    document: Mapping[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | str,
    proof_purpose: str = "assertionMethod",
    loader: OfflineDocumentLoader | None = None,
) -> dict[str, Any]:
    """Return a copy of ``document`` with an eddsa-rdfc-2022 ``DataIntegrityProof``.

    ``verification_method`` is the full key id (``did:web:...#key-2``);
    ``created`` is a timezone-aware datetime or an XML Schema dateTime string.

    Refuses (:class:`SigningError`) a document with a control character that RDFC-1.0
    implementations escape differently (see :func:`limits.find_unstable_character`): its
    signature would verify with some and not with others.
    """
    if "proof" in document:
        raise SigningError("the document already has a proof; sign the unsecured document")
    unstable = limits.find_unstable_character(document)
    if unstable is not None:
        raise SigningError(
            f"{unstable}; canonical N-Quads write it differently from one implementation to "
            "another, so the signature would not verify everywhere: remove it before signing"
        )
    if not isinstance(verification_method, str) or not _is_absolute_iri(verification_method):
        raise SigningError("verification_method must be an absolute IRI such as did:web:...#key-1")
    if isinstance(created, datetime):
        created = format_datetime(created)
    else:
        try:
            parse_datetime(created)
        except ValueError as error:
            raise SigningError(f"created: {error}") from None
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    try:
        data = _hash_data(document, proof, loader or default_loader())
    except (CanonicalizationError, LimitExceeded) as error:
        raise SigningError(str(error)) from error
    proof["proofValue"] = multibase_encode_base58btc(private_key.sign(data))
    signed = copy.deepcopy(dict(document))
    signed["proof"] = proof
    return signed


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def verify(
    signed: Mapping[str, Any],
    *,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    expected_proof_purpose: str = "assertionMethod",
    loader: OfflineDocumentLoader | None = None,
) -> VerificationResult:
    """Check the eddsa-rdfc-2022 proof on ``signed``.

    ``resolve_key(verification_method_id)`` returns the public key, or returns
    None / raises ``LookupError`` (e.g. :class:`UnknownKeyError`) when the key
    is not known. Other exceptions from it propagate: the verifier could not
    look the key up, which says nothing about the document.
    """
    if not isinstance(signed, Mapping):
        return VerificationResult(False, "the document is not a JSON object", MALFORMED_PROOF)
    proof = signed.get("proof")
    if proof is None:
        return VerificationResult(False, "the document has no proof", MALFORMED_PROOF)
    if isinstance(proof, list):
        # Proof sets/chains are valid Data Integrity, but nothing here issues them.
        return VerificationResult(
            False,
            "the document has several proofs; only a single proof is supported",
            MALFORMED_PROOF,
        )
    if not isinstance(proof, Mapping):
        return VerificationResult(False, "the proof is not a JSON object", MALFORMED_PROOF)
    if PROOF_TYPE not in _types(proof.get("type")):
        return VerificationResult(
            False, f"unsupported proof type {proof.get('type')!r}", UNSUPPORTED_CRYPTOSUITE
        )
    if proof.get("cryptosuite") != CRYPTOSUITE:
        return VerificationResult(
            False,
            f"unsupported cryptosuite {proof.get('cryptosuite')!r} (only {CRYPTOSUITE} is supported)",
            UNSUPPORTED_CRYPTOSUITE,
        )
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        return VerificationResult(False, "the proof names no verification method", MALFORMED_PROOF)
    if proof.get("proofPurpose") != expected_proof_purpose:
        return VerificationResult(
            False,
            f"the proof is for {proof.get('proofPurpose')!r}, not {expected_proof_purpose!r}",
            WRONG_PROOF_PURPOSE,
            method,
        )
    try:
        parse_datetime(proof.get("created"))
    except ValueError:
        return VerificationResult(
            False, "the proof's created date is not a valid date-time", MALFORMED_PROOF, method
        )
    try:
        signature = multibase_decode(cast(str, proof.get("proofValue")))
        if not proof["proofValue"].startswith("z"):
            raise MultibaseError("proofValue must be base58btc")
    except (MultibaseError, KeyError):
        return VerificationResult(
            False, "the proof value is not multibase base58btc", MALFORMED_PROOF, method
        )
    if len(signature) != 64:
        return VerificationResult(
            False, "the proof value is not an Ed25519 signature", MALFORMED_PROOF, method
        )
    try:
        public_key = resolve_key(method)
    except LookupError as error:
        return VerificationResult(False, f"unknown key {method}: {error}", UNKNOWN_KEY, method)
    if public_key is None:
        return VerificationResult(False, f"unknown key {method}", UNKNOWN_KEY, method)
    try:
        data = _hash_data(signed, proof, loader or default_loader())
    except LimitExceeded as error:
        return VerificationResult(
            False, f"too complex to check: {error}", TOO_COMPLEX, method, error.code
        )
    except CanonicalizationError as error:
        return VerificationResult(
            False, f"the document cannot be checked: {error}", NOT_CANONICALIZABLE, method
        )
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return VerificationResult(
            False,
            "signature does not match: the credential was changed after signing",
            SIGNATURE_MISMATCH,
            method,
        )
    return VerificationResult(True, "the signature matches", VERIFIED, method)

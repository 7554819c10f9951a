"""Verifiable credentials for 1000 Strategists: Open Badges 3.0 + Data Integrity.

Pure Python (no Django). Credentials are W3C VC Data Model 2.0
``OpenBadgeCredential``s signed with a ``DataIntegrityProof`` using the
``eddsa-rdfc-2022`` cryptosuite (Ed25519 over RDFC-1.0 canonical N-Quads). The
issuer is a ``did:web`` DID whose document lists every signing key as a
Multikey; revocation uses a W3C Bitstring Status List credential. JSON-LD
contexts are bundled in ``contexts/`` and are never fetched.

Public API (import from the submodules)
---------------------------------------

multibase
    base58btc_encode(data: bytes) -> str / base58btc_decode(text: str) -> bytes
    multibase_encode_base58btc(data) -> "z..." / multibase_encode_base64url(data) -> "u..."
    multibase_decode(text) -> bytes
    encode_public_key_multibase(Ed25519PublicKey) -> "z6Mk..."
    decode_public_key_multibase(str) -> Ed25519PublicKey
    encode_private_key_multibase(Ed25519PrivateKey) -> "z3u2..."   (for key storage)
    decode_private_key_multibase(str) -> Ed25519PrivateKey
    MultibaseError(ValueError)

loader
    OfflineDocumentLoader(documents=None, *, include_bundled=True)
        .register(url, document) / .unregister(url) / url in loader / .urls
    default_loader() -> OfflineDocumentLoader
    UnknownDocumentError(LookupError)  - any URL that is neither bundled nor registered
    CREDENTIALS_V2_CONTEXT, OPEN_BADGES_V3_CONTEXT, DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT,
    DATA_INTEGRITY_V2_CONTEXT, BUNDLED_CONTEXT_FILES

limits   (what no credential can be; measured before any expensive work)
    check_text(text)          size (MAX_BYTES = 64 kB) and bracket nesting, without parsing
    check_document(document)  nesting (MAX_DEPTH), JSON values (MAX_VALUES), @context entries
    LimitExceeded(ValueError): .code (TOO_LARGE, TOO_DEEP, TOO_MANY_VALUES, TOO_MANY_CONTEXTS,
        TOO_MANY_QUADS, TOO_MANY_BLANK_NODES, TOO_MUCH_WORK), .limit, .found
    find_unstable_character(document) -> UnstableCharacter(path, character) | None
        control characters canonical N-Quads write differently (and unpaired surrogates)
    strip_unstable_characters(text) -> str

dataintegrity
    canonicalize(document, *, loader=None, budget=CANONICALIZATION_BUDGET) -> str
        RDFC-1.0 N-Quads, strict; raises LimitExceeded past the limits or the work budget
    sign(document, *, private_key, verification_method, created,
         proof_purpose="assertionMethod", loader=None) -> dict   (copy with "proof")
        (refuses, with SigningError, a document holding an unstable character)
    verify(signed, *, resolve_key, expected_proof_purpose="assertionMethod",
           loader=None) -> VerificationResult(valid, reason, code, verification_method)
    VerificationResult.code: VERIFIED, SIGNATURE_MISMATCH, UNKNOWN_KEY,
        UNSUPPORTED_CRYPTOSUITE, WRONG_PROOF_PURPOSE, MALFORMED_PROOF, NOT_CANONICALIZABLE,
        TOO_COMPLEX
    expand_strictly(document, *, loader=None) -> list   (JSON-LD expansion, same strictness)
    hash_data(document, proof_options, *, loader=None) -> bytes   (the 64 signed bytes)
    format_datetime(datetime) -> "YYYY-MM-DDTHH:MM:SSZ";  parse_datetime(str) -> datetime
    CanonicalizationError, SigningError (ValueError); UnknownKeyError (LookupError)

did
    did_web_from_url("https://host:port/path") -> "did:web:host%3Aport:path"
    did_web_document_url(did, *, scheme="https") -> ".../.well-known/did.json"
    key_id(did, number) -> "did:web:...#key-N"
    PublishedKey(number, public_key, revoked=None)
    build_did_document(did, keys: Iterable[PublishedKey]) -> dict    (serve as did.json)
    resolve_verification_method(did_document, verification_method_id, *,
                                purpose="assertionMethod") -> Ed25519PublicKey
    key_resolver(did_document) -> resolve_key callable for dataintegrity.verify

statuslist
    StatusBitstring(size=131072): .get(i) / .set(i, value=True) / .encode() -> "u..."
        / StatusBitstring.decode(encoded) / .from_set_indices(indices, size) / .set_indices()
    build_status_list_credential(*, url, issuer, bitstring, valid_from, valid_until=None,
                                 status_purpose="revocation") -> dict   (unsigned)
    build_status_list_entry(*, status_list_url, index, status_purpose="revocation") -> dict
    parse_status_entry(entry) -> StatusEntry;  read_status_bit(status_list, entry) -> bool
    MINIMUM_ENTRIES, StatusListError(ValueError)

openbadges
    build_open_badge_credential(*, credential_id, issuer_did, issuer_name, issuer_url,
        valid_from, achievement_id, achievement_name, achievement_description,
        criteria_narrative, alignments=(), recipient_email=None, recipient_salt=None,
        subject_id=None, name=None, description=None, valid_until=None,
        credential_status=None, image_url=None, achievement_type=None,
        issuer_image_url=None, issuer_email=None, loader=None) -> dict   (unsigned)
    Alignment(target_name, target_url, target_framework=None, target_code=None,
              target_description=None)
    identity_hash(email, salt="") -> "sha256$...";  email_identity(email, *, salt=None)
    email_matches_identity(email, identity) -> bool
    check_terms_defined(credential, *, loader=None)   (raises OpenBadgeError)
    OpenBadgeError(ValueError)

badge   (images signed into credentials; deterministic)
    badge_svg(*, title, subtitle, program, level, key) -> str   (accessible SVG)
    issuer_svg(name) -> str;  svg_data_uri(svg) -> "data:image/svg+xml;base64,..."
    svg_from_data_uri(uri) -> str | None;  colour_for(key);  wrap(text, width, max_lines)

endorsement
    build_endorsement_credential(*, credential_id, endorsed_id, issuer_did, issuer_name,
        issuer_url, endorser_name, endorser_role, comment, valid_from, credential_status=None,
        loader=None) -> dict   (unsigned OB 3.0 EndorsementCredential)

verification
    verify_credential(credential, *, resolve_did_document, fetch_status_list, now,
                      loader=None) -> CredentialCheck(status: Verdict, reason, issuer,
                                                      verification_method, limit)
    Verdict: "valid", "revoked", "expired", "not yet valid", "tampered", "malformed",
        "too complex" (CredentialCheck.limit says which bound)

Typical issuing flow (the Django side owns key storage and the views)::

    did = did_web_from_url(settings_public_origin)
    entry = build_status_list_entry(status_list_url=list_url, index=award.status_index)
    unsigned = build_open_badge_credential(..., issuer_did=did, credential_status=entry)
    signed = sign(unsigned, private_key=current_key, verification_method=key_id(did, n),
                  created=now)
"""

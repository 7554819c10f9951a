"""The verifier can't be used as a weapon: hostile input gets a verdict, never an exception.

Timings live in bench/verify.py (whose hostile inputs are checked here one by one); these tests
check verdicts and reasons, the page's status codes, the command's exit status, that bounded
canonicalization gives pyld's output exactly, and that signing refuses what canonical forms
disagree on.
"""

import copy
import datetime as dt
import io
import json
import string
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from bench.verify import P, _clique, _ring, hostile_credentials
from strategists.curriculum import issuing, verifying
from strategists.curriculum.models import Credential
from strategists.curriculum.vc import dataintegrity, limits
from strategists.curriculum.vc.dataintegrity import SigningError, canonicalize, sign
from strategists.curriculum.vc.did import PublishedKey, build_did_document, key_resolver
from strategists.curriculum.vc.limits import (
    LimitExceeded,
    check_document,
    check_text,
    find_unstable_character,
)
from strategists.curriculum.vc.loader import default_loader
from strategists.curriculum.vc.verification import verify_credential
from tests.curriculum.conftest import approved, competency
from tests.factories import UserFactory

TAMPERED = ("tampered", "signature does not match: the credential was changed after signing")
VALID = ("valid", "the signature matches the issuer's key and the credential is in force")
TOO_LARGE = ("too complex", "it is larger than 65536 bytes, far larger than a credential")
TOO_DEEP = (
    "too complex",
    "it is nested more than 16 levels deep, far more than a credential needs",
)
TOO_MANY_VALUES = (
    "too complex",
    "it holds more than 1000 values, far more than a credential holds",
)
TOO_MUCH_WORK = (
    "too complex",
    "checking its signature would take far more work than any credential needs",
)
NOT_JSON = ("malformed", "this is not JSON")


def unstable(where, character):
    return (
        "malformed",
        f"{where} holds the character {character}, which canonical forms write differently "
        "from one program to another (or cannot write at all), so no signature over it can be checked reliably",
    )


EXPECTED = {
    "valid credential": VALID,
    "over 64 kB (padding)": TOO_LARGE,
    "over 64 kB (a long description)": TOO_LARGE,
    "10 MB of brackets": TOO_LARGE,
    "100,000 nested arrays": TOO_LARGE,
    "900 nested objects": TOO_DEEP,
    "17 levels deep": TOO_DEEP,
    "16 levels deep": TAMPERED,
    "huge array (30,000 numbers)": TOO_LARGE,
    "1,000 values in one array": TOO_MANY_VALUES,
    "900 values in one array": TAMPERED,
    "a @list of 600 items (1,200 quads)": (
        "too complex",
        "it makes more than 1000 statements, far more than a credential makes",
    ),
    "one @id in 150 places": TAMPERED,
    "7 blank nodes alike (clique)": TOO_MUCH_WORK,
    "10 blank nodes alike (clique)": TOO_MUCH_WORK,
    "5 blank nodes alike (clique)": TAMPERED,
    "ring of 190 blank nodes": TOO_MUCH_WORK,
    "ring of 30 blank nodes": TAMPERED,
    "30 named graphs of 3 alike": TOO_MUCH_WORK,
    "250 distinct blank nodes": (
        "too complex",
        "it has more than 200 unnamed parts, far more than a credential has",
    ),
    "190 distinct blank nodes": TAMPERED,
    "poison graph in the proof": TOO_MUCH_WORK,
    "just under every bound at once": TAMPERED,
    "60 kB string": TAMPERED,
    "@id reused 600 times": TOO_MANY_VALUES,
    "@id reused 200 times": TAMPERED,
    "@id pointing at itself, nested": TAMPERED,
    "900 contexts": (
        "too complex",
        "it names more than 8 JSON-LD contexts, more than a credential needs",
    ),
    # Repeating a context or defining unused terms doesn't change the RDF, so the signature holds.
    "8 contexts": VALID,
    "inline context of 600 terms": VALID,
    "scoped contexts 5 deep": VALID,
    "context pointing at a remote URL": (
        "malformed",
        "the document cannot be checked: refusing to fetch JSON-LD document 'https://evil.example/ctx': "
        "it is not bundled with strategists.curriculum.vc and was not registered; contexts are never loaded from "
        "the network",
    ),
    "control character in a name": unstable("/credentialSubject/name", "U+0008"),
    "not JSON (truncated)": NOT_JSON,
    "not JSON (NaN and a 5,000-digit number)": NOT_JSON,
    "not UTF-8": NOT_JSON,
    "a lone surrogate": unstable("/name", "U+D800"),
    "a lone surrogate in a credential": unstable("/name", "U+DFFF"),
    "JSON but not an object": ("malformed", "this is not a JSON object"),
    "empty object": ("malformed", "this is not a Verifiable Credential (Data Model 2.0)"),
}


@pytest.fixture
def valid(db):
    person = UserFactory(email="mona@example.net", name="Mona Member")
    approved(person, "web-and-cms", 2)
    return issuing.credentials_issue(people=[person])[0].document


def test_the_bench_and_these_tests_check_the_same_inputs(valid):
    assert [name for name, _ in hostile_credentials(valid)] == list(EXPECTED)


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_each_hostile_input_gets_its_verdict(valid, name, expected):
    text = dict(hostile_credentials(valid))[name]

    outcome = verifying.credential_verify_text(text)

    assert (outcome.status, str(outcome.reason)) == expected
    assert outcome.refused == (expected[0] == "too complex" or expected == NOT_JSON)


# --- the page and the command ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "label", "reason"),
    [
        ("over 64 kB (a long description)", 400, "Too complex to check", TOO_LARGE[1]),
        ("900 nested objects", 400, "Too complex to check", TOO_DEEP[1]),
        ("7 blank nodes alike (clique)", 400, "Too complex to check", TOO_MUCH_WORK[1]),
        ("not JSON (truncated)", 400, "Not a credential we can check", NOT_JSON[1]),
        ("16 levels deep", 200, "Tampered", TAMPERED[1]),
        ("valid credential", 200, "Valid", VALID[1]),
    ],
)
def test_the_page_answers_hostile_posts_with_a_verdict(client, valid, name, status, label, reason):
    text = dict(hostile_credentials(valid))[name]

    response = client.post(reverse("curriculum:verify"), {"credential": text})

    page = response.content.decode()
    assert (
        response.status_code,
        str(response.context["outcome"].label),
        str(response.context["outcome"].reason),
    ) == (status, label, reason)
    assert f'<span class="badge {response.context["outcome"].css}">{label}</span>' in page
    assert f"Why: {reason}." in page.replace("&#x27;", "'")


def test_the_page_answers_a_hostile_upload_with_a_verdict(client, valid):
    from django.core.files.uploadedfile import SimpleUploadedFile

    deep = ("[" * 100_000 + "]" * 100_000)[:60_000].encode()
    response = client.post(
        reverse("curriculum:verify"), {"upload": SimpleUploadedFile("c.json", deep)}
    )

    assert (
        response.status_code,
        response.context["outcome"].status,
        str(response.context["outcome"].reason),
    ) == (400, "too complex", TOO_DEEP[1])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("over 64 kB (padding)", TOO_LARGE),
        ("900 nested objects", TOO_DEEP),
        ("7 blank nodes alike (clique)", TOO_MUCH_WORK),
        ("not UTF-8", NOT_JSON),
    ],
)
def test_the_command_prints_the_verdict_and_fails(valid, tmp_path, capsys, name, expected):
    text = dict(hostile_credentials(valid))[name]
    path = tmp_path / "credential.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    with pytest.raises(SystemExit) as exit_code:
        call_command("verify", str(path))

    assert (exit_code.value.code, capsys.readouterr().out.splitlines()[0]) == (
        1,
        f"{expected[0]}: {expected[1]}",
    )


def test_the_command_reads_no_more_than_a_credential_can_be(db, tmp_path, capsys, monkeypatch):
    path = tmp_path / "huge.json"
    path.write_bytes(b"[" * 5_000_000)
    monkeypatch.setattr(sys, "stdin", io.StringIO("{" * 100_000))

    with pytest.raises(SystemExit) as from_file:
        call_command("verify", str(path))
    with pytest.raises(SystemExit) as from_stdin:
        call_command("verify", "-")

    assert (from_file.value.code, from_stdin.value.code) == (1, 1)
    assert capsys.readouterr().out == f"too complex: {TOO_LARGE[1]}\n" * 2


# --- no input raises -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@id",
                    "@type",
                    "@value",
                    "@list",
                    "@graph",
                    "@context",
                    "@language",
                    "@reverse",
                    "@included",
                    "@nest",
                    "name",
                    "type",
                    "id",
                    P,
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=40,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=json_values)
def test_random_json_never_raises_out_of_the_verifier(valid, value):
    outcome = verifying.credential_verify_text(json.dumps(value))

    assert outcome.status in {"malformed", "too complex", "other issuer"}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        alphabet=st.sampled_from('{}[]":,\\ ue0-9.@dx\x00\x08') | st.characters(), max_size=200
    )
    | st.binary(max_size=200)
)
def test_random_text_never_raises_out_of_the_verifier(valid, text):
    outcome = verifying.credential_verify_text(text)

    assert outcome.status in {"malformed", "too complex", "other issuer"}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    where=st.sampled_from(
        [
            (),
            ("credentialSubject",),
            ("credentialSubject", "achievement"),
            ("proof",),
            ("issuer",),
            ("credentialStatus",),
        ]
    ),
    key=st.sampled_from(
        [
            P,
            "@context",
            "@id",
            "@type",
            "id",
            "type",
            "name",
            "identifier",
            "validFrom",
            "credentialStatus",
            "statusListIndex",
            "verificationMethod",
            "created",
        ]
    ),
    value=json_values,
)
def test_random_json_inside_a_real_credential_never_raises(valid, where, key, value):
    """Mostly past the cheap checks (our issuer, our key, a signature), so into canonicalization."""
    document = copy.deepcopy(valid)
    target = document
    for step in where:
        target = target[step]
    target[key] = value

    outcome = verifying.credential_verify(document, email="mona@example.net")

    assert outcome.status in {"valid", "malformed", "tampered", "too complex", "other issuer"}


# --- the limits themselves (no database) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("[" * 16 + "]" * 16, None),
        ("[" * 17, limits.TOO_DEEP),
        ('["' + "[" * 40 + '"]', None),  # brackets inside a string don't nest
        ('["\\"' + "[" * 40 + '"]', None),  # nor after an escaped quote
        ('["\\\\", ' + "[" * 17 + "]", limits.TOO_DEEP),  # an escaped backslash ends nothing
        (
            '"' + '\\"' * 30_000,
            None,
        ),  # an unterminated string of escaped quotes: linear, no refusal
        ("x" * (64 * 1024), None),
        ("x" * (64 * 1024 + 1), limits.TOO_LARGE),
        ("é" * (32 * 1024 + 1), limits.TOO_LARGE),  # bytes, not characters
    ],
)
def test_check_text_measures_size_and_nesting_without_parsing(text, refused):
    try:
        check_text(text)
        code = None
    except LimitExceeded as error:
        code = error.code
    assert code == refused


def test_check_document_walks_without_recursion():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]

    with pytest.raises(LimitExceeded) as error:
        check_document(deep)

    assert (error.value.code, str(error.value)) == (
        limits.TOO_DEEP,
        "its JSON is nested more than 16 levels deep; a credential needs far fewer",
    )


def test_contexts_are_counted_wherever_they_are():
    document = {
        "@context": ["a", "b"],
        "x": [{"@context": "c"}, {"@context": ["d", "e", "f", "g", "h", "i"]}],
    }

    with pytest.raises(LimitExceeded) as error:
        check_document(document)

    assert (error.value.code, error.value.found) == (limits.TOO_MANY_CONTEXTS, 9)


@pytest.mark.parametrize(
    ("document", "found"),
    [
        ({"name": "Mona\tMember\nLine\r"}, None),  # escaped alike by every implementation
        ({"name": "Mona\x08Member"}, ("/name", "U+0008")),
        ({"a": [{"b": "\x0c"}]}, ("/a[0]/b", "U+000C")),
        ({"a": "\x7f"}, ("/a", "U+007F")),
        ({"a": "\x00"}, ("/a", "U+0000")),
        ({"a": "\x1f"}, ("/a", "U+001F")),
        ({"k\x01": "v"}, ("/'k\\x01'", "U+0001")),
        ({"a": "\ud800"}, ("/a", "U+D800")),
        ({"a": "é ✓ \u2028"}, None),
    ],
)
def test_unstable_characters_are_found_with_their_path(document, found):
    result = find_unstable_character(document)

    assert (None if result is None else (result.path, result.code_point)) == found


V2 = "https://www.w3.org/ns/credentials/v2"


def graph(nodes):
    return {"@context": [V2], "@graph": nodes}


@pytest.mark.parametrize(
    "document",
    [
        graph(_clique(4)),
        graph(_clique(5)),
        graph(_ring(10)),
        graph([*_ring(6), *_clique(3, "c")]),
        graph([{"@id": f"_:g{i}", "@graph": _clique(3, f"g{i}n")} for i in range(3)]),
    ],
    ids=["clique4", "clique5", "ring10", "ring-and-clique", "named-graphs"],
)
def test_bounded_canonicalization_gives_pyld_s_output_exactly(document):
    options = default_loader().processing_options()
    options.update(algorithm="URDNA2015", format="application/n-quads")

    assert canonicalize(document) == jsonld.normalize(document, options)


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (graph(_clique(7)), limits.TOO_MUCH_WORK),
        (graph(_ring(150)), limits.TOO_MUCH_WORK),
        (
            graph(
                [
                    {"@id": f"https://example.org/{i}", P: [{P: j} for j in range(4)]}
                    for i in range(60)
                ]
            ),
            limits.TOO_MANY_BLANK_NODES,
        ),
        (
            graph([{"@id": "https://example.org/list", P: {"@list": list(range(600))}}]),
            limits.TOO_MANY_QUADS,
        ),
    ],
)
def test_canonicalization_stops_at_its_bounds(document, code):
    with pytest.raises(LimitExceeded) as error:
        canonicalize(document)

    assert error.value.code == code


# --- signing refuses what canonical forms disagree on --------------------------------------------

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
DID = "did:web:example.org"


def signed(document):
    return sign(
        document,
        private_key=KEY,
        verification_method=f"{DID}#key-1",
        created="2026-01-01T00:00:00Z",
    )


def credential(name):
    return {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": DID,
        "credentialSubject": {"id": "https://example.org/mona", "https://schema.org/name": name},
    }


@pytest.mark.parametrize(
    "character", sorted({*map(chr, [*range(0, 9), 11, 12, *range(14, 32), 127])})
)
def test_signing_refuses_a_control_character_canonical_forms_disagree_on(character):
    with pytest.raises(SigningError) as error:
        signed(credential(f"Mona{character}Member"))

    assert str(error.value) == (
        f"/credentialSubject/https://schema.org/name contains the control character U+{ord(character):04X}; "
        "canonical N-Quads write it differently from one implementation to another, so the signature would not "
        "verify everywhere: remove it before signing"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Mona\tMember",
        "Mona\nMember",
        "Mona\r\nMember",
        'Mona "M" \\ Member',
        "Móna ✓",
        string.printable.replace("\x0b", "").replace("\x0c", ""),
    ],
)
def test_tab_newline_and_quotes_sign_and_verify(name):
    document = signed(credential(name))
    did_document = build_did_document(DID, [PublishedKey(1, KEY.public_key())])

    result = dataintegrity.verify(document, resolve_key=key_resolver(did_document))

    assert (result.valid, result.code) == (True, dataintegrity.VERIFIED)


def _nested_lists(depth):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def core_check(document):
    """The pure verifier, with lookups that find nothing: refusals come before any lookup."""
    return verify_credential(
        document,
        resolve_did_document=lambda did: None,
        fetch_status_list=lambda url: None,
        now=dt.datetime.now(dt.UTC),
    )


@pytest.mark.parametrize(
    ("document", "status", "limit"),
    [
        ({**credential("Mona\x0cMember"), "proof": {}}, "malformed", limits.UNSTABLE_CHARACTER),
        (
            {**credential("Mona"), "proof": {}, P: list(range(1_000))},
            "too complex",
            limits.TOO_MANY_VALUES,
        ),
        ({**credential("Mona"), "proof": {}, P: _nested_lists(20)}, "too complex", limits.TOO_DEEP),
        (
            {**credential("Mona"), "@context": [V2] * 9, "proof": {}},
            "too complex",
            limits.TOO_MANY_CONTEXTS,
        ),
    ],
)
def test_the_core_verifier_refuses_before_any_lookup(document, status, limit):
    check = core_check(document)

    assert (check.status, check.limit, check.issuer) == (status, limit, None)


def test_a_name_with_a_control_character_is_cleaned_before_signing(db):
    person = UserFactory(email="mona@example.net", name="Mona\x07 Member\x1b")
    approved(person, "web-and-cms", 2)

    issued = issuing.credentials_issue(people=[person])[0]

    assert issued.document["description"] == "Awarded to Mona Member."
    assert verifying.credential_verify(issued.document).status == "valid"


def test_framework_text_with_a_control_character_stops_issuing_with_a_clear_error(db):
    person = UserFactory(email="mona@example.net")
    approved(person, "web-and-cms", 2)
    level = competency("web-and-cms", 2)
    level.can_do = "Builds\x0c sites"
    level.save()

    with pytest.raises(issuing.CredentialError) as error:
        issuing.credentials_issue(people=[person])

    assert str(error.value) == (
        "cannot sign the credentials: /credentialSubject/achievement/alignment[0]/targetDescription contains the "
        "control character "
        "U+000C; canonical N-Quads write it differently from one implementation to another, so the signature "
        "would not verify everywhere: remove it before signing"
    )
    assert Credential.objects.count() == 0

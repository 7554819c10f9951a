"""A receiver can tell a real delivery from a forged, altered or replayed one."""

import time
from pathlib import Path

import strategists
from strategists.webhooks.signing import signature_header, verify_signature

SECRET = "whsec_the_endpoints_own_secret"
BODY = b'[{"idempotency_key":"k","osdi:attendance":{}}]'


def test_a_genuine_signature_verifies():
    assert verify_signature(SECRET, signature_header(SECRET, BODY), BODY) is True


def test_a_signature_with_another_secret_fails():
    assert verify_signature(SECRET, signature_header("whsec_someone_else", BODY), BODY) is False


def test_an_altered_body_fails():
    header = signature_header(SECRET, BODY)
    assert verify_signature(SECRET, header, BODY.replace(b"{}", b'{"x":1}')) is False


def test_a_replayed_old_delivery_fails_outside_the_tolerance():
    old = int(time.time()) - 3600
    header = signature_header(SECRET, BODY, timestamp=old)
    assert (
        verify_signature(SECRET, header, BODY, tolerance=300),
        verify_signature(SECRET, header, BODY, tolerance=7200),
    ) == (False, True)


def test_a_changed_timestamp_fails():
    header = signature_header(SECRET, BODY, timestamp=1_700_000_000)
    forged = header.replace("t=1700000000", "t=1700000100")
    assert verify_signature(SECRET, forged, BODY, now=1_700_000_100) is False


def test_one_of_several_signatures_may_match_while_rotating():
    good = signature_header(SECRET, BODY, timestamp=1_700_000_000)
    other = signature_header("whsec_old", BODY, timestamp=1_700_000_000).split(",")[1]
    assert verify_signature(SECRET, f"{good},{other}", BODY, now=1_700_000_000) is True


def test_garbage_headers_fail_without_an_error():
    for header in ["", "t=,v1=", "v1=abc", "t=12", "t=abc,v1=00", "nonsense", None]:
        assert verify_signature(SECRET, header, BODY) is False


def test_the_readme_snippet_for_receivers_agrees():
    readme = (Path(strategists.__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Webhooks", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - the README's own five lines
    readme_verify = namespace["verify_signature"]
    assert (
        readme_verify(SECRET, signature_header(SECRET, BODY), BODY),
        readme_verify(SECRET, signature_header("whsec_other", BODY), BODY),
        readme_verify(SECRET, signature_header(SECRET, BODY, timestamp=1), BODY),
        readme_verify(SECRET, "garbage", BODY),
    ) == (True, False, False, False)

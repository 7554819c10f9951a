"""Hostile credentials through the verifier: prints each input's verdict and the worst CPU time.

    .venv/bin/python bench/verify.py            # a scratch SQLite database and signing key

It migrates a scratch database, issues one real credential (an Open Badges 3.0 credential signed
with the platform's key, as in production) and prints what it measures (size, nesting, values,
quads, blank nodes, canonicalization work: the figures ``vc/limits.py`` derives its bounds from).
Then it sends that credential and a set of hostile ones through
``verifying.credential_verify_text``, the function behind ``/credentials/verify/`` and
``strategists verify``: deep nesting, huge arrays, blank nodes built to blow up RDFC-1.0's
Hash N-Degree Quads, long strings, input over 64 kB, @id reuse, many and inline contexts, bad
JSON. Most are wrapped around the real credential and its proof, so that they get past the
cheap checks (our issuer, our key, a 64-byte signature) to canonicalization, where the cost is.

Each input runs three times; the figure is its worst ``time.process_time()``. Goal: every input
under 1 s of CPU (the exit status is 1 otherwise). ``hostile_credentials`` is also what
``tests/curriculum/test_verify_hostile.py`` checks, verdict by verdict.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

RUNS = 3
GOAL_SECONDS = 1.0
V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
P = "https://example.org/p"  # an absolute IRI: strict expansion keeps it, so it reaches RDF


def _with_subject(valid: dict, **extra) -> dict:
    """The real credential, proof and all, with more in its credentialSubject."""
    document = copy.deepcopy(valid)
    document["credentialSubject"].update(extra)
    return document


def _clique(size: int, prefix: str = "b") -> list[dict]:
    """Blank nodes that all point at all the others: every one looks like every other."""
    return [
        {"@id": f"_:{prefix}{i}", P: [{"@id": f"_:{prefix}{j}"} for j in range(size) if j != i]}
        for i in range(size)
    ]


def _ring(size: int) -> list[dict]:
    return [{"@id": f"_:r{i}", P: {"@id": f"_:r{(i + 1) % size}"}} for i in range(size)]


def _nested(depth: int) -> dict:
    node: dict = {P: "bottom"}
    for _ in range(depth):
        node = {P: node}
    return node


def hostile_credentials(valid: dict) -> list[tuple[str, str | bytes]]:
    """(name, text) pairs: one valid credential, then inputs built to hurt the verifier."""
    text = json.dumps
    proof_poison = copy.deepcopy(valid)
    proof_poison["proof"][P] = _clique(7)
    # Just under every bound at once: work in the proof options and in the document.
    everything = _with_subject(valid, **{P: [*_ring(30), *range(560)]})
    everything["proof"][P] = [{**node, "@id": node["@id"].replace("r", "q")} for node in _ring(30)]
    named_graphs = _with_subject(
        valid, **{P: [{"@id": f"_:g{i}", "@graph": _clique(3, f"g{i}n")} for i in range(30)]}
    )
    return [
        ("valid credential", text(valid, indent=2)),
        ("over 64 kB (padding)", text(valid) + " " * 70_000),
        ("over 64 kB (a long description)", text(_with_subject(valid, description="x" * 70_000))),
        ("10 MB of brackets", "[" * 10_000_000),
        ("100,000 nested arrays", "[" * 100_000 + "]" * 100_000),
        ("900 nested objects", text(_with_subject(valid, **{P: _nested(900)}))),
        ("17 levels deep", text(_with_subject(valid, **{P: _nested(14)}))),
        ("16 levels deep", text(_with_subject(valid, **{P: _nested(13)}))),
        ("huge array (30,000 numbers)", text(_with_subject(valid, **{P: [0] * 30_000}))),
        ("1,000 values in one array", text(_with_subject(valid, **{P: list(range(1_000))}))),
        ("900 values in one array", text(_with_subject(valid, **{P: list(range(900))}))),
        (
            "a @list of 600 items (1,200 quads)",
            text(_with_subject(valid, **{P: {"@list": list(range(600))}})),
        ),
        (
            "one @id in 150 places",
            text(
                _with_subject(
                    valid,
                    **{P: [{"@id": "https://example.org/same", P: [i, -i]} for i in range(1, 151)]},
                )
            ),
        ),
        ("7 blank nodes alike (clique)", text(_with_subject(valid, **{P: _clique(7)}))),
        ("10 blank nodes alike (clique)", text(_with_subject(valid, **{P: _clique(10)}))),
        ("5 blank nodes alike (clique)", text(_with_subject(valid, **{P: _clique(5)}))),
        ("ring of 190 blank nodes", text(_with_subject(valid, **{P: _ring(190)}))),
        ("ring of 30 blank nodes", text(_with_subject(valid, **{P: _ring(30)}))),
        ("30 named graphs of 3 alike", text(named_graphs)),
        (
            "250 distinct blank nodes",
            text(_with_subject(valid, **{P: [{P: i} for i in range(250)]})),
        ),
        (
            "190 distinct blank nodes",
            text(_with_subject(valid, **{P: [{P: i} for i in range(190)]})),
        ),
        ("poison graph in the proof", text(proof_poison)),
        ("just under every bound at once", text(everything)),
        ("60 kB string", text(_with_subject(valid, description="x" * 60_000))),
        (
            "@id reused 600 times",
            text(
                _with_subject(
                    valid, **{P: [{"@id": "_:same", P: {"@id": "_:same"}} for _ in range(600)]}
                )
            ),
        ),
        (
            "@id reused 200 times",
            text(
                _with_subject(
                    valid, **{P: [{"@id": "_:same", P: {"@id": "_:same"}} for _ in range(200)]}
                )
            ),
        ),
        ("@id pointing at itself, nested", text(_with_subject(valid, **{P: _self_nested(12)}))),
        ("900 contexts", text({**valid, "@context": [V2, *[OB] * 900]})),
        ("8 contexts", text({**valid, "@context": [V2, *[OB] * 7]})),
        (
            "inline context of 600 terms",
            text(
                {
                    **valid,
                    "@context": [
                        V2,
                        OB,
                        {f"t{i}": f"https://example.org/t{i}" for i in range(600)},
                    ],
                }
            ),
        ),
        ("scoped contexts 5 deep", text({**valid, "@context": [V2, OB, _scoped(5)]})),
        (
            "context pointing at a remote URL",
            text({**valid, "@context": [V2, OB, "https://evil.example/ctx"]}),
        ),
        ("control character in a name", text(_with_subject(valid, name="Mona\u0008Member"))),
        ("not JSON (truncated)", text(valid)[:-10]),
        ("not JSON (NaN and a 5,000-digit number)", '{"a": NaN, "b": ' + "9" * 5_000 + "}"),
        ("not UTF-8", b"\xff\xfe{\x00"),
        ("a lone surrogate", '{"name": "\\ud800"}'),
        ("a lone surrogate in a credential", text(valid)[:-1] + ', "name": "\\udfff"}'),
        ("JSON but not an object", "[1, 2, 3]"),
        ("empty object", "{}"),
    ]


def _self_nested(depth: int) -> dict:
    node: dict = {"@id": "https://example.org/same", P: "x"}
    for _ in range(depth):
        node = {"@id": "https://example.org/same", P: node}
    return node


def _scoped(depth: int) -> dict:
    context: dict = {"leaf": "https://example.org/leaf"}
    for level in range(depth):
        context = {f"s{level}": {"@id": f"https://example.org/s{level}", "@context": context}}
    return context


def _measure_real(document: dict) -> str:
    """The figures the bounds in vc/limits.py come from."""
    from strategists.curriculum.vc import dataintegrity, limits

    depth = values = contexts = 0
    stack = [(document, 1)]
    while stack:
        value, level = stack.pop()
        values += 1
        if isinstance(value, dict | list):
            depth = max(depth, level)
            if isinstance(value, dict) and "@context" in value:
                contexts += len(value["@context"]) if isinstance(value["@context"], list) else 1
            stack.extend(
                (child, level + 1)
                for child in (value.values() if isinstance(value, dict) else value)
            )
    spent = []
    original = dataintegrity._BoundedCanonicalizer.main

    def main(self, dataset, options):
        result = original(self, dataset, options)
        spent.append(self._budget - self._left)
        return result

    dataintegrity._BoundedCanonicalizer.main = main
    try:
        unsecured = {key: value for key, value in document.items() if key != "proof"}
        quads = dataintegrity.canonicalize(unsecured).splitlines()
    finally:
        dataintegrity._BoundedCanonicalizer.main = original
    blank_nodes = {term for quad in quads for term in quad.split() if term.startswith("_:")}
    return (
        f"{len(json.dumps(document, indent=2)):,} bytes (limit {limits.MAX_BYTES:,}), "
        f"{depth} levels (limit {limits.MAX_DEPTH}), {values} values (limit {limits.MAX_VALUES:,}), "
        f"{contexts} contexts (limit {limits.MAX_CONTEXTS}), {len(quads)} quads "
        f"(limit {limits.MAX_QUADS:,}), {len(blank_nodes)} blank nodes "
        f"(limit {limits.MAX_BLANK_NODES}), {spent[0]} units of canonicalization work "
        f"(budget {limits.CANONICALIZATION_BUDGET:,})"
    )


def issue_one() -> dict:
    """A credential issued as in production: approved evidence, then credentials_issue."""
    from django.utils import timezone

    from strategists.accounts.models import User
    from strategists.curriculum import issuing
    from strategists.curriculum.models import Competency, Evidence

    person = User.objects.create_user("bench@example.net", name="Bench Person")
    Evidence.objects.create(
        person=person,
        competency=Competency.objects.order_by("pk").first(),
        kind=Evidence.Kind.SIGN_OFF,
        status=Evidence.Status.APPROVED,
        description="Demonstrated it.",
        reviewed_at=timezone.now(),
    )
    return issuing.credentials_issue(people=[person])[0].document


def main() -> int:
    scratch = tempfile.mkdtemp(prefix="strategists-bench-verify-")
    os.environ["STRATEGISTS_DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["STRATEGISTS_SIGNING_KEYS_DIR"] = f"{scratch}/keys"
    os.environ.pop("STRATEGISTS_SIGNING_KEY", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from strategists.curriculum import verifying

    try:
        call_command("migrate", verbosity=0)
        valid = issue_one()
        print(f"a credential we issue: {_measure_real(valid)}")
        worst_name, worst = "", 0.0
        for name, text in hostile_credentials(valid):
            seconds = []
            for _ in range(RUNS):
                started = time.process_time()
                outcome = verifying.credential_verify_text(text)
                seconds.append(time.process_time() - started)
            size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
            print(
                f"  {max(seconds) * 1000:8.1f} ms  {size:>10,} B  {name:<42} {outcome.status}: {outcome.reason}"
            )
            if max(seconds) > worst:
                worst_name, worst = name, max(seconds)
        print(
            f"worst CPU time: {worst * 1000:.1f} ms ({worst_name}); goal < {GOAL_SECONDS * 1000:.0f} ms"
        )
        return 0 if worst < GOAL_SECONDS else 1
    finally:
        for path in sorted(Path(scratch).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        Path(scratch).rmdir()


if __name__ == "__main__":
    sys.exit(main())

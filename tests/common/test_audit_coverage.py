"""A guard: every service that changes state writes its audit entry, or delegates to one that does.

It reads every service module of every app (`strategists.<app>.services`, the modules named
`*_services` beside it, and the modules of a `services` package) and lists its public functions that change
state: those under `@transaction.atomic`, and the others whose code (with the module's private
helpers it calls) writes through the ORM. Each must call `audit_log(` itself, in a private helper
of its app, or call another listed service that does. A new service without its entry fails
here, by name; a function that truly changes nothing goes on ALLOWED, with the reason.
"""

import importlib
import inspect
import pkgutil
import re
import textwrap
from dataclasses import dataclass

import pytest

import strategists

# "<app>.<function>": why it needs no entry of its own. Keep the reason honest: a function that
# changes what people see or may do is no exception.
ALLOWED: dict[str, str] = {
    # Mail bookkeeping is no exception: the reminders and follow-ups log what they mark.
    "curriculum.credential_revoke": "delegates to curriculum.issuing.credential_revoke, which writes "
    "credential.revoked in the same transaction",
    "goals.forecast_snapshots_clear": "drops a computed cache (benchmarks only); no person's data changes",
}

ATOMIC = re.compile(r"^\s*@(?:transaction\.)?atomic\b", re.MULTILINE)
# ORM writes: saving, creating, updating, deleting rows, and changing many-to-many sets.
WRITES = re.compile(
    r"\.(?:save|create|create_user|bulk_create|bulk_update|get_or_create|update_or_create|update|delete"
    r"|set|add|remove|clear)\(|\btransaction\.atomic\(\)"
)
PRIVATE_CALL = re.compile(r"\b(_[a-z]\w*)\(")


@dataclass
class Service:
    app: str
    name: str
    source: str  # its own source and that of the module's private helpers it calls
    atomic: bool

    @property
    def label(self) -> str:
        return f"{self.app}.{self.name}"


def _expanded_source(module, function) -> str:
    """The function's source followed by the private module-level helpers it calls, transitively
    (a role change is logged once, in `_role_change`, for grant, suspend and revoke)."""
    seen, parts, queue = set(), [], [function]
    while queue:
        current = queue.pop()
        source = textwrap.dedent(inspect.getsource(current))
        parts.append(source)
        for helper in PRIVATE_CALL.findall(source):
            candidate = getattr(module, helper, None)
            if (
                helper not in seen
                and inspect.isfunction(candidate)
                and _same_app(inspect.unwrap(candidate).__module__, module.__name__)
            ):
                seen.add(helper)
                queue.append(candidate)
    return "\n".join(parts)


def _same_app(one: str, other: str) -> bool:
    """A helper shared by an app's service modules (`events.service_common`) counts as its own."""
    return one == other or (
        one.startswith("strategists.") and one.rsplit(".", 1)[0] == other.rsplit(".", 1)[0]
    )


def service_modules(app: str) -> list[str]:
    """The app's service modules: `services`, its `*_services` siblings, a `services` package's modules."""
    package = importlib.import_module(f"strategists.{app}")
    names = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name == "services" or info.name.endswith("_services"):
            names.append(f"strategists.{app}.{info.name}")
            if info.ispkg:
                sub = importlib.import_module(f"strategists.{app}.{info.name}")
                names += [f"{sub.__name__}.{s.name}" for s in pkgutil.walk_packages(sub.__path__)]
    return sorted(names)


def services_of(module, app: str) -> list[Service]:
    found = []
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or inspect.unwrap(function).__module__ != module.__name__:
            continue  # private helpers, and services imported from another module
        source = _expanded_source(module, function)
        atomic = bool(ATOMIC.search(inspect.getsource(function)))
        if atomic or WRITES.search(source):
            found.append(Service(app=app, name=name, source=source, atomic=atomic))
    return found


def all_services() -> list[Service]:
    found = []
    for info in pkgutil.iter_modules(strategists.__path__):
        if not info.ispkg:
            continue
        for name in service_modules(info.name):
            found += services_of(importlib.import_module(name), info.name)
    return found


def _calls(source: str, name: str) -> bool:
    # Not its own `def name(`: a call, bare or through a module (`services.role_grant(`).
    return re.search(rf"(?<!def )\b{re.escape(name)}\(", source) is not None


def unaudited(services: list[Service]) -> list[str]:
    """Labels of the services that neither log nor call a service that (in the end) logs."""
    audited = {s.label for s in services if "audit_log(" in s.source}
    changed = True
    while changed:  # delegation chains: a service calling one that calls one that logs
        changed = False
        for service in services:
            if service.label in audited:
                continue
            if any(
                _calls(service.source, other.name)
                for other in services
                if other.label in audited and other.label != service.label
            ):
                audited.add(service.label)
                changed = True
    return sorted(s.label for s in services if s.label not in audited)


def test_every_state_changing_service_writes_an_audit_entry():
    missing = [label for label in unaudited(all_services()) if label not in ALLOWED]

    assert missing == [], (
        "These services change state but write no audit entry (call audit_log(...) in the same "
        "transaction, or add them to ALLOWED with the reason): " + ", ".join(missing)
    )


def test_the_guard_reads_the_service_modules_split_by_domain():
    labels = {s.label for s in all_services()}

    # One service from each module that was split out of an app's `services`.
    assert {
        "events.registration_create",
        "events.event_approve",
        "accounts.role_grant",
        "accounts.user_signup",
        "referrals.question_post",
        "referrals.resource_suggest",
        "community.circle_create",
        "community.mentor_request_create",
        "community.opportunity_post",
    } <= labels


def test_the_allow_list_names_only_unaudited_services():
    services = all_services()
    listed = {s.label for s in services}
    stale = sorted(
        label for label in ALLOWED if label not in listed or label not in unaudited(services)
    )

    assert stale == []


# The guard itself, on a module written for the purpose --------------------------------------

SAMPLE = """
from django.db import transaction
from strategists.common.audit import audit_log


def _log_change(thing):
    audit_log("thing.changed", thing)


@transaction.atomic
def thing_logs(*, thing):
    thing.save()
    audit_log("thing.saved", thing)


@transaction.atomic
def thing_logs_in_a_helper(*, thing):
    thing.save()
    _log_change(thing)


@transaction.atomic
def thing_delegates(*, thing):
    return thing_logs(thing=thing)


@transaction.atomic
def thing_delegates_twice(*, thing):
    return thing_delegates(thing=thing)


@transaction.atomic
def thing_forgets(*, thing):
    thing.save()


def thing_writes_without_atomic(*, thing):
    thing.tags.add("x")


@transaction.atomic
def thing_delegates_to_one_that_forgets(*, thing):
    return thing_forgets(thing=thing)


def thing_reads(*, thing):
    return thing.name
"""


@pytest.fixture
def sample_module(tmp_path, monkeypatch):
    (tmp_path / "audit_guard_sample.py").write_text(SAMPLE)
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module("audit_guard_sample")


def test_the_guard_names_services_that_forget_their_entry(sample_module):
    services = services_of(sample_module, "sample")

    assert sorted(s.name for s in services) == [
        "thing_delegates",
        "thing_delegates_to_one_that_forgets",
        "thing_delegates_twice",
        "thing_forgets",
        "thing_logs",
        "thing_logs_in_a_helper",
        "thing_writes_without_atomic",
    ]
    assert unaudited(services) == [
        "sample.thing_delegates_to_one_that_forgets",
        "sample.thing_forgets",
        "sample.thing_writes_without_atomic",
    ]

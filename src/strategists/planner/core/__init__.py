"""Pure-Python planning core of the year tour (no Django imports anywhere in this package).

Reads an *instance* and writes a *plan* in the format of ``FORMAT.md`` (shared/planner).

Public API
----------
``load_instance(data: dict) -> Instance``
    Validate parsed instance JSON; returns frozen dataclasses. Raises ``InstanceError``
    whose ``str()`` names the offending field, e.g.
    ``instance.hosts[3].windows[0].start: not a date`` (``.field`` and ``.problem`` too).

``solve(instance: Instance | dict, *, time_limit: float = 30.0, threads: int = 2,
        locks: dict | None = None, warm_start: dict | None = None,
        progress: Callable[[float, str], None] | None = None, mip_gap: float = 1e-3) -> Plan``
    Lexicographic optimum: most filled slots first, then the highest score, the latter proven
    to within ``mip_gap`` (relative; status ``optimal`` means within it). ``locks`` is
    ``{"events": [{"slot": 3, "host": "h7", "trainers": ["t2"]}, ...]}`` where ``host`` and
    ``trainers`` are each optional (lock a slot to a host, and/or trainers to whatever event is
    on that slot). ``warm_start`` is a previous plan (FORMAT.md plan JSON); its still-valid
    events seed the MIP's starting solution. ``progress(fraction, message)`` is called from the
    solving thread. A lock that can never hold, or a region minimum that cannot be met, does
    not raise: the plan comes back with ``status == "infeasible"``, the best plan that respects
    everything else, and ``binding`` listing the rules that cannot all hold.

``Plan``
    ``.to_dict()`` gives the FORMAT.md plan (events, unfilled with reasons, reach, travel_km,
    score, bound, status, seconds) plus ``gap``, ``binding`` (list of str), ``explanations``
    (per filled slot: chosen host's reach/travel/net contribution versus the runner-up host,
    and a sentence) and ``stats`` (greedy_score, greedy_filled, improvement_vs_greedy,
    time_to_1pct_gap, count_proven, model size). Attributes mirror those keys.

``check_plan(instance: Instance | dict, plan: dict) -> list[str]``
    Independent checker: every violated FORMAT.md rule as a sentence; ``[]`` means feasible.

``score_plan(instance: Instance | dict, plan: dict) -> PlanScore``
    Independent scorer: ``filled``, ``reach``, ``travel_km``, ``score``.

``cli.main(argv: list[str]) -> int``
    ``--instance FILE --out FILE [--time-limit SECONDS] [--threads N] [--locks FILE]
    [--warm-start FILE]``; progress on stderr; exit 2 on an invalid instance.
    ``python -m strategists.planner.core`` runs it.
"""

from .checker import PlanScore, check_plan, score_plan
from .instance import Instance, InstanceError, load_instance
from .solve import Plan, solve

__all__ = [
    "Instance",
    "InstanceError",
    "Plan",
    "PlanScore",
    "check_plan",
    "load_instance",
    "score_plan",
    "solve",
]

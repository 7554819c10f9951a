"""A thin array-based bridge to HiGHS.

Models are assembled as column arrays plus (row, column, value) triplets and passed in one
``passModel`` call: HiGHS's expression API allocates a Python object per term, which is what
makes a naive model of the L instance need over a gigabyte.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

INF = highspy.kHighsInf
# HiGHS keeps one process-wide thread pool sized by the first solve's "threads"; a later
# solve asking for a different size fails outright unless the pool is rebuilt first.
_pool_threads: list[int] = []


@dataclass
class MipBuilder:
    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    t_row: list[int] = field(default_factory=list)
    t_col: list[int] = field(default_factory=list)
    t_val: list[float] = field(default_factory=list)

    def col(self, cost: float, lower: float, upper: float, integer: bool) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.cost) - 1

    def row(
        self, cols: Sequence[int], vals: Sequence[float], lower: float = -INF, upper: float = INF
    ) -> int:
        r = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.t_row.extend([r] * len(cols))
        self.t_col.extend(cols)
        self.t_val.extend(vals)
        return r

    @property
    def num_cols(self) -> int:
        return len(self.cost)


@dataclass
class MipResult:
    values: np.ndarray | None
    objective: float | None
    bound: float | None
    status: str  # optimal | feasible | infeasible | none
    seconds: float
    time_to_1pct: float | None


def solve_mip(
    b: MipBuilder,
    *,
    maximize: bool,
    time_limit: float,
    threads: int,
    rel_gap: float,
    start: np.ndarray | None = None,
    progress: Callable[[float, float | None, float | None], None] | None = None,
    relax: bool = False,
) -> MipResult:
    """Solve; ``progress(seconds, primal, dual)`` is called at most twice a second."""
    h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy ships no annotations for it
    # PLANNER_HIGHS_LOG=1 shows the solver log when diagnosing a slow instance
    h.setOptionValue("output_flag", bool(os.environ.get("PLANNER_HIGHS_LOG")))
    h.setOptionValue("threads", int(threads))
    h.setOptionValue("time_limit", max(0.05, float(time_limit)))
    h.setOptionValue("mip_rel_gap", float(rel_gap))
    h.setOptionValue("random_seed", 1)
    n, m = b.num_cols, len(b.row_lower)
    rows = np.asarray(b.t_row, dtype=np.int64)
    cols = np.asarray(b.t_col, dtype=np.int64)
    vals = np.asarray(b.t_val, dtype=np.float64)
    order = np.lexsort((rows, cols))
    starts = np.searchsorted(cols[order], np.arange(n + 1)).astype(np.int32)
    h.passModel(
        n,
        m,
        len(vals),
        1,
        -1 if maximize else 1,
        0.0,
        np.asarray(b.cost, float),
        np.asarray(b.lower, float),
        np.asarray(b.upper, float),
        np.asarray(b.row_lower, float),
        np.asarray(b.row_upper, float),
        starts,
        rows[order].astype(np.int32),
        vals[order],
        np.zeros(n, np.int32) if relax else np.asarray(b.integer, np.int32),
    )
    del rows, cols, vals, order
    if start is not None and not relax:
        h.setSolution(n, np.arange(n, dtype=np.int32), np.asarray(start, float))

    began = time.monotonic()
    state: dict[str, float | None] = {"last": 0.0, "t1": None}

    def on_interrupt(e: Any) -> None:
        out = e.data_out
        gap = out.mip_gap
        if (
            state["t1"] is None
            and np.isfinite(gap)
            and gap <= 0.01
            and abs(out.mip_primal_bound) < INF
        ):
            state["t1"] = out.running_time
        now = time.monotonic()
        if progress is not None and now - (state["last"] or 0.0) >= 0.5:
            state["last"] = now
            primal = out.mip_primal_bound if abs(out.mip_primal_bound) < INF else None
            dual = out.mip_dual_bound if abs(out.mip_dual_bound) < INF else None
            progress(now - began, primal, dual)

    h.cbMipInterrupt.subscribe(on_interrupt)
    if _pool_threads and _pool_threads[0] != int(threads):
        h.resetGlobalScheduler(True)
    _pool_threads[:] = [int(threads)]
    h.run()
    seconds = time.monotonic() - began
    model_status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = np.asarray(h.getSolution().col_value) if has_solution else None
    objective = info.objective_function_value if has_solution else None
    bound = info.mip_dual_bound if abs(info.mip_dual_bound) < INF else None
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
        if bound is None or relax:
            bound = objective
    elif model_status == highspy.HighsModelStatus.kInfeasible:
        status = "infeasible"
    else:
        status = "feasible" if has_solution else "none"
    t1 = state["t1"]
    if t1 is None and status == "optimal":
        t1 = seconds
    h.clear()
    return MipResult(values, objective, bound, status, seconds, t1)

"""When will the program reach its target of certified strategists?

Pure Python on purpose (standard library only, no Django) so the model can be read, tested and
run anywhere. The model, in plain words:

1. Attendance: a training with E expected registrations brings Poisson(E * r) people, where r is
   "people who came per registration" (walk-ins can push it above 1). r has a Gamma posterior:
   Gamma(7 + attended so far, 10 + registered so far); the prior is worth 10 registrations.
2. Certification: each attendee eventually certifies (registered -> attended -> L1 -> L2 ->
   certified, all stages multiplied) with probability p, with a Beta posterior
   Beta(1 + certified, 1 + effective attendees - certified).
3. Lag: certification comes some days after the training. The lag distribution is estimated by
   chain-ladder (as insurers do for late claims): from trainings old enough to be seen at lags d-1
   and d, how much the certified count grows from d-1 to d. Recent trainings have not finished
   certifying, so they count as "effective attendees" A * P(lag <= their age), which keeps p from
   being biased low by people who are still working through L1 and L2.
4. Monte Carlo (fixed seed): draw r and p from their posteriors, then the people still to certify
   from past trainings and the certifications from planned ones, each placed at its lag; the
   10th/50th/90th percentiles of the cumulative paths by date form the band.

Known simplifications (kept so the model stays explainable): rates are the same for every city
and training; the lag distribution is treated as known once estimated; nobody certifies later
than the oldest training's age (there is no data about later lags).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from itertools import accumulate, pairwise
from typing import cast

from strategists.goals.core.forecast_types import (
    ATTENDANCE_PRIOR,
    CERTIFICATION_PRIOR,
    DEFAULT_CADENCE_DAYS,
    DEFAULT_LAG_DAYS,
    DEFAULT_REGISTRATIONS,
    MIN_AGE_FOR_LAG,
    MIN_CERTIFICATIONS_FOR_LAG,
    Forecast,
    PlannedTraining,
    Rates,
    TrainingHistory,
    WhatItTakes,
)
from strategists.goals.core.sampling import binomial, poisson, quantile


def estimate_rates(history: Sequence[TrainingHistory], today: date) -> Rates:
    """Posterior rates from the trainings held so far (certifications after ``today`` ignored)."""
    for training in history:
        if training.date > today:
            raise ValueError(f"training on {training.date} is in the future; plan it instead")
    assumptions = []
    observed = [_certified_until(t, today) for t in history]
    registered = sum(t.registered for t in history)
    attended = sum(t.attended for t in history)
    certified = sum(observed)

    oldest = max(((today - t.date).days for t in history), default=0)
    lag_from_history = certified >= MIN_CERTIFICATIONS_FOR_LAG and oldest >= MIN_AGE_FOR_LAG
    if lag_from_history:
        cdf = _chain_ladder(history, today)
    else:
        cdf = _default_lag_cdf()
        if history:
            assumptions.append(
                f"Until there are {MIN_CERTIFICATIONS_FOR_LAG} certifications and a training "
                f"{MIN_AGE_FOR_LAG} days old, the delay to certification is the default guess "
                f"of {DEFAULT_LAG_DAYS[0]}-{DEFAULT_LAG_DAYS[1]} days."
            )
    # A training seen for `age` days has shown only cdf[age] of the certifications it will give.
    # max(): chain-ladder noise must never make effective attendees fewer than those certified.
    effective = sum(
        max(t.attended * _cdf_at(cdf, (today - t.date).days), n)
        for t, n in zip(history, observed, strict=True)
    )
    shape, rate = ATTENDANCE_PRIOR[0] + attended, ATTENDANCE_PRIOR[1] + registered
    alpha = CERTIFICATION_PRIOR[0] + certified
    beta = CERTIFICATION_PRIOR[1] + effective - certified
    if not history:
        assumptions.append(
            f"Each planned training with no estimate is assumed to get {DEFAULT_REGISTRATIONS} "
            "registrations."
        )
    mean_registrations = registered / len(history) if history else float(DEFAULT_REGISTRATIONS)
    return Rates(
        trainings=len(history),
        registered=registered,
        attended=attended,
        certified=certified,
        attendance_per_registration=shape / rate,
        attendance_posterior=(shape, rate),
        certification_rate=alpha / (alpha + beta),
        certification_posterior=(alpha, beta),
        effective_attendees=effective,
        mean_lag_days=sum(d * (cdf[d] - (cdf[d - 1] if d else 0.0)) for d in range(len(cdf))),
        lag_from_history=lag_from_history,
        lag_cdf=tuple(cdf),
        mean_registrations=mean_registrations,
        stages=_stages(history, today),
        assumptions=tuple(assumptions),
    )


def forecast(
    history: Sequence[TrainingHistory],
    planned: Sequence[PlannedTraining],
    *,
    target: int = 1000,
    start: date,
    end: date,
    today: date,
    horizon: date | None = None,
    simulations: int = 2000,
    seed: int = 0,
) -> Forecast:
    """Band of cumulative certified strategists from ``start`` to ``horizon`` (default ``end``)."""
    horizon = horizon or end
    if not start <= end <= horizon:
        raise ValueError("need start <= end <= horizon")
    if simulations < 1:
        raise ValueError("need at least one simulation")
    model = _Model(history, planned, today)
    days = (horizon - start).days + 1
    day_of: dict[int, int] = {}  # actual certifications by day index (earlier ones on day 0)
    for training in history:
        for when, n in training.certifications:
            if when <= today:
                index = max((when - start).days, 0)
                if index < days:
                    day_of[index] = day_of.get(index, 0) + n
    actual = list(accumulate(day_of.get(i, 0) for i in range(days)))
    so_far = model.certified_so_far
    rng = random.Random(seed)
    ahead = (horizon - today).days
    paths = [model.simulate_path(rng, r, p, ahead) for r, p in model.draw_params(rng, simulations)]
    by_day = list(zip(*paths, strict=True))  # by_day[j]: every path's count j days after today
    band: list[tuple[date, float, float, float]] = []
    for index in range(days):
        when = start + timedelta(days=index)
        if when <= today:  # the record so far: no uncertainty
            value = float(actual[index])
            band.append((when, value, value, value))
            continue
        column = sorted(by_day[(when - today).days])
        p10, p50, p90 = (round(so_far + quantile(column, q), 1) for q in (0.1, 0.5, 0.9))
        band.append((when, p10, p50, p90))

    def reach(column: int) -> date | None:
        return next((row[0] for row in band if cast(float, row[column]) >= target), None)

    end_row = band[(end - start).days]
    return Forecast(
        target=target,
        start=start,
        end=end,
        today=today,
        certified_so_far=so_far,
        band=tuple(band),
        reach_date_p10=reach(3),
        reach_date_p50=reach(2),
        reach_date_p90=reach(1),
        at_end=end_row[1:],
        rates=model.rates,
        planned_trainings=len(model.future),
        notes=model.notes,
    )


def what_it_takes(
    history: Sequence[TrainingHistory],
    planned: Sequence[PlannedTraining],
    *,
    target: int = 1000,
    end: date,
    today: date,
    confidence: float = 0.5,
    lead_days: int = DEFAULT_CADENCE_DAYS,
    simulations: int = 2000,
    seed: int = 0,
) -> WhatItTakes:
    """Smallest number of extra trainings (at the mean size so far) or of extra attendees at each
    planned training so that P(certified by ``end`` >= target) >= ``confidence``. Found by
    bisection over the same model, with the same (r, p) draws for every candidate."""
    model = _Model(history, planned, today)
    rng = random.Random(seed)
    params = model.draw_params(rng, simulations)
    # Certifications still to come from past trainings do not depend on the candidate plan:
    # draw them once, so every candidate is compared on the same simulated worlds.
    base = model.pending_by_end(rng, params, end)

    def works(extra_days: Sequence[int] = (), extra_people: int = 0) -> bool:
        counts = model.count_at_end(
            random.Random(seed + 1), params, base, end, extra_days, extra_people
        )
        return quantile(sorted(counts), 1.0 - confidence) >= target

    if model.certified_so_far >= target:
        return _said(
            WhatItTakes(0, 0, "", target=target, end=end, confidence=confidence, outcome="reached")
        )
    if works():
        return _said(
            WhatItTakes(0, 0, "", target=target, end=end, confidence=confidence, outcome="on track")
        )

    size = model.rates.mean_registrations
    cdf = model.rates.lag_cdf
    # Extra trainings go evenly between lead_days from now and the last day that still leaves
    # time for half of a training's certifications (median lag) to arrive before the end.
    median_lag = next(d for d, f in enumerate(cdf) if f >= 0.5)
    first = lead_days
    last = (end - today).days - median_lag

    def spread(n: int) -> list[int]:
        return [first + round((i + 0.5) * (last - first) / n) for i in range(n)]

    extra_trainings = None
    if last >= first:
        extra_trainings = _smallest(lambda n: works(extra_days=spread(n)), 500)
    per_week = 7 * extra_trainings / max(last - first, 1) if extra_trainings is not None else 0.0

    usable = [d for d, _ in model.future if (end - today).days - d >= 0]
    extra_people = None
    if usable:
        extra_people = _smallest(lambda x: works(extra_people=x), 10_000)
    registrations = (
        extra_people / model.rates.attendance_per_registration if extra_people is not None else 0.0
    )
    return _said(
        WhatItTakes(
            extra_trainings,
            extra_people,
            "",
            size=size,
            first=today + timedelta(days=first),
            last=today + timedelta(days=last),
            per_week=per_week,
            usable=len(usable),
            registrations=registrations,
            target=target,
            end=end,
            confidence=confidence,
        )
    )


def _said(takes: WhatItTakes) -> WhatItTakes:
    """With its explanation in English, for callers that read the plain string."""
    return replace(takes, explanation=takes.explain())


class _Model:
    """History turned into what the simulation needs; days are counted from ``today``."""

    def __init__(
        self,
        history: Sequence[TrainingHistory],
        planned: Sequence[PlannedTraining],
        today: date,
    ) -> None:
        self.today = today
        self.rates = rates = estimate_rates(history, today)
        self.cdf = list(rates.lag_cdf)
        self.certified_so_far = rates.certified
        # Past trainings with people who may still certify: (age, not yet certified, F(age)).
        self.pending = []
        for training in history:
            age = (today - training.date).days
            remaining = training.attended - _certified_until(training, today)
            f_age = _cdf_at(self.cdf, age)
            if remaining > 0 and f_age < 1.0:
                self.pending.append((age, remaining, f_age))
        # Planned trainings: (days from today, expected registrations).
        self.future = [
            (
                (t.date - today).days,
                rates.mean_registrations
                if t.expected_registrations is None
                else t.expected_registrations,
            )
            for t in sorted(planned, key=lambda t: t.date)
            if t.date > today
        ]
        skipped = sum(1 for t in planned if t.date <= today)
        self.notes: tuple[str, ...] = ()
        if skipped:
            self.notes = (
                f"{skipped} planned training{'s' if skipped != 1 else ''} dated today or earlier "
                "left out; record them as history.",
            )

    def draw_params(self, rng: random.Random, n: int) -> list[tuple[float, float]]:
        shape, rate = self.rates.attendance_posterior
        alpha, beta = self.rates.certification_posterior
        return [
            (rng.gammavariate(shape, 1.0 / rate), rng.betavariate(alpha, beta)) for _ in range(n)
        ]

    def _still_to_certify(self, rng: random.Random, p: float, remaining: int, f_age: float) -> int:
        # P(an uncertified attendee certifies later) = p (1 - F(age)) / (1 - p F(age)).
        return binomial(rng, remaining, p * (1.0 - f_age) / (1.0 - p * f_age))

    def simulate_path(self, rng: random.Random, r: float, p: float, ahead: int) -> list[int]:
        """One simulated future: new certifications by each day 0..ahead after today."""
        if ahead <= 0:
            return [0]
        # Room for the longest lag past the horizon, so no index needs a bounds check.
        increments = [0] * (ahead + len(self.cdf) + 2)
        cdf, uniform = self.cdf, rng.random
        # Lags by inverting the CDF: the first lag whose F exceeds a uniform draw.
        for age, remaining, f_age in self.pending:
            # A uniform above F(age) gives a lag longer than the age already seen.
            for _ in range(self._still_to_certify(rng, p, remaining, f_age)):
                increments[bisect_right(cdf, f_age + (1.0 - f_age) * uniform()) - age] += 1
        for day, registrations in self.future:
            if day > ahead:
                break  # sorted by date; later trainings cannot land before the horizon
            for _ in range(poisson(rng, registrations * r * p)):
                increments[day + bisect_right(cdf, uniform())] += 1
        return list(accumulate(increments[: ahead + 1]))

    def pending_by_end(
        self, rng: random.Random, params: Sequence[tuple[float, float]], end: date
    ) -> list[int]:
        """Certified by ``end`` from past trainings, for each (r, p)."""
        horizon = (end - self.today).days
        late = [(n, f, _cdf_at(self.cdf, a + horizon)) for a, n, f in self.pending]
        return [
            self.certified_so_far
            + sum(binomial(rng, n, p * (f_end - f) / (1.0 - p * f)) for n, f, f_end in late)
            for _, p in params
        ]

    def count_at_end(
        self,
        rng: random.Random,
        params: Sequence[tuple[float, float]],
        base: Sequence[int],
        end: date,
        extra_days: Sequence[int],
        extra_people: int,
    ) -> list[int]:
        """Certified by ``end`` for each (r, p), given ``base`` from past trainings. Only the
        count matters, so no lags are drawn: by thinning, a training's certifications by ``end``
        are Poisson(expected certifications * F(days from the training to the end))."""
        horizon = (end - self.today).days
        weight = sum(e * _cdf_at(self.cdf, horizon - d) for d, e in self.future if d <= horizon)
        seats = sum(_cdf_at(self.cdf, horizon - d) for d, _ in self.future if d <= horizon)
        extra = sum(_cdf_at(self.cdf, horizon - d) for d in extra_days)
        size = self.rates.mean_registrations
        return [
            so_far + poisson(rng, p * (r * (weight + extra * size) + extra_people * seats))
            for (r, p), so_far in zip(params, base, strict=True)
        ]


def _certified_until(training: TrainingHistory, today: date) -> int:
    return sum(n for when, n in training.certifications if when <= today)


def _cdf_at(cdf: Sequence[float], days: int) -> float:
    if days < 0:
        return 0.0
    return cdf[days] if days < len(cdf) else 1.0


def _default_lag_cdf() -> list[float]:
    low, high = DEFAULT_LAG_DAYS
    return [0.0 if d < low else (d - low + 1) / (high - low + 1) for d in range(high + 1)]


def _chain_ladder(history: Sequence[TrainingHistory], today: date) -> list[float]:
    """P(lag <= d | certifies) for d = 0..oldest age, by chain-ladder development factors.

    Among trainings at least d days old, certifications with lag <= d divided by those with
    lag <= d-1 is how much a cohort grows from day d-1 to day d; chaining these backwards from
    the oldest age (taken as complete) gives the share that has arrived by each day."""
    ages = [(today - t.date).days for t in history]
    oldest = max(ages)
    grows = [0] * (oldest + 2)  # grows[d]: certified with lag <= d, among trainings >= d old
    before = [0] * (oldest + 2)  # before[d]: certified with lag <= d-1, among the same
    for training, age in zip(history, ages, strict=True):
        by_lag = [0] * (age + 1)
        for when, n in training.certifications:
            if when <= today:
                by_lag[max((when - training.date).days, 0)] += n
        cumulative = list(accumulate(by_lag))
        for d in range(age + 1):
            grows[d] += cumulative[d]
            before[d] += cumulative[d - 1] if d else 0
    cdf = [0.0] * (oldest + 1)
    cdf[oldest] = 1.0
    for d in range(oldest, 0, -1):
        # No certification by day d among these trainings says nothing about timing: keep F.
        cdf[d - 1] = cdf[d] * before[d] / grows[d] if grows[d] else cdf[d]
    return cdf


def _stages(history: Sequence[TrainingHistory], today: date) -> tuple[tuple[str, float], ...]:
    """Raw stage-to-stage conversions (not lag-adjusted), only when every training has them."""
    if not history or any(t.level1 is None or t.level2 is None for t in history):
        return ()
    counts = [
        ("registered", sum(t.registered for t in history)),
        ("attended", sum(t.attended for t in history)),
        ("L1", sum(t.level1 or 0 for t in history)),
        ("L2", sum(t.level2 or 0 for t in history)),
        ("certified", sum(_certified_until(t, today) for t in history)),
    ]
    return tuple((f"{a}→{b}", n / m if m else 0.0) for (a, m), (b, n) in pairwise(counts))


def _smallest(works: Callable[[int], bool], limit: int) -> int | None:
    """Smallest n in 1..limit with works(n), by doubling then bisection; None if none."""
    low, high = 0, 1  # invariant: works(low) is False (0 was checked by the caller)
    while not works(high):
        low, high = high, high * 2
        if low >= limit:
            return None
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if works(middle) else (middle, high)
    return high

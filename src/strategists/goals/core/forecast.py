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

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate, pairwise
from typing import Protocol, cast

from strategists.goals.core.sampling import beta_interval, binomial, poisson, quantile

# Weak priors, used alone when there is no history and swamped after one or two trainings.
ATTENDANCE_PRIOR = (7.0, 10.0)  # Gamma(shape, rate): 7 people per 10 registrations
CERTIFICATION_PRIOR = (1.0, 1.0)  # Beta(1, 1): no opinion on the share who certify
DEFAULT_LAG_DAYS = (28, 56)  # guess: certified 4 to 8 weeks after a training, uniformly
DEFAULT_REGISTRATIONS = 40  # guess for a planned training with no estimate and no history
DEFAULT_CADENCE_DAYS = 14  # "a training about every two weeks"
# Below this many certifications the empirical lag distribution is mostly noise.
MIN_CERTIFICATIONS_FOR_LAG = 10
# Chain-ladder cannot see lags longer than the oldest training's age and treats that age as
# complete; until a training is this old, that would undercount late certifications (in
# synthetic tests with a 4-week-old oldest training, 80% intervals covered only ~55%).
MIN_AGE_FOR_LAG = DEFAULT_LAG_DAYS[1]


@dataclass(frozen=True)
class TrainingHistory:
    """A training that has happened. ``certifications`` holds (date, newly certified that day)
    pairs; bare dates (one per person) are accepted and mean one person each."""

    date: dt.date
    registered: int
    attended: int
    certifications: tuple[tuple[dt.date, int], ...] = ()
    level1: int | None = None  # attendees who passed L1 everywhere, if known (explain() only)
    level2: int | None = None  # attendees who passed L2 everywhere, if known (explain() only)

    def __post_init__(self) -> None:
        pairs = tuple(
            (item, 1) if isinstance(item, date) else (item[0], int(item[1]))
            for item in self.certifications
        )
        object.__setattr__(self, "certifications", pairs)
        if self.registered < 0 or self.attended < 0 or any(n < 0 for _, n in pairs):
            raise ValueError("counts cannot be negative")
        if self.certified > self.attended:
            raise ValueError(f"training on {self.date}: more certified than attended")

    @property
    def certified(self) -> int:
        return sum(n for _, n in self.certifications)


@dataclass(frozen=True)
class PlannedTraining:
    date: dt.date
    expected_registrations: int | None = None  # None: use the mean so far


@dataclass(frozen=True)
class Rates:
    """What the model learned from the history; posterior means plus the posteriors themselves."""

    trainings: int
    registered: int
    attended: int
    certified: int
    attendance_per_registration: float
    attendance_posterior: tuple[float, float]  # Gamma(shape, rate)
    certification_rate: float
    certification_posterior: tuple[float, float]  # Beta(a, b)
    effective_attendees: float
    mean_lag_days: float
    lag_from_history: bool  # False: the default 4-8 week guess stood in
    lag_cdf: tuple[float, ...]  # lag_cdf[d] = P(certified within d days | eventually certified)
    mean_registrations: float  # used for planned trainings without an estimate
    stages: tuple[tuple[str, float], ...]  # raw stage-to-stage conversions, when known
    assumptions: tuple[str, ...]  # which defaults stood in for missing data


class Words(Protocol):
    """How explain() speaks: the Django side passes one that translates (goals.views); the
    default, ENGLISH, keeps this module free of Django. Messages use %(name)s placeholders."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def number(self, value: float) -> str: ...

    def decimal(self, value: float) -> str: ...  # one decimal place

    def percent(self, fraction: float) -> str: ...

    def date(self, value: date) -> str: ...


class _English:
    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def number(self, value: float) -> str:
        return f"{value:,.0f}"

    def decimal(self, value: float) -> str:
        return f"{value:,.1f}"

    def percent(self, fraction: float) -> str:
        return _pct(fraction)

    def date(self, value: date) -> str:
        return str(value)


ENGLISH: Words = _English()


@dataclass(frozen=True)
class Forecast:
    target: int
    start: date
    end: date
    today: date
    certified_so_far: int
    band: tuple[tuple[date, float, float, float], ...]  # (date, p10, p50, p90) cumulative
    # The date by which 10% / 50% / 90% of simulated paths have reached the target:
    # p10 is the optimistic end of the interval, p90 the pessimistic one. None: not by horizon.
    reach_date_p10: date | None
    reach_date_p50: date | None
    reach_date_p90: date | None
    at_end: tuple[float, float, float]  # p10, p50, p90 certified by the end date
    rates: Rates
    planned_trainings: int
    notes: tuple[str, ...] = field(default=())

    def explain(self, tr: Words | None = None) -> str:
        """The forecast in plain words, in English unless ``tr`` speaks the reader's language."""
        tr = tr or ENGLISH
        rates = self.rates
        pct, num = tr.percent, tr.number
        parts = []
        if rates.trainings == 0:
            parts.append(
                tr.gettext(
                    "No trainings have happened yet, so this rests on assumptions: about %(attend)s of "
                    "registrants attend, %(certify)s of attendees certify (no real opinion), within "
                    "%(days)s days on average."
                )
                % {
                    "attend": pct(rates.attendance_per_registration),
                    "certify": pct(rates.certification_rate),
                    "days": num(rates.mean_lag_days),
                }
            )
        else:
            parts.append(
                tr.ngettext(
                    "So far %(n)s training: %(registered)s registered, %(attended)s attended "
                    "(%(rate)s of registrations), %(certified)s certified.",
                    "So far %(n)s trainings: %(registered)s registered, %(attended)s attended "
                    "(%(rate)s of registrations), %(certified)s certified.",
                    rates.trainings,
                )
                % {
                    "n": rates.trainings,
                    "registered": num(rates.registered),
                    "attended": num(rates.attended),
                    "rate": pct(rates.attendance_per_registration),
                    "certified": num(rates.certified),
                }
            )
            lo, hi = beta_interval(*rates.certification_posterior)
            wording = (
                tr.gettext(
                    "Counting people still working through L1 and L2, %(rate)s of attendees end "
                    "up certified (80%% range %(low)s-%(high)s), %(days)s days after the training "
                    "on average."
                )
                if rates.lag_from_history
                else tr.gettext(
                    "Counting people still working through L1 and L2, %(rate)s of attendees end "
                    "up certified (80%% range %(low)s-%(high)s), %(days)s days after the training "
                    "on average (assumed)."
                )
            )
            parts.append(
                wording
                % {
                    "rate": pct(rates.certification_rate),
                    "low": pct(lo),
                    "high": pct(hi),
                    "days": num(rates.mean_lag_days),
                }
            )
            if rates.stages:
                stages = ", ".join(f"{name} {pct(value)}" for name, value in rates.stages)
                parts.append(tr.gettext("Stage by stage: %(stages)s.") % {"stages": stages})
            if not rates.lag_from_history:
                parts.append(
                    tr.gettext(
                        "Until there are %(certifications)s certifications and a training %(age)s days "
                        "old, the delay to certification is the default guess of %(low)s-%(high)s days."
                    )
                    % {
                        "certifications": MIN_CERTIFICATIONS_FOR_LAG,
                        "age": MIN_AGE_FOR_LAG,
                        "low": DEFAULT_LAG_DAYS[0],
                        "high": DEFAULT_LAG_DAYS[1],
                    }
                )
        if rates.trainings == 0:
            parts.append(
                tr.gettext(
                    "Each planned training with no estimate is assumed to get %(n)s registrations."
                )
                % {"n": DEFAULT_REGISTRATIONS}
            )
        parts.append(
            tr.ngettext(
                "%(n)s more training is planned; unknown sizes use %(size)s registrations.",
                "%(n)s more trainings are planned; unknown sizes use %(size)s registrations.",
                self.planned_trainings,
            )
            % {"n": self.planned_trainings, "size": num(rates.mean_registrations)}
        )
        parts.extend(self.notes)  # rare (a planned training dated today): left in English
        target = num(self.target)
        if self.certified_so_far >= self.target:
            parts.append(
                tr.gettext("The target of %(target)s was reached on %(date)s.")
                % {"target": target, "date": _date_or_later(self.reach_date_p50, tr)}
            )
        elif self.reach_date_p50 is not None:
            parts.append(
                tr.gettext(
                    "Median forecast: %(target)s certified on %(date)s (80%% range %(early)s to "
                    "%(late)s)."
                )
                % {
                    "target": target,
                    "date": tr.date(self.reach_date_p50),
                    "early": _date_or_later(self.reach_date_p10, tr),
                    "late": _date_or_later(self.reach_date_p90, tr),
                }
            )
        else:
            parts.append(
                tr.gettext(
                    "In most simulations the program does not reach %(target)s by the horizon."
                )
                % {"target": target}
            )
        p10, p50, p90 = self.at_end
        parts.append(
            tr.gettext(
                "By the end date %(end)s: %(median)s certified (80%% range %(low)s-%(high)s)."
            )
            % {"end": tr.date(self.end), "median": num(p50), "low": num(p10), "high": num(p90)}
        )
        return " ".join(parts)


@dataclass(frozen=True)
class WhatItTakes:
    extra_trainings: int | None  # None: no number of extra trainings gets there in time
    extra_people_per_training: int | None  # extra attendees at each planned training
    explanation: str  # in English; explain(words) says it in the reader's language
    # What the explanation is made of (the defaults: a forecast stored before these were kept).
    target: int = 0
    end: date | None = None
    confidence: float = 0.0
    outcome: str = ""  # "reached", "on track", or "" (something more is needed)
    size: float = 0.0  # registrations at an extra training
    first: date | None = None  # extra trainings go between first and last
    last: date | None = None
    per_week: float = 0.0
    usable: int = 0  # planned trainings before the end that could take more people
    registrations: float = 0.0  # extra registrations per planned training

    def explain(self, tr: Words | None = None) -> str:
        if self.end is None:
            return self.explanation
        tr = tr or ENGLISH
        target = tr.number(self.target)
        if self.outcome == "reached":
            return tr.gettext("The target of %(target)s has already been reached.") % {
                "target": target
            }
        goal = tr.gettext("%(target)s certified by %(end)s with %(confidence)s confidence") % {
            "target": target,
            "end": tr.date(self.end),
            "confidence": tr.percent(self.confidence),
        }
        if self.outcome == "on track":
            return tr.gettext("The current plan already gets %(goal)s.") % {"goal": goal}
        last = tr.date(self.last) if self.last else ""
        if self.extra_trainings is None:
            trainings = tr.gettext(
                "no number of extra trainings gets there: a training must be held by %(last)s "
                "for half its certifications to arrive before %(end)s."
            ) % {"last": last, "end": tr.date(self.end)}
        else:
            trainings = tr.ngettext(
                "hold %(n)s more training of about %(size)s registrations between %(first)s and "
                "%(last)s (%(per_week)s a week on top of the plan).",
                "hold %(n)s more trainings of about %(size)s registrations between %(first)s and "
                "%(last)s (%(per_week)s a week on top of the plan).",
                self.extra_trainings,
            ) % {
                "n": self.extra_trainings,
                "size": tr.number(self.size),
                "first": tr.date(self.first) if self.first else "",
                "last": last,
                "per_week": tr.decimal(self.per_week),
            }
        if self.extra_people_per_training is not None:
            people = tr.ngettext(
                "Or bring %(n)s more person to each of the %(usable)s planned trainings before "
                "%(end)s (about %(registrations)s more registrations each).",
                "Or bring %(n)s more people to each of the %(usable)s planned trainings before "
                "%(end)s (about %(registrations)s more registrations each).",
                self.extra_people_per_training,
            ) % {
                "n": self.extra_people_per_training,
                "usable": self.usable,
                "end": tr.date(self.end),
                "registrations": tr.number(self.registrations),
            }
        elif not self.usable:
            people = tr.gettext("No planned training before the end date can absorb more people.")
        else:
            people = tr.gettext("Even very large trainings would not be enough in time.")
        return tr.gettext("For %(goal)s: %(trainings)s %(people)s") % {
            "goal": goal,
            "trainings": trainings,
            "people": people,
        }


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


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _date_or_later(when: date | None, tr: Words | None = None) -> str:
    if tr is None:
        return str(when) if when else "after the horizon"
    return tr.date(when) if when else tr.gettext("after the horizon")

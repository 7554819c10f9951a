"""What the forecast model takes and gives: its priors, inputs, rates and results, and the sentences that explain them (pure Python, no Django)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from strategists.goals.core.sampling import beta_interval

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


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _date_or_later(when: date | None, tr: Words | None = None) -> str:
    if tr is None:
        return str(when) if when else "after the horizon"
    return tr.date(when) if when else tr.gettext("after the horizon")

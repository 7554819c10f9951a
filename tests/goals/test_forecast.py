"""Forecast model: known answers, recovered rates, calibration and edge cases (no database).

Synthetic "worlds" are generated here independently of the model's code: registrations are
Poisson around the planned number, each registrant shows up with probability SHOW_UP, each
attendee certifies with probability CERTIFY after 21 + Exponential(mean 20) whole days.
"""

import math
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategists.goals.core.forecast import estimate_rates, forecast, what_it_takes
from strategists.goals.core.forecast_types import (
    CERTIFICATION_PRIOR,
    DEFAULT_REGISTRATIONS,
    Forecast,
    PlannedTraining,
    Rates,
    TrainingHistory,
    WhatItTakes,
)

START, END = date(2026, 9, 1), date(2027, 8, 31)
SHOW_UP, CERTIFY = 0.7, 0.4
MEAN_LAG = 21 + 1 / (math.exp(1 / 20) - 1)  # 21 + E[floor(Exponential(mean 20))] = 40.5 days


def poisson(rng, mean):
    limit, product, k = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        k += 1
    return k


def world(seed, *, trainings=26, held=13, expected=40):
    """History up to 'today' (5 days after the last held training), the plan, and the truth:
    every certification date the world will ever produce."""
    rng = random.Random(seed)
    dates = [START + timedelta(days=7 + 14 * i) for i in range(trainings)]
    today = dates[held - 1] + timedelta(days=5)
    history, planned, truth = [], [], []
    for day in dates:
        registered = poisson(rng, expected)
        attended = sum(rng.random() < SHOW_UP for _ in range(registered))
        certified = [
            day + timedelta(days=21 + int(rng.expovariate(1 / 20)))
            for _ in range(attended)
            if rng.random() < CERTIFY
        ]
        truth += certified
        if day <= today:
            seen = tuple(c for c in certified if c <= today)
            history.append(TrainingHistory(day, registered, attended, seen))
        else:
            planned.append(PlannedTraining(day, expected))
    return history, planned, today, sorted(truth)


def test_recovers_known_rates_from_synthetic_histories():
    estimated, naive = [], []
    for seed in range(10):
        history, _, today, _ = world(seed, trainings=20, held=20, expected=60)
        rates = estimate_rates(history, today)
        # 3 standard errors: ~1,200 registrations, ~700 effective attendees. Lags: ~280 with
        # sd 20 give 1.2 days, but chain-ladder leans on the few oldest trainings for the
        # tail, so allow 4 standard errors (measured spread over seeds: 36.5 to 42.4 days).
        assert abs(rates.attendance_per_registration - SHOW_UP) < 3 * math.sqrt(0.21 / 1200)
        assert abs(rates.certification_rate - CERTIFY) < 3 * math.sqrt(0.24 / 700)
        assert abs(rates.mean_lag_days - MEAN_LAG) < 4 * 20 / math.sqrt(280)
        assert rates.lag_from_history
        estimated.append((rates.certification_rate, rates.mean_lag_days))
        naive.append(rates.certified / rates.attended)
    # Over 10 worlds the means are unbiased (3 standard errors of the mean), while
    # certified/attended is pulled down to ~0.34 by the last trainings, whose people are still
    # working through L1 and L2.
    assert abs(sum(rate for rate, _ in estimated) / 10 - CERTIFY) < 3 * math.sqrt(0.24 / 7000)
    assert abs(sum(lag for _, lag in estimated) / 10 - MEAN_LAG) < 1.5
    assert sum(naive) / 10 < CERTIFY - 0.04


def test_chain_ladder_known_answer():
    # Old training: 5 certified on day 10, 5 on day 20. Young one (15 days): 4 on day 10.
    old, young = date(2026, 9, 1), date(2026, 11, 25)
    today = young + timedelta(days=15)
    history = [
        TrainingHistory(old, 50, 40, ((old + timedelta(10), 5), (old + timedelta(20), 5))),
        TrainingHistory(young, 30, 20, ((young + timedelta(10), 4),)),
    ]
    rates = estimate_rates(history, today)
    oldest = (today - old).days
    # Among trainings >= 20 days old, the count doubled from day 19 to 20: half arrive by day 10.
    assert rates.lag_cdf == (0.0,) * 10 + (0.5,) * 10 + (1.0,) * (oldest - 19)
    assert rates.mean_lag_days == 15.0
    # The young training has shown half of what it will give: it counts as 10 attendees.
    assert rates.effective_attendees == 50.0
    assert rates.certification_posterior == (CERTIFICATION_PRIOR[0] + 14, 1.0 + 50 - 14)
    assert rates.attendance_posterior == (7.0 + 60, 10.0 + 80)


def test_interval_covers_the_truth_about_80_percent_of_the_time():
    seeds, end_hits, reach_hits = 150, 0, 0
    target = 210  # about what these worlds certify by two months before the end date
    for seed in range(seeds):
        history, planned, today, truth = world(1000 + seed)
        result = forecast(
            history, planned, target=target, start=START, end=END, today=today,
            horizon=END + timedelta(days=90), simulations=200, seed=seed,
        )  # fmt: skip
        p10, _, p90 = result.at_end
        end_hits += p10 <= sum(c <= END for c in truth) <= p90
        reached = truth[target - 1]
        early, late = result.reach_date_p10, result.reach_date_p90
        reach_hits += early is not None and early <= reached and (late is None or reached <= late)
    # 150 worlds: binomial sd of a true 80% is 3.3 points, so 70-90% is a 3-sd band.
    assert 0.70 <= end_hits / seeds <= 0.90
    assert 0.70 <= reach_hits / seeds <= 0.90


def test_deterministic_given_seed():
    history, planned, today, _ = world(7)
    run = {"start": START, "end": END, "today": today, "simulations": 200}
    assert forecast(history, planned, **run, seed=3) == forecast(history, planned, **run, seed=3)
    assert forecast(history, planned, **run, seed=3) != forecast(history, planned, **run, seed=4)


def test_no_history_and_nothing_planned_is_zero_with_priors_said_out_loud():
    result = forecast([], [], start=START, end=END, today=START, simulations=10)
    days = (END - START).days + 1
    lag_cdf = (0.0,) * 28 + tuple((d - 27) / 29 for d in range(28, 57))
    assert result == Forecast(
        target=1000,
        start=START,
        end=END,
        today=START,
        certified_so_far=0,
        band=tuple((START + timedelta(days=i), 0.0, 0.0, 0.0) for i in range(days)),
        reach_date_p10=None,
        reach_date_p50=None,
        reach_date_p90=None,
        at_end=(0.0, 0.0, 0.0),
        rates=Rates(
            trainings=0,
            registered=0,
            attended=0,
            certified=0,
            attendance_per_registration=0.7,
            attendance_posterior=(7.0, 10.0),
            certification_rate=0.5,
            certification_posterior=(1.0, 1.0),
            effective_attendees=0,
            mean_lag_days=sum(d / 29 for d in range(28, 57)),
            lag_from_history=False,
            lag_cdf=lag_cdf,
            mean_registrations=40.0,
            stages=(),
            assumptions=(
                "Each planned training with no estimate is assumed to get 40 registrations.",
            ),
        ),
        planned_trainings=0,
    )
    assert result.explain() == (
        "No trainings have happened yet, so this rests on assumptions: about 70% of registrants"
        " attend, 50% of attendees certify (no real opinion), within 42 days on average."
        " Each planned training with no estimate is assumed to get 40 registrations."
        " 0 more trainings are planned; unknown sizes use 40 registrations."
        " In most simulations the program does not reach 1,000 by the horizon."
        " By the end date 2027-08-31: 0 certified (80% range 0-0)."
    )


def test_no_history_forecasts_planned_trainings_from_priors():
    planned = [PlannedTraining(START + timedelta(days=14 * i)) for i in range(1, 25)]
    result = forecast([], planned, start=START, end=END, today=START, simulations=500)
    p10, _, p90 = result.at_end
    # Prior means: 40 registrations x 0.7 attend x 0.5 certify = 14 per training, and ~22.5 of
    # the 24 trainings' certifications arrive (4-8 weeks) before the end: about 315.
    assert result.rates.mean_registrations == DEFAULT_REGISTRATIONS
    assert p10 < 315 < p90
    assert p90 - p10 > 300  # wide: Beta(1, 1) has no opinion on the certification rate
    assert result.explain().startswith("No trainings have happened yet")


def test_zero_certifications_so_far_drives_the_rate_down():
    old = [TrainingHistory(START + timedelta(days=14 * i), 40, 30) for i in range(5)]
    today = START + timedelta(days=200)  # every training is past the 8-week default lag
    rates = estimate_rates(old, today)
    assert rates.certification_posterior == (1.0, 151.0)
    assert rates.lag_from_history is False
    result = forecast(old, [], start=START, end=END, today=today, simulations=200)
    assert result.at_end == (0.0, 0.0, 0.0)
    assert "default guess of 28-56 days" in result.explain()


def test_target_already_reached():
    day = START + timedelta(days=10)
    history = [TrainingHistory(day, 1500, 1200, ((day + timedelta(days=30), 1000),))]
    today = day + timedelta(days=60)
    result = forecast(history, [], start=START, end=END, today=today, simulations=50)
    reached = day + timedelta(days=30)
    assert (result.reach_date_p10, result.reach_date_p50, result.reach_date_p90) == (
        reached,
        reached,
        reached,
    )
    assert f"The target of 1,000 was reached on {reached}." in result.explain()
    takes = what_it_takes(history, [], end=END, today=today)
    assert (takes.extra_trainings, takes.extra_people_per_training, takes.explanation) == (
        0,
        0,
        "The target of 1,000 has already been reached.",
    )


def test_empty_plan_only_counts_people_still_certifying():
    history, _, today, _ = world(3)
    result = forecast(history, [], start=START, end=END, today=today, simulations=300)
    so_far = result.certified_so_far
    pending = sum(t.attended - t.certified for t in history)
    assert so_far < result.at_end[0] <= result.at_end[2] < so_far + pending
    takes = what_it_takes(history, [], target=300, end=END, today=today, simulations=300)
    assert takes.extra_people_per_training is None
    assert takes.extra_trainings is not None and takes.extra_trainings > 0
    assert "No planned training before the end date can absorb more people." in takes.explanation


def test_what_it_takes_when_the_plan_is_enough():
    history, planned, today, _ = world(3)
    takes = what_it_takes(history, planned, target=150, end=END, today=today, simulations=300)
    assert (takes.extra_trainings, takes.extra_people_per_training, takes.explanation) == (
        0,
        0,
        "The current plan already gets 150 certified by 2027-08-31 with 50% confidence.",
    )


def test_a_forecast_stored_before_the_facts_were_kept_explains_itself_as_stored():
    old = WhatItTakes(3, None, "For 1,000 certified by 2027-08-31 with 50% confidence: ...")
    assert old.explain() == "For 1,000 certified by 2027-08-31 with 50% confidence: ..."


def test_what_it_takes_more_confidence_takes_more():
    history, planned, today, _ = world(3)
    run = {"target": 400, "end": END, "today": today, "simulations": 400}
    median = what_it_takes(history, planned, **run)
    sure = what_it_takes(history, planned, **run, confidence=0.8)
    assert 0 < median.extra_trainings <= sure.extra_trainings
    assert 0 < median.extra_people_per_training <= sure.extra_people_per_training
    # The answer is the smallest that works: adding that many trainings as planned ones
    # lifts the median forecast at the end to about the target.
    rates = estimate_rates(history, today)
    median_lag = next(d for d, f in enumerate(rates.lag_cdf) if f >= 0.5)
    size = round(rates.mean_registrations)
    first, last = today + timedelta(days=14), END - timedelta(days=median_lag)
    gap = (last - first) / median.extra_trainings
    extra = [PlannedTraining(first + gap * (i + 0.5), size) for i in range(median.extra_trainings)]
    more = forecast(history, planned + extra, target=400, start=START, end=END, today=today)
    assert 380 <= more.at_end[1] <= 430


def test_history_accepts_per_person_dates_and_rejects_impossible_counts():
    day = date(2026, 10, 1)
    people = TrainingHistory(day, 10, 8, (day + timedelta(30), day + timedelta(30)))
    assert people == TrainingHistory(day, 10, 8, ((day + timedelta(30), 1),) * 2)
    assert people.certified == 2
    with pytest.raises(ValueError, match="more certified than attended"):
        TrainingHistory(day, 10, 1, ((day, 2),))
    with pytest.raises(ValueError, match="in the future"):
        estimate_rates([people], day - timedelta(days=1))


def test_stage_conversions_are_explained():
    day = date(2026, 10, 1)
    history = [TrainingHistory(day, 100, 80, ((day + timedelta(30), 32),), level1=64, level2=40)]
    rates = estimate_rates(history, day + timedelta(days=90))
    assert rates.stages == (
        ("registered→attended", 0.8),
        ("attended→L1", 0.8),
        ("L1→L2", 0.625),
        ("L2→certified", 0.8),
    )


histories = st.lists(
    st.tuples(
        st.integers(0, 120),  # days before today
        st.integers(0, 60),  # registered
        st.integers(0, 60),  # attended
        st.lists(st.integers(0, 120), max_size=30),  # certification lags
    ),
    max_size=6,
)


@settings(max_examples=30, deadline=None)
@given(histories, st.lists(st.tuples(st.integers(1, 200), st.none() | st.integers(0, 80))))
def test_band_is_ordered_and_never_goes_down(raw_history, raw_plan):
    today = START + timedelta(days=150)
    history = []
    for ago, registered, attended, lags in raw_history:
        day = today - timedelta(days=ago)
        seen = [(day + timedelta(lag), 1) for lag in lags if lag <= ago][:attended]
        history.append(TrainingHistory(day, registered, attended, tuple(seen)))
    planned = [PlannedTraining(today + timedelta(days=d), n) for d, n in raw_plan]
    result = forecast(history, planned, start=START, end=END, today=today, simulations=30)
    for _, p10, p50, p90 in result.band:
        assert p10 <= p50 <= p90
    for column in (1, 2, 3):
        values = [row[column] for row in result.band]
        assert values == sorted(values)
    assert result.band[(today - START).days][1] == result.certified_so_far

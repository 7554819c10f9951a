"""Random draws and order statistics the forecast needs, exact and seeded (standard library only)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence


def quantile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (statistics.quantiles 'inclusive')."""
    if not ordered:
        return 0.0
    position = (len(ordered) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean < 10:
        # Knuth: multiply uniforms until the product drops below exp(-mean).
        limit, product, k = math.exp(-mean), rng.random(), 0
        while product > limit:
            product *= rng.random()
            k += 1
        return k
    # Hörmann's PTRS transformed rejection (as in numpy), exact and O(1) for large means.
    slam, loglam = math.sqrt(mean), math.log(mean)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - abs(u)
        k = math.floor((2 * a / us + b) * u + mean + 0.43)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b) <= (
            -mean + k * loglam - math.lgamma(k + 1)
        ):
            return k


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Count successes by jumping geometric gaps between them: O(n * min(p, 1-p)) work."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        return n - binomial(rng, n, 1.0 - p)
    log_q = math.log1p(-p)
    position, successes = 0, 0
    while True:
        position += int(math.log(1.0 - rng.random()) / log_q) + 1
        if position > n:
            return successes
        successes += 1


def beta_interval(a: float, b: float) -> tuple[float, float]:
    """10th/90th percentiles of Beta(a, b) by a fixed-seed draw: exact enough for a sentence."""
    rng = random.Random(0)
    draws = sorted(rng.betavariate(a, b) for _ in range(2000))
    return quantile(draws, 0.1), quantile(draws, 0.9)

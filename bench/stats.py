"""Small statistics over repeated measurements."""

from __future__ import annotations

import statistics


def summary_ms(seconds: list[float]) -> dict:
    """Return median, min, max, p90 and spread (max-min) in milliseconds, rounded to 0.1 ms."""
    values = sorted(s * 1000 for s in seconds)
    p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
    return {
        "runs": len(values),
        "median_ms": round(statistics.median(values), 1),
        "min_ms": round(values[0], 1),
        "p90_ms": round(p90, 1),
        "max_ms": round(values[-1], 1),
        "stdev_ms": round(statistics.stdev(values), 1) if len(values) > 1 else 0.0,
    }


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]

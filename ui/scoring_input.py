"""Temperature stops every page offers, and how a link's temperature snaps to one."""

from __future__ import annotations

import math

# log-spaced 0.01 … 100 in steps a teacher can read aloud
TEMPERATURES = (
    0.01,
    0.02,
    0.03,
    0.05,
    0.07,
    0.1,
    0.15,
    0.2,
    0.3,
    0.5,
    0.7,
    1.0,
    1.5,
    2.0,
    3.0,
    5.0,
    7.0,
    10.0,
    15.0,
    20.0,
    30.0,
    50.0,
    70.0,
    100.0,
)


def nearest_temperature(value: float) -> float:
    """Snap any T in [0.01, 100] (e.g. from a link) to the nearest slider stop, in log distance."""
    return min(TEMPERATURES, key=lambda option: abs(math.log(option) - math.log(value)))

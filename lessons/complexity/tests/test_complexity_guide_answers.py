"""The Complexity lesson's guided questions (its guide.py): each stated answer is what the numbers imply,
computed again here independently (measurements); the step's own promises by ``test_guides.check_step``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from attention_core.complexity import Measurement
from lessons.complexity import guide as complexity_guide
from tests.app.test_guides import SEEDS, check_step
from ui.guide_steps import Word


def measurements(exponents: dict[str, float], ns=(256, 512, 1024, 2048), seed=0):
    """Fake runs whose time grows like n^exponent (with a little seeded noise), memory like the n × n matrix."""
    rng = np.random.default_rng(seed)
    return [
        Measurement(method, n, 64, 256, 64, 256, 1, 1e-9 * n**p * rng.uniform(0.9, 1.1), 4 * n * n, 0.0)
        for method, p in exponents.items()
        for n in ns
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_complexity_answers_are_what_the_measurements_imply(seed):
    results = measurements({"exact": 2.0, "linear": 1.0}, seed=seed)
    by_name = {step.name: step for step in complexity_guide.steps(results)}
    assert set(by_name) == {"time", "memory", "fast", "matrix"}
    for step in by_name.values():
        check_step(step)

    def factor(method, value):  # 2^slope of a least-squares line through log n, log value
        rows = [m for m in results if m.method == method]
        slope = np.polyfit(np.log([m.n for m in rows]), np.log([value(m) for m in rows]), 1)[0]
        return min(complexity_guide.FACTORS, key=lambda f: abs(np.log2(f) - slope))

    def chosen(step):
        return step.options[int(step.answer)]

    assert chosen(by_name["time"]) == Word("guide.complexity.times", (("k", factor("exact", lambda m: m.seconds)),))
    assert chosen(by_name["time"]) == Word("guide.complexity.times", (("k", 4),))
    assert chosen(by_name["memory"]) == Word("guide.complexity.times", (("k", 4),))
    assert chosen(by_name["fast"]) == Word("guide.complexity.times", (("k", factor("linear", lambda m: m.seconds)),))
    assert by_name["matrix"].is_right(4 * 2048**2 / 1e6) and not by_name["matrix"].is_right(2 * 2048**2 / 1e6)


def test_complexity_lesson_on_the_shipped_reference():
    """The shipped measurements: exact attention about 4× per doubling, in time and in memory."""

    from attention_core.complexity import from_csv

    csv = Path(complexity_guide.__file__).with_name("reference.csv").read_text()
    by_name = {step.name: step for step in complexity_guide.steps(from_csv(csv))}
    four = Word("guide.complexity.times", (("k", 4),))
    assert by_name["time"].options[int(by_name["time"].answer)] == four
    assert by_name["memory"].options[int(by_name["memory"].answer)] == four

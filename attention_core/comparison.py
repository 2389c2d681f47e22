"""Two attention settings side by side: A and B, and what changed from A to B.

Each side is one ``attend`` call with its own settings (query, method,
temperature, mask, params); the differences are B − A of what those calls
return, so Δw, Δo and ΔH are exactly what two separate calls give.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .attend import Attention, attend
from .softmax import entropy


@dataclass(frozen=True)
class Comparison:
    """A and B (``Attention`` each, one query: weights ``[n]``, output ``[d_v]``) and their entropies in bits."""

    a: Attention
    b: Attention
    entropy_a: float
    entropy_b: float

    @property
    def delta_weights(self) -> np.ndarray:
        """Δw = w_B − w_A ``[n]``."""
        return (self.b.weights - self.a.weights).numpy()

    @property
    def delta_output(self) -> np.ndarray:
        """Δo = o_B − o_A ``[d_v]``."""
        return (self.b.output - self.a.output).numpy()

    @property
    def delta_entropy(self) -> float:
        """ΔH = H(w_B) − H(w_A), in bits."""
        return self.entropy_b - self.entropy_a


def compare(keys, a: dict, b: dict, values=None) -> Comparison:
    """Attend twice over keys ``[n, d]``: with the ``attend`` keyword arguments ``a`` and then ``b``.

    ``a`` and ``b`` each hold ``query`` ``[d]`` and any of ``method``,
    ``temperature``, ``mask``, ``params``; ``values`` (default: the keys) is shared.
    """
    side_a = attend(keys=keys, values=values, **a)
    side_b = attend(keys=keys, values=values, **b)
    h_a, h_b = (float(entropy(side.weights)) for side in (side_a, side_b))
    return Comparison(a=side_a, b=side_b, entropy_a=h_a, entropy_b=h_b)

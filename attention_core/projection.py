"""A 2-D view of d-dimensional points: PCA fitted on the keys."""

from __future__ import annotations

import numpy as np
import torch


def pca_2d(keys, *others) -> tuple[np.ndarray, ...]:
    """Project keys ``[n, d]`` and any other points ``[..., d]`` onto the keys' first two
    principal components.  Returns float64 arrays ``[n, 2]`` and ``[..., 2]``.

    Uses ``torch.pca_lowrank`` (randomised, O(n·d)) under a fixed seed so the
    picture does not flip between reruns; signs are fixed so the largest
    loading of each component is positive.  With d = 1 the second axis is 0.
    """
    x = torch.as_tensor(np.asarray(keys, dtype=np.float64))
    mean = x.mean(dim=0)
    centred = x - mean
    d = x.shape[1]
    q = min(2, d, x.shape[0])
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        _, _, v = torch.pca_lowrank(centred, q=q, center=False, niter=4)  # v: [d, q]
    cols = torch.arange(v.shape[1])
    signs = torch.sign(v[v.abs().argmax(dim=0), cols])
    v = v * torch.where(signs == 0, torch.ones_like(signs), signs)
    if v.shape[1] < 2:
        v = torch.cat([v, torch.zeros(d, 2 - v.shape[1], dtype=v.dtype)], dim=1)

    def project(points) -> np.ndarray:
        p = torch.as_tensor(np.asarray(points, dtype=np.float64))
        return ((p - mean) @ v).numpy()

    return (project(x),) + tuple(project(o) for o in others)

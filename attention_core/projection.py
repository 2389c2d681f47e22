"""A 2-D view of d-dimensional points: PCA fitted on the keys."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .errors import InputError


@dataclass(frozen=True, eq=False)
class Projection2D:
    """The keys' first two principal axes: ``mean`` ``[d]``, ``axes`` ``[d, 2]`` (float64).

    Fitting costs O(n·d² + d³); projecting is one matmul, so a page fits once
    per sequence and projects the moving query and output on every rerun.
    """

    mean: torch.Tensor
    axes: torch.Tensor

    def project(self, points) -> np.ndarray:
        """points ``[..., d]`` → ``[..., 2]`` float64."""
        p = torch.tensor(np.asarray(points, dtype=np.float64))  # a copy: points may be read-only
        return ((p - self.mean) @ self.axes).numpy()


def fit_pca_2d(keys) -> Projection2D:
    """Exact PCA of keys ``[n, d]``: the top eigenvectors of the d×d scatter matrix.

    (A randomised low-rank PCA was visibly wrong whenever the top singular
    values were close.)  Signs are fixed so the largest loading of each axis
    is positive, so the picture does not flip between reruns.  With d = 1 the
    second axis is 0.  Any finite magnitude works (1e-300 … 1.8e308): the keys
    are scaled to at most 1 before the mean, and the spread again before the
    scatter matrix, whose entries would otherwise overflow or underflow.
    """
    x = torch.tensor(np.asarray(keys, dtype=np.float64))
    if not torch.isfinite(x).all():
        raise InputError("projection.not_finite")
    size = x.abs().max() if x.numel() else torch.tensor(0.0, dtype=torch.float64)
    size = torch.where(size > 0, size, torch.ones_like(size))
    mean_scaled = (x / size).mean(dim=0)
    mean = mean_scaled * size
    centred = x / size - mean_scaled  # [n, d], every entry in [-2, 2]
    spread = centred.abs().max()
    if spread > 0:
        centred = centred / spread
    d = x.shape[1]
    _, vectors = torch.linalg.eigh(centred.T @ centred)  # ascending eigenvalues
    v = vectors.flip(-1)[:, : min(2, d)]  # [d, q], largest first
    cols = torch.arange(v.shape[1])
    signs = torch.sign(v[v.abs().argmax(dim=0), cols])
    v = v * torch.where(signs == 0, torch.ones_like(signs), signs)
    if v.shape[1] < 2:
        v = torch.cat([v, torch.zeros(d, 2 - v.shape[1], dtype=v.dtype)], dim=1)
    return Projection2D(mean=mean, axes=v)


def pca_2d(keys, *others) -> tuple[np.ndarray, ...]:
    """Project keys ``[n, d]`` and any other points ``[..., d]`` onto the keys' first two
    principal components.  Returns float64 arrays ``[n, 2]`` and ``[..., 2]``.
    """
    projection = fit_pca_2d(keys)
    return (projection.project(keys),) + tuple(projection.project(o) for o in others)

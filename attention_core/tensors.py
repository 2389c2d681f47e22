"""Turning user arrays (numpy or torch) into floating-point torch tensors."""

from __future__ import annotations

import numpy as np
import torch

from .errors import InputError, Term


def as_float_tensor(x, name: str = "input") -> torch.Tensor:
    """Return ``x`` as a floating torch tensor, keeping float32/float64 as given.

    Integers and booleans become torch's default dtype (float32) so that a
    one-hot matrix typed as ``int`` still works.  Shapes are untouched.
    """
    if isinstance(x, torch.Tensor):
        t = x
    else:
        try:
            array = np.asarray(x)
            if not array.flags.writeable or any(s < 0 for s in array.strides):
                # torch cannot share read-only memory (it warns); sequences are
                # frozen on purpose, so hand torch its own copy.  Nor can it
                # take negative strides (x[::-1]).
                array = array.copy()
            t = torch.as_tensor(array)
        except (TypeError, ValueError) as exc:
            raise InputError("tensor.not_numbers", name=Term(name)) from exc
    if t.is_complex():
        raise InputError("tensor.complex", name=Term(name))
    if not t.is_floating_point():
        t = t.to(torch.get_default_dtype())
    return t


def common_dtype(*tensors: torch.Tensor) -> torch.dtype:
    """The widest float dtype among ``tensors`` (float64 wins over float32)."""
    dtype = tensors[0].dtype
    for t in tensors[1:]:
        dtype = torch.promote_types(dtype, t.dtype)
    return dtype

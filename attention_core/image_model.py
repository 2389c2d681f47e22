"""The shipped image model: a small CNN whose regions are pooled by attention with a learned query.

    image [3, 64, 64] → conv layers → X [n = 8·8, d]      one feature vector per region
    a_i = qᵀx_i / √d,  w = softmax(a),  o = Σ w_i x_i     attention pooling, q learned
    logits = W o + b                                       which shape is the red object

The model is only ever told the class.  Nothing tells it where the red
object is; that its weights w land on the object is what it learned.
The pooling is the core's own ``attend(q, X, method="scaled_dot")``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .attend import attend
from .errors import InputError
from .images import most_attended, resize, target_overlap

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "image"
WEIGHTS_FILE = MODEL_DIR / "cnn_attention.safetensors"
CONFIG_FILE = MODEL_DIR / "cnn_attention.json"
POINTING_OVERLAP = 0.10  # share of a region's pixels on the target for a pointing-game hit


class AttentionCNN(nn.Module):
    """Conv layers → a grid of region features X → attention pooling with a learned query → a linear classifier.

    ``channels`` are the widths of the conv blocks (3×3 conv, batch norm,
    ReLU); every block but the last has stride 2, so a ``size``-px image
    gives a grid of size / 2^(blocks − 1) regions a side (64 px, 4 blocks →
    8 × 8, each region seeing 31 px of the image).
    """

    def __init__(self, num_classes: int = 4, channels: tuple[int, ...] = (16, 32, 32, 32), size: int = 64):
        super().__init__()
        layers, c_in = [], 3
        for index, c_out in enumerate(channels):
            if index < len(channels) - 2:  # strided convs: cheaper than conv + pool
                layers.append(nn.Conv2d(c_in, c_out, 3, stride=2, padding=1))
            elif index == len(channels) - 2:
                # Why padding on the right and bottom only: with symmetric padding, feature (r, c)
                # would be centred on pixel (8r, 8c), the top-left corner of its region, and the
                # map would point half a region up and left of what the model looks at.  This
                # moves every centre to (8r + 4, 8c + 4), the middle of the region.
                layers += [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(c_in, c_out, 3, stride=2)]
            else:
                layers.append(nn.Conv2d(c_in, c_out, 3, padding=1))
            layers += [nn.BatchNorm2d(c_out), nn.ReLU()]
            c_in = c_out
        self.features = nn.Sequential(*layers)
        self.d = channels[-1]
        self.query = nn.Parameter(torch.randn(self.d) * 0.1)  # q: learned, one for every image
        self.classifier = nn.Linear(self.d, num_classes)
        self.size = size
        self.grid = size // 2 ** (len(channels) - 1)

    def regions(self, images: torch.Tensor) -> torch.Tensor:
        """images ``[B, 3, S, S]`` in [0, 1] → X ``[B, n, d]``, regions row by row."""
        f = self.features(images - 0.5)  # [B, d, g, g]
        return f.flatten(2).transpose(1, 2)  # [B, g·g, d]

    def forward(self, images: torch.Tensor):
        """images ``[B, 3, S, S]`` → logits ``[B, classes]``, weights ``[B, n]``, X ``[B, n, d]``, o ``[B, d]``."""
        x = self.regions(images)  # [B, n, d]
        q = self.query.expand(x.shape[0], 1, self.d)  # [B, 1, d]: the same q for every image
        pooled = attend(q, x, method="scaled_dot")  # w [B, 1, n], o = Σ wᵢxᵢ [B, 1, d]
        w, o = pooled.weights[:, 0], pooled.output[:, 0]  # [B, n], [B, d]
        return self.classifier(o), w, x, o


def to_batch(images: np.ndarray) -> torch.Tensor:
    """``uint8 [B, S, S, 3]`` → ``float32 [B, 3, S, S]`` in [0, 1]."""
    return (
        torch.from_numpy(np.array(images, dtype=np.uint8)).permute(0, 3, 1, 2).float() / 255.0
    )  # a copy: images may be read-only


@dataclass(frozen=True)
class LoadedImageModel:
    """The trained model (eval mode, never modified after loading) and what the training wrote about it."""

    model: AttentionCNN
    classes: tuple[str, ...]
    config: dict


def load_image_model(weights: Path = WEIGHTS_FILE, config: Path = CONFIG_FILE) -> LoadedImageModel:
    """Load the shipped model from its safetensors file and JSON config (no network, no pickle)."""
    from safetensors.torch import load_file

    try:
        meta = json.loads(Path(config).read_text(encoding="utf-8"))
        state = load_file(str(weights))
    except (OSError, ValueError) as exc:
        raise InputError("image.model_files", file=Path(weights).name) from exc
    model = AttentionCNN(num_classes=len(meta["classes"]), channels=tuple(meta["channels"]), size=meta["size"])
    model.load_state_dict(state)
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return LoadedImageModel(model=model, classes=tuple(meta["classes"]), config=meta)


@dataclass(frozen=True)
class ImagePrediction:
    """What the model did with one image.

    probabilities ``[classes]``; weights ``[g, g]`` (the learned query's map,
    sums to 1); scores ``[g, g]`` (qᵀxᵢ/√d); features X ``[g·g, d]``; output o ``[d]``;
    query q ``[d]``.
    """

    probabilities: np.ndarray
    weights: np.ndarray
    scores: np.ndarray
    features: np.ndarray
    output: np.ndarray
    query: np.ndarray


@torch.no_grad()
def predict(loaded: LoadedImageModel, image: np.ndarray) -> ImagePrediction:
    """Run the model on one RGB image ``uint8 [H, W, 3]`` (resized to the model's size, aspect not kept)."""
    model = loaded.model
    small = resize(np.asarray(image), (model.size, model.size))
    threads = torch.get_num_threads()
    # One image is ~1 ms of work on one thread; spread over torch's thread pool on a busy
    # shared server it waits for every thread in turn (measured: 100+ ms under load).
    torch.set_num_threads(1)
    try:
        x = model.regions(to_batch(small[None]))[0]  # [n, d]
        pooled = attend(model.query, x, method="scaled_dot")
        logits = model.classifier(pooled.output)
    finally:
        torch.set_num_threads(threads)
    g = model.grid
    return ImagePrediction(
        probabilities=torch.softmax(logits, -1).numpy(),
        weights=pooled.weights.reshape(g, g).numpy(),
        scores=pooled.scores.reshape(g, g).numpy(),
        features=x.numpy(),
        output=pooled.output.numpy(),
        query=model.query.detach().numpy().copy(),
    )


@torch.no_grad()
def evaluate(
    loaded: LoadedImageModel, images: np.ndarray, labels: np.ndarray, masks: np.ndarray, batch: int = 250
) -> tuple[float, float]:
    """(accuracy, pointing-game score) on ``uint8 [N, S, S, 3]`` scenes with target masks ``bool [N, S, S]``.

    Pointing game: the most-attended region is a hit when it lies on the
    target object, i.e. at least POINTING_OVERLAP of its pixels are the
    object's (a region grazing the object's edge by a pixel is no hit).
    """
    model = loaded.model
    correct = hits = 0
    for start in range(0, len(images), batch):
        logits, w, _, _ = model(to_batch(images[start : start + batch]))
        correct += int((logits.argmax(-1).numpy() == labels[start : start + batch]).sum())
        maps = w.reshape(-1, model.grid, model.grid).numpy()
        hits += sum(points_at_target(m, mask) for m, mask in zip(maps, masks[start : start + batch]))
    return correct / len(images), hits / len(images)


def points_at_target(weights: np.ndarray, mask: np.ndarray) -> bool:
    """Pointing game for one image: does the most-attended region of ``weights`` ``[g, g]`` lie on ``mask`` ``[H, W]``?"""
    ((r, c),) = most_attended(weights, 1)
    return bool(target_overlap(mask, weights.shape)[r, c] >= POINTING_OVERLAP)

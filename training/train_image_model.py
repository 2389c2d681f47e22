"""Train the shipped image model: `python -m training.train_image_model`.

Draws its own seeded data set of scenes ("what shape is the red object?",
attention_core.scenes), trains attention_core.image_model.AttentionCNN on
the class labels only, and writes the weights (safetensors) and a JSON with
the config and the accuracy and pointing-game score on a fresh test set to
models/image/.  Fully seeded: the same command gives the same numbers on the
same machine (torch threads set to 2).

    python -m training.train_image_model              # the shipped model (~2 min on 2 cores)
    python -m training.train_image_model --out /tmp/m --train 2000 --epochs 2   # a quick check
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from attention_core.image_model import CONFIG_FILE, WEIGHTS_FILE, AttentionCNN, LoadedImageModel, evaluate, to_batch
from attention_core.scenes import CLASSES, make_dataset

DEFAULTS = dict(
    train=4000, epochs=10, batch=64, lr=3e-3, seed=0, test=500, test_seed=999, channels=(16, 32, 32, 32), size=64
)


def augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random flips and 90° turns: a shape's name survives them, so the data set counts 8× more."""
    if torch.rand(1, generator=generator).item() < 0.5:
        x = x.flip(-1)
    if torch.rand(1, generator=generator).item() < 0.5:
        x = x.flip(-2)
    if torch.rand(1, generator=generator).item() < 0.5:
        x = x.transpose(-1, -2)
    return x


def train(
    train: int, epochs: int, batch: int, lr: float, seed: int, channels=(16, 32, 32, 32), size: int = 64, log=print
) -> AttentionCNN:
    """Train on ``train`` scenes drawn with ``seed``; returns the model in eval mode."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    images, labels, _ = make_dataset(train, seed=seed, size=size)
    x_all, y_all = to_batch(images), torch.from_numpy(labels)
    model = AttentionCNN(num_classes=len(CLASSES), channels=tuple(channels), size=size)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((train + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(train, generator=generator)
        total, right = 0.0, 0
        for start in range(0, train, batch):
            idx = order[start : start + batch]
            logits, _, _, _ = model(augment(x_all[idx], generator))
            loss = torch.nn.functional.cross_entropy(logits, y_all[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(idx)
            right += int((logits.argmax(-1) == y_all[idx]).sum())
        log(f"epoch {epoch + 1:2d}/{epochs}: loss {total / train:.3f}, train accuracy {right / train:.3f}")
    model.eval()
    return model


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, value in DEFAULTS.items():
        if name != "channels":
            parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE.parent)
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    started = time.perf_counter()
    model = train(args.train, args.epochs, args.batch, args.lr, args.seed, DEFAULTS["channels"], args.size)
    trained = time.perf_counter() - started
    config = dict(
        classes=list(CLASSES),
        channels=list(DEFAULTS["channels"]),
        size=args.size,
        grid=model.grid,
        d=model.d,
        training={k: getattr(args, k) for k in ("train", "epochs", "batch", "lr", "seed")},
    )
    images, labels, masks = make_dataset(args.test, seed=args.test_seed, size=args.size)
    for p in model.parameters():
        p.requires_grad_(False)
    accuracy, pointing = evaluate(LoadedImageModel(model, CLASSES, config), images, labels, masks)
    config["test"] = dict(
        scenes=args.test, seed=args.test_seed, accuracy=round(accuracy, 4), pointing_game=round(pointing, 4)
    )
    config["training_seconds"] = round(trained, 1)
    print(
        f"test on {args.test} fresh scenes: accuracy {accuracy:.3f}, pointing game {pointing:.3f}; "
        f"trained in {trained:.0f} s"
    )

    from safetensors.torch import save_file

    args.out.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(args.out / WEIGHTS_FILE.name))
    (args.out / CONFIG_FILE.name).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / WEIGHTS_FILE.name} and {CONFIG_FILE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

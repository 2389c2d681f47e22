"""Train the shipped seq2seq checkpoints: every task × every scoring, plus the no-attention baseline.

    nice -n 10 .venv/bin/python -m training.train_seq2seq            # all of them, ~5 CPU-minutes
    nice -n 10 .venv/bin/python -m training.train_seq2seq --only reverse_additive reverse_none

Ships every task with additive attention and without attention (the
baseline), and "reverse" with dot and general scoring too.  Seeded, one
torch thread.  An attention model trains until its accuracy on a
validation set (500 inputs) reaches 98 % (at most ``ATTENTION_STEPS`` steps); the
baseline trains for ``BASELINE_STEPS`` steps (checkpoints.json and the
README state every model's steps).  Each
is then measured on a separate seeded test set of 1000 inputs and by input
length.  Writes ``models/seq2seq/<task>_<scoring>.safetensors``
(float16 weights, the config in the metadata) and ``checkpoints.json``
with every checkpoint's config, steps, test accuracy and accuracy by
length — the numbers the README states and ``tests/core/test_seq2seq.py``
checks.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from attention_core.seq2seq import NO_ATTENTION, Seq2Seq, Seq2SeqConfig, held_out_inputs, train_seq2seq
from attention_core.toy_tasks import DATE_LENGTHS, TASKS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "models" / "seq2seq"
LENGTHS = (5, 12)  # the string tasks' input lengths: long enough for the baseline's summary to overflow
VALIDATION_SEED, TEST_SEED = 777, 12345
TARGET = 0.98
ATTENTION_STEPS = 2000
BASELINE_STEPS = 1000
SHIPPED = [f"{task}_{scoring}" for task in TASKS for scoring in ("additive", NO_ATTENTION)] + [
    "reverse_dot",
    "reverse_general",
]


def shipped_config(task: str, scoring: str) -> Seq2SeqConfig:
    lo, hi = DATE_LENGTHS if task == "date" else LENGTHS
    return Seq2SeqConfig(task=task, scoring=scoring, min_length=lo, max_length=hi, hidden=64, embedding=32, seed=0)


def train_one(config: Seq2SeqConfig, steps: int) -> dict:
    model = Seq2Seq(config)
    validation = held_out_inputs(config, 500, VALIDATION_SEED)

    def check(progress) -> bool:
        if progress.step % 100:
            return False
        score = model.accuracy(validation)
        print(f"  step {progress.step:5d}  loss {progress.loss:.4f}  validation {score:.3f}", flush=True)
        return config.attention and score >= TARGET

    start = time.process_time()
    result = train_seq2seq(model, steps, callback=check, every=10**9)
    path = OUT / f"{config.task}_{config.scoring}.safetensors"
    model.save(path)
    shipped = Seq2Seq.load(path)  # measure what ships (float16 weights), not what trained
    lo, hi = config.min_length, config.max_length
    return {
        "file": path.name,
        "config": json.loads(config.to_json()),
        "steps": result.steps_done,
        "cpu_seconds": round(time.process_time() - start, 1),
        "test_accuracy": round(shipped.accuracy(held_out_inputs(config, 1000, TEST_SEED)), 4),
        "accuracy_by_length": {str(n): round(a, 4) for n, a in shipped.accuracy_by_length(range(lo, hi + 1)).items()},
    }


def readme_table(index: dict) -> str:
    """The README's table of the shipped checkpoints (a test checks that it states these accuracies)."""
    lines = [
        "| checkpoint | task | scoring | trained on lengths | steps | test accuracy (1000 inputs) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, e in index.items():
        c = e["config"]
        lines.append(
            f"| `{name}` | {c['task']} | {c['scoring']} | {c['min_length']}–{c['max_length']} | {e['steps']} "
            f"| {100 * e['test_accuracy']:.1f} % |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=SHIPPED, choices=SHIPPED, metavar="TASK_SCORING")
    parser.add_argument("--readme", action="store_true", help="only print the README's table of checkpoints.json")
    args = parser.parse_args()
    if args.readme:
        print(readme_table(json.loads((OUT / "checkpoints.json").read_text())))
        return
    torch.set_num_threads(1)  # the machine is shared
    OUT.mkdir(parents=True, exist_ok=True)
    index_path = OUT / "checkpoints.json"
    for name in args.only:
        task, scoring = name.split("_")
        print(name, flush=True)
        entry = train_one(shipped_config(task, scoring), ATTENTION_STEPS if scoring != NO_ATTENTION else BASELINE_STEPS)
        print(f"  → test accuracy {entry['test_accuracy']:.3f} after {entry['steps']} steps", flush=True)
        # read again just before writing: two runs with different --only may share the file
        index = json.loads(index_path.read_text()) if index_path.exists() else {}
        index[name] = entry
        index_path.write_text(
            json.dumps(dict(sorted(index.items())), indent=1) + "\n"
        )  # after each: a crash keeps the rest


if __name__ == "__main__":
    main()

"""What resumable training costs and saves, measured in one process on the prepared data.

    .venv/bin/python benchmarks/bench_resume.py [--data results/data/cifar10.npz] [--rounds 2]

- overhead: the baseline (n = 5000, 20 epochs, as the `train` rule runs it) fitted with the
  state saved at every epoch end against the same fit without saving, in alternating rounds;
  the median fit times and their ratio (target: under 1.03);
- continuation: the deep net at n = 5000 for 20 epochs, then for 60 epochs continued from the
  20-epoch state, against 60 epochs from scratch: the training time of both runs with and
  without the continuation, and whether the continued run's weights equal the scratch run's.

Exits non-zero when the overhead reaches 3 % or the continued run differs.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO / "results" / "data" / "cifar10.npz")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    from convlab.backends import start
    from convlab.determinism import seed_everything

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    backend = start(args.threads, gpu=False)  # KERAS_BACKEND's backend
    seed_everything(backend.name, config["training"]["seed"])

    import keras

    from convlab.checkpoints import read_state, save_state
    from convlab.prepared import load_npz
    from convlab.training import train_run

    data = load_npz(args.data)
    settings = {**config["training"], "classes": config["cifar10"]["classes"]}
    layers = config["architectures"]
    seed = config["training"]["seed"]
    tmp = Path(tempfile.mkdtemp())

    def fit(arch, epochs, save=None, resume_from=None):
        keras.utils.set_random_seed(seed)  # as each training job starts: the same initial weights
        model, _, result = train_run(
            data, layers[arch], 5000, 0.0001, epochs, seed, settings, resume_from, on_epoch_end=save
        )
        return model, result["seconds"]

    saves = []

    def saving(epoch, model, history, seconds):
        start = time.perf_counter()
        save_state(tmp / "state.npz", "bench", epoch, model, history, seconds, [])
        saves.append(time.perf_counter() - start)

    times = {"without": [], "with": []}
    for _ in range(args.rounds):
        times["without"].append(fit("baseline", 20)[1])
        times["with"].append(fit("baseline", 20, save=saving)[1])
    without, with_state = (statistics.median(times[k]) for k in ("without", "with"))
    overhead = with_state / without
    print(f"baseline n=5000, 20 epochs, {args.threads} threads, {args.rounds} rounds (median):")
    print(
        f"  fit without saving {without:.1f} s, with the state saved each epoch {with_state:.1f} s:"
        f" {overhead:.3f}x; one save {1000 * statistics.median(saves):.1f} ms"
        f" ({(tmp / 'state.npz').stat().st_size / 1e3:.0f} kB)"
    )

    def save20(epoch, *state):
        save_state(tmp / "deep20.npz", "bench", epoch, *state, [])

    _, first = fit("deep", 20, save=save20)
    continued, rest = fit("deep", 60, resume_from=read_state(tmp / "deep20.npz"))
    scratch, whole = fit("deep", 60)
    same = all(np.array_equal(a, b) for a, b in zip(continued.get_weights(), scratch.get_weights()))
    print("deep n=5000: 20 epochs, then 60 epochs:")
    print(
        f"  with the continuation {first + rest:.1f} s (20-epoch run {first:.1f} s"
        " + the 60-epoch run"
        f" continued {rest:.1f} s); without {first + whole:.1f} s (60 from scratch {whole:.1f} s):"
        f" {(first + rest) / (first + whole):.2f}x"
    )
    print(f"  continued weights equal the scratch run's: {same}")
    if overhead >= 1.03 or not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

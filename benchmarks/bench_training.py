"""Training throughput on this machine: the workflow's training step against the assignment's.

    .venv/bin/python benchmarks/bench_training.py [--data PATH] [--n 5000] [--epochs 20] \
        [--repeats 3]

Each variant runs in a fresh Python process (TensorFlow's thread settings are fixed at its
first operation), one after another, on the same data, in rounds (every variant once per
round, so that a slow spell of the machine hits all alike); the script prints the median fit
time, its spread over the rounds, throughput, CPU use and test accuracy of each, and each
ratio against the assignment's runs made by this same invocation. It exits non-zero if the
workflow's step is slower than the assignment's or its test accuracy is more than 2 points
off.

Variants:
  assignment          the assignment's model.fit on float32 NumPy arrays, TensorFlow's defaults
  workflow            convlab.training.train_run, as the `train` rule runs it (2 threads,
                      uint8 images scaled batch by batch in a tf.data pipeline)
  tf-data-autotune    the workflow with tf.data's autotuner on, as before 2026-12-06: its
                      thread held the fit's end up to a minute after the last epoch
  workflow-1-thread   the same with 1 thread
  no-determinism      the workflow without TensorFlow's op determinism
  numpy-arrays        float32 NumPy arrays into model.fit, as the assignment (and the workflow's
                      first version) did, with the workflow's threads and seeding
  graph-scaling       uint8 NumPy arrays, scaled inside the model (a Rescaling layer)
  kernels-alone       the workflow's model and step counts on one batch held in memory, with
                      no data pipeline and no accuracy metric (its accuracy means nothing)
  two-1-thread-jobs   two 1-thread workflow jobs at once (throughput of both together)

XLA (jit_compile=True) is not among them: it made these small nets about 4x slower on this
CPU, measured before this benchmark was written.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

WORKFLOW = (
    "workflow",
    "workflow-1-thread",
    "no-determinism",
    "two-1-thread-jobs",
    "tf-data-autotune",
)
DEFAULT_VARIANTS = [
    "assignment",
    "workflow",
    "tf-data-autotune",
    "workflow-1-thread",
    "no-determinism",
    "numpy-arrays",
    "graph-scaling",
    "kernels-alone",
    "two-1-thread-jobs",
]
SHARED = REPO.parent / "shared" / "data" / "cifar10-images.tar.gz"


def load_data(path):
    from convlab.cifar10 import load_source
    from convlab.prepared import load_npz

    path = Path(path)
    if path.suffix == ".npz":
        return load_npz(path)
    import yaml

    cifar = yaml.safe_load((REPO / "config.yaml").read_text())["cifar10"]
    return load_source(path, cifar["classes"], cifar["seed"])


def child(variant: str, data_path: str, n: int, epochs: int) -> dict:
    """Run one variant in this process and return its measurements."""
    import yaml

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    threads = (
        1
        if variant in ("workflow-1-thread", "two-1-thread-jobs")
        else config["training"]["threads"]
    )
    import keras
    import tensorflow as tf

    if variant == "no-determinism":
        # convlab.backends.start on TensorFlow without its op determinism
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
        keras.utils.set_random_seed(config["training"]["seed"])
    elif variant != "assignment":
        from convlab.backends import start
        from convlab.determinism import seed_everything

        seed_everything(start(threads, gpu=False).name, config["training"]["seed"])

    data = load_data(data_path)
    (x_train, y_train), (x_test, y_test) = data
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    settings = {**config["training"], "classes": config["cifar10"]["classes"]}
    layers = config["architectures"]["baseline"]
    l1 = config["defaults"]["l1"]

    if variant == "assignment":
        import contextlib
        import io

        from assignment_training import assignment_fit

        stall = None
        with contextlib.redirect_stdout(io.StringIO()):
            fit_seconds, accuracy = assignment_fit(x_train, y_train, x_test, y_test, n, epochs)
    elif variant in WORKFLOW:
        from convlab import training

        if variant == "tf-data-autotune":
            made = training.tf_batches

            def autotuned(*args):
                options = tf.data.Options()
                options.autotune.enabled = True
                return made(*args).with_options(options)

            training.tf_batches = autotuned
        model, _, fit = training.train_run(
            data, layers, n, l1, epochs, config["training"]["seed"], settings
        )
        fit_seconds, stall = fit["seconds"], fit["end"] - fit["last_epoch_end"]
        evaluate_run = training.evaluate_run
        accuracy = evaluate_run(model, data, n, config["training"]["seed"], settings)[0][
            "test_accuracy"
        ]
    elif variant == "kernels-alone":
        # The workflow's threads, seeding, model, optimizer and step counts on one batch held
        # in memory as float32: Keras' kernels with no data pipeline and no metric.
        from convlab.models import build_model
        from convlab.splits import split_sizes
        from convlab.training import build_optimizer

        stall, accuracy = None, float("nan")  # one batch seen: only the time means anything
        classes = len(settings["classes"])
        model = build_model(layers, l1, x_train.shape[1:], classes)
        model.compile(
            loss=settings["loss"], optimizer=build_optimizer(settings["optimizer"]), metrics=[]
        )
        size = settings["batch_size"]
        split, held_out = split_sizes(n, settings["validation_split"])
        images = x_train[:size].astype("float32") / 255
        one = (images, keras.utils.to_categorical(y_train[:size], classes))
        one = tf.data.Dataset.from_tensors(one).repeat()
        start = time.perf_counter()
        model.fit(
            one,
            validation_data=one,
            epochs=epochs,
            steps_per_epoch=-(-split // size),
            validation_steps=-(-held_out // size),
            verbose=0,
        )
        fit_seconds = time.perf_counter() - start
    else:
        from convlab.models import build_model

        stall = None
        model = build_model(layers, l1, x_train.shape[1:], 10)
        y = keras.utils.to_categorical(y_train[:n], 10)
        if variant == "graph-scaling":
            model = keras.Sequential(
                [keras.Input(x_train.shape[1:]), keras.layers.Rescaling(1 / 255), *model.layers]
            )
            x, x_eval = x_train[:n], x_test
        else:
            x, x_eval = x_train[:n].astype("float32") / 255, x_test.astype("float32") / 255
        model.compile(loss=settings["loss"], optimizer=settings["optimizer"], metrics=["accuracy"])
        start = time.perf_counter()
        model.fit(
            x,
            y,
            batch_size=settings["batch_size"],
            epochs=epochs,
            validation_split=settings["validation_split"],
            verbose=0,
        )
        fit_seconds = time.perf_counter() - start
        accuracy = model.evaluate(x_eval, keras.utils.to_categorical(y_test, 10), verbose=0)[1]
    cores_busy = (time.process_time() - cpu_before) / (time.perf_counter() - wall_before)
    return {
        "variant": variant,
        "fit_seconds": fit_seconds,
        "stall_seconds": stall,
        "test_accuracy": float(accuracy),
        "images_per_second": n * (1 - 0.1) * epochs / fit_seconds,
        "cores_busy": cores_busy,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_variant(variant, args) -> dict:
    from convlab.probe import together

    command = [
        sys.executable,
        __file__,
        "--child",
        variant,
        "--data",
        str(args.data),
        "--n",
        str(args.n),
        "--epochs",
        str(args.epochs),
    ]
    copies = 2 if variant == "two-1-thread-jobs" else 1
    start = time.perf_counter()
    try:
        results = together(command, copies, f"variant {variant}")
    except RuntimeError as error:
        raise SystemExit(str(error)) from None
    wall = time.perf_counter() - start
    result = results[0]
    if copies > 1:
        slowest = max(r["fit_seconds"] for r in results)
        result.update(
            fit_seconds=slowest,
            images_per_second=sum(r["images_per_second"] * r["fit_seconds"] for r in results)
            / slowest,
            cores_busy=sum(r["cores_busy"] for r in results),
        )
    result["wall_seconds"] = wall
    return result


def spread(seconds: list[float]) -> float:
    """The range of a variant's fit times over its rounds, as a fraction of their median."""
    ordered = sorted(seconds)
    return (ordered[-1] - ordered[0]) / ordered[len(ordered) // 2]


def median_run(measured: list[dict]) -> dict:
    """The run of median throughput (its own accuracy and memory with it)."""
    ranked = sorted(measured, key=lambda r: r["images_per_second"])
    return ranked[len(ranked) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = REPO / "results" / "data" / "cifar10.npz"
    parser.add_argument(
        "--data",
        default=default_data if default_data.exists() else SHARED,
        help="a prepared .npz or any CIFAR-10 source (default: results/data/cifar10.npz, "
        "else ../shared/data/cifar10-images.tar.gz)",
    )
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--variants", nargs="+", default=DEFAULT_VARIANTS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, str(args.data), args.n, args.epochs)))
        return
    if not Path(args.data).exists():
        raise SystemExit(
            f"no data at {args.data}: give --data PATH (a CIFAR-10 source or a prepared .npz)"
        )

    variants = ["assignment"] + [v for v in args.variants if v != "assignment"]
    print(
        f"data {args.data}, baseline, n = {args.n}, {args.epochs} epochs, median of {args.repeats} "
        "rounds; one variant at a time\n"
    )
    runs = {variant: [] for variant in variants}
    for _ in range(args.repeats):
        for variant in variants:
            runs[variant].append(run_variant(variant, args))
    results = {variant: median_run(measured) for variant, measured in runs.items()}
    print(
        "| variant | fit (s) | spread | images/s | cores busy (build + fit) | test accuracy "
        "| peak RSS (MB) | speed vs assignment |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for variant, r in results.items():
        speed = r["images_per_second"] / results["assignment"]["images_per_second"]
        fits = [run["fit_seconds"] for run in runs[variant]]
        print(
            f"| {variant} | {r['fit_seconds']:.1f} | {spread(fits):.0%} "
            f"| {r['images_per_second']:.0f} | {r['cores_busy']:.2f} "
            f"| {r['test_accuracy']:.4f} | {r['max_rss_mb']:.0f} | {speed:.2f}x |"
        )
    print("\nfits (s), round by round, and where measured the seconds from the last epoch's end")
    print("to the fit's:")
    for variant, measured in runs.items():
        fits = ", ".join(f"{run['fit_seconds']:.1f}" for run in measured)
        stalls = [run["stall_seconds"] for run in measured if run["stall_seconds"] is not None]
        after = f"; after the last epoch: {', '.join(f'{s:.2f}' for s in stalls)}" if stalls else ""
        print(f"  {variant}: {fits}{after}")

    if "workflow" in results:
        theirs, ours = results["assignment"], results["workflow"]
        speed = ours["images_per_second"] / theirs["images_per_second"]
        accuracy_gap = abs(ours["test_accuracy"] - theirs["test_accuracy"])
        print(
            f"\nworkflow / assignment: {speed:.2f}x the throughput, test accuracy "
            f"{ours['test_accuracy']:.4f} against {theirs['test_accuracy']:.4f}"
        )
        if speed < 1 or accuracy_gap > 0.02:
            print("target missed: the workflow's step must be at least as fast, within 2 points")
            sys.exit(1)


if __name__ == "__main__":
    main()

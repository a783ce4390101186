"""This machine's pace, measured before anything trains here: for each architecture a plan
trains, a training job in miniature (start the backend, load data of CIFAR-10's size, fit
a few epochs, evaluate, save) in as many processes at once as the plan runs side by side,
on the configured backend and threads. Each probe takes seconds; its figures are kept per
machine in ~/.cache/convlab/pace.json, so later estimates start at once
(convlab.estimates reads them).

    python -m convlab.probe SPEC    (one probe process; SPEC is JSON, see ``probe``)
"""

import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from convlab.backends import chosen, start, versions
from convlab.cifar10 import IMAGE_SHAPE
from convlab.determinism import environment, seed_everything
from convlab.devices import usable_cores
from convlab.files import machine_cache, write_json

PROBE_N, PROBE_EPOCHS = 2560, 3  # the first epoch (tracing) is timed apart
TRAIN_IMAGES, TEST_IMAGES = 50_000, 10_000  # CIFAR-10's, as the prepared file holds them
EVALUATED = 2000
# What a figure's or table's job loads before its work of a fraction of a second.
SMALL_JOB = "import matplotlib.pyplot, pandas, sklearn.metrics, convlab.plots"


def machine() -> str:
    """This machine, as the cache keys it: host, processor, cores."""
    return f"{platform.node()} | {cpu_model()} | {usable_cores()} cores"


def cpu_model() -> str:
    """The processor's name, as Linux gives it (else as Python's platform module does)."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "unknown CPU"


def _cache_key(layers, threads: int, gpu: bool, at_once: int, settings: dict) -> str:
    backend = chosen()
    return json.dumps(
        [
            machine(),
            backend,
            versions().get(backend),
            threads,
            gpu,
            at_once,
            layers,
            settings["batch_size"],
            settings["optimizer"],
        ],
        sort_keys=True,
    )


def measured_pace(
    archs: dict, threads: int, gpu: bool, at_once: int, settings: dict, measure=True, say=print
) -> dict:
    """({arch: the probe's figures} for each of ``archs`` ({name: layers}), a local job's
    start in seconds (Python and the plotting libraries)): measured now where this machine
    has no figures (``at_once`` probes side by side; with ``measure`` false, an architecture
    is left out and a start is 0)."""
    cache = machine_cache("pace.json")
    known = json.loads(cache.read_text()) if cache.is_file() else {}
    found, todo = {}, {}
    for arch, layers in archs.items():
        key = _cache_key(layers, threads, gpu, at_once, settings)
        if key in known:
            found[arch] = known[key]
        else:
            todo[arch] = key
    if todo and measure:
        say(
            f"measuring this machine's pace: {len(todo)} architecture(s), {at_once} probe(s) at "
            f"once on {threads} thread(s) each, about 10 s each (once per machine)"
        )
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder, "data.npz")
            rng = np.random.default_rng(0)
            np.savez(
                data,
                x_train=rng.integers(0, 256, (TRAIN_IMAGES, *IMAGE_SHAPE), dtype=np.uint8),
                y_train=rng.integers(0, 10, TRAIN_IMAGES),
                x_test=rng.integers(0, 256, (TEST_IMAGES, *IMAGE_SHAPE), dtype=np.uint8),
                y_test=rng.integers(0, 10, TEST_IMAGES),
            )
            spec = {
                "nets": {arch: archs[arch] for arch in todo},
                "threads": threads,
                "gpu": gpu,
                "settings": settings,
                "data": str(data),
                "out": folder,
            }
            for arch, figures in probes_side_by_side(spec, at_once).items():
                found[arch] = known[todo[arch]] = figures
    small = json.dumps([machine(), "small job"])
    if small not in known and measure:
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", SMALL_JOB], check=True)
        known[small] = time.perf_counter() - began
    if measure:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_json(cache, known)
    return found, known.get(small, 0.0)


def probes_side_by_side(spec: dict, at_once: int) -> dict:
    """``at_once`` probe processes started together, each probing every net of ``spec`` in
    turn; {arch: the slowest process's figures}, with its start-up (Python, the backend,
    the data) as ``start``."""
    launched = time.time()
    command = [sys.executable, "-m", "convlab.probe", json.dumps(spec)]
    results = together(command, at_once, f"the pace probe of {', '.join(spec['nets'])}")
    return {
        arch: {
            **max((r[arch] for r in results), key=lambda figures: figures["fit_per_workload"]),
            "start": max(r["ready"] for r in results) - launched,
        }
        for arch in spec["nets"]
    }


def together(command: list[str], copies: int, what: str) -> list[dict]:
    """``copies`` processes of ``command`` started at once; the JSON line each printed last.
    One that fails raises RuntimeError naming ``what``."""
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for _ in range(copies)
    ]
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"{what} failed (exit {process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def probe(spec: dict) -> dict:
    """Training jobs in miniature, timed: {"ready": when the backend and the data were,
    arch: its figures} for each of ``spec``'s nets. ``spec``: nets ({arch: layers}),
    threads, gpu, settings (the config's ``training``), data (an .npz of CIFAR-10's
    shapes), out (a folder to save in)."""
    gpu = spec["gpu"]
    backend = start(spec["threads"], gpu=gpu, deterministic=environment(chosen(), gpu))
    seed_everything(backend.name, 0)
    from convlab.prepared import load_npz

    (x_train, y_train), (x_test, y_test) = load_npz(spec["data"])
    found = {"ready": time.time()}
    # Evaluated on at most EVALUATED test images and timed per image: the same work, shorter.
    data = (x_train, y_train), (x_test[:EVALUATED], y_test[:EVALUATED])
    settings = {**spec["settings"], "classes": [str(label) for label in range(10)]}
    for arch, layers in spec["nets"].items():
        found[arch] = _timed_job(data, layers, settings, len(y_test), spec["out"])
    return found


def _timed_job(data, layers, settings: dict, test_images: int, out) -> dict:
    from convlab.training import evaluate_run, train_run

    began, ends = time.perf_counter(), []
    model, _, _ = train_run(
        data,
        layers,
        PROBE_N,
        1e-4,
        PROBE_EPOCHS,
        0,
        settings,
        on_epoch_end=lambda *_: ends.append(time.perf_counter()),
    )
    evaluated = time.perf_counter()
    evaluate_run(model, data, PROBE_N, 0, settings)
    model.save(Path(out, f"probe_{time.time_ns()}.keras"))
    done = time.perf_counter()
    epochs = np.diff(ends)  # seconds of each epoch once traced
    images = 2 * len(data[1][1]) + PROBE_N  # evaluate and predict the test set, predict the n
    return {
        "fit_per_workload": float(epochs.mean()) / PROBE_N,
        "fit_per_workload_range": [float(epochs.min()) / PROBE_N, float(epochs.max()) / PROBE_N],
        "fit_fixed": max(0.0, ends[0] - began - float(epochs.mean())),  # build and tracing
        "end_per_image": (done - evaluated) / images,
        "end_fixed": (done - evaluated) / images * 2 * test_images,
    }


if __name__ == "__main__":
    print(json.dumps(probe(json.loads(sys.argv[1]))))

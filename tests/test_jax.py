"""The tiny project on JAX (KERAS_BACKEND=jax), as a user of a machine without TensorFlow's
speed or wheel trains it: real snakemake, JAX's CPU wheel from requirements-jax.txt. A run
killed mid-way resumes bit for bit, and its figure is drawn and its files say the backend."""

import json

import keras  # noqa: F401  (before KERAS_BACKEND is set: this process compares on TensorFlow)
import pytest
from test_interruption import (
    CHECKPOINT,
    LOG,
    RUN,
    assert_same_run,
    metrics,
    start,
    stop,
    wait_for_checkpoint,
)

from conftest import installed_apart

FIGURE = f"results/fig_{RUN.rsplit('/', 1)[1].removesuffix('_s0')}.png"


@pytest.fixture(scope="module")
def on_jax(tmp_path_factory):
    """JAX installed apart (requirements-jax.txt) and chosen, for this module's Snakemake runs."""
    with installed_apart("requirements-jax.txt", tmp_path_factory.mktemp("jax")) as folder:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("KERAS_BACKEND", "jax")
            yield folder


def test_a_run_on_jax_resumes_bit_for_bit_and_reports(on_jax, tiny_workflow, tmp_path):
    tiny_workflow.snakemake("results/data/cifar10.npz")  # once, for both projects
    twin = tiny_workflow.copy(tmp_path / "twin")
    twin.snakemake(f"{RUN}/metrics.json", timeout=300)  # alone, as the others: on every core
    process = start(tiny_workflow, f"{RUN}/metrics.json")
    wait_for_checkpoint(tiny_workflow, process, 3)
    stopped_at = stop(tiny_workflow, process, "SIGKILL")
    tiny_workflow.snakemake(f"{RUN}/metrics.json", FIGURE, timeout=300)

    log = tiny_workflow.path(LOG).read_text()
    assert f"resuming from epoch {stopped_at} of {CHECKPOINT}" in log
    assert "resumed on" not in log  # the same backend, device and threads
    assert_same_run(tiny_workflow.path(RUN), twin.path(RUN))
    finished = metrics(tiny_workflow.path(RUN))
    assert finished["backend"] == "jax" and finished["resumed_from_epoch"] == stopped_at
    record = json.loads(tiny_workflow.path(f"{RUN}/run.json").read_text())
    assert [segment["backend"] for segment in record["segments"]] == ["jax", "jax"]
    assert record["versions"]["jax"] == finished["backend_version"]
    assert f"JAX {finished['backend_version']}" in log.splitlines()[0]
    assert tiny_workflow.path(FIGURE).stat().st_size > 10_000

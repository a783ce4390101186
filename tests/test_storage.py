"""The workflow without a shared filesystem: every file in a default storage, here Snakemake's
own `fs` storage plugin (requirements-storage.txt; it copies with rsync), with
--shared-fs-usage none, as on Kubernetes or a cloud batch service. A job then sees only what
Snakemake hands it: its declared inputs, copied out of the storage before it runs."""

import re
import shutil

import pytest

from conftest import installed_apart, tiny_project

RUN = "results/runs/deep_n100_w0.0001_e{epochs}_s0"


@pytest.fixture(scope="module", autouse=True)
def storage_plugin(tmp_path_factory):
    if shutil.which("rsync") is None:
        pytest.skip("Snakemake's fs storage plugin copies with rsync: apt-get install rsync")
    with installed_apart(
        "requirements-storage.txt", tmp_path_factory.mktemp("storage-plugin")
    ) as at:
        yield at


def test_the_tiny_project_builds_resumes_and_rebuilds_from_a_storage_alone(tmp_path):
    project = tiny_project(tmp_path / "project")
    storage = tmp_path / "storage"
    storage.mkdir()
    options = ("--default-storage-provider", "fs", "--default-storage-prefix", str(storage))
    options += ("--shared-fs-usage", "none")
    project.snakemake(*options)
    # Every result went to the storage; the project's folder keeps only what this host's
    # plan reads (the claims' looks) and the trainings' states saved at their epochs' ends.
    assert (storage / "results/claims.md").exists()
    assert (storage / "results/fig_sweep_l1.png").exists()
    assert sorted(p.name for p in project.path("results").iterdir()) == ["checkpoints", "claims"]
    # The 2-epoch run continued from the 1-epoch one: its state, handed over from the storage.
    log = (storage / RUN.format(epochs=2) / "train.log").read_text()
    handed = f".snakemake/storage/fs/{str(storage).strip('/')}/{RUN.format(epochs=1)}/state.npz"
    assert f"resuming from epoch 1 of {handed}" in log, log
    assert project.planned_jobs(options=options) == {}
    # A lost output is rebuilt without training: the state kept after the last epoch is on
    # this host's disk (on a node that shares none, it would be gone: docs/compute.md).
    (storage / RUN.format(epochs=1) / "metrics.json").unlink()
    project.snakemake(f"{RUN.format(epochs=1)}/metrics.json", *options)
    log = (storage / RUN.format(epochs=1) / "train.log").read_text()
    assert "finished in results/checkpoints/" in log, log
    assert re.search(r"^\d\d:\d\d:\d\d  epoch ", log, re.MULTILINE) is None, log

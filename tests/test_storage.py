"""The workflow without a shared filesystem through Snakemake's own `fs` storage plugin
(requirements-storage.txt; it copies with rsync), with --shared-fs-usage none, as on
Kubernetes or a cloud batch service: a job sees only what Snakemake hands it. Every rule in a
storage is tests/test_object_store.py's (a real S3 server); here, one chain of runs, the
second handed the first's state."""

import shutil

import pytest

from conftest import installed_apart, tiny_project

RUN = "results/runs/deep_n100_w0.0001_e{epochs}_s0"
DEEP = "results/fig_deep_n100_e2.png"  # draws the 2-epoch run


@pytest.fixture(scope="module", autouse=True)
def storage_plugin(tmp_path_factory):
    if shutil.which("rsync") is None:
        pytest.skip("Snakemake's fs storage plugin copies with rsync: apt-get install rsync")
    with installed_apart(
        "requirements-storage.txt", tmp_path_factory.mktemp("storage-plugin")
    ) as at:
        yield at


def test_a_run_continues_from_a_state_handed_over_by_the_storage(tmp_path):
    project = tiny_project(tmp_path / "project")
    storage = tmp_path / "storage"
    storage.mkdir()
    options = ("--default-storage-provider", "fs", "--default-storage-prefix", str(storage))
    options += ("--shared-fs-usage", "none")
    project.snakemake(DEEP, *options)
    assert (storage / DEEP).exists()
    # The project's folder keeps only the trainings' states saved at their epochs' ends.
    assert sorted(p.name for p in project.path("results").iterdir()) == ["checkpoints"]
    log = (storage / RUN.format(epochs=2) / "train.log").read_text()
    handed = f".snakemake/storage/fs/{str(storage).strip('/')}/{RUN.format(epochs=1)}/state.npz"
    assert f"resuming from epoch 1 of {handed}" in log, log
    assert project.planned_jobs(DEEP, options=options) == {}

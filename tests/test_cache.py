"""The cache survives what users do: copy or move the project, touch or check out files again,
run one target without extra options, build a report after a partial run.

Real snakemake on copies of the session's finished tiny project (no training here, except
where a test says so).
"""

import json
import os
import shutil
import time

import pytest
import yaml


def errors(result):
    return [line for line in result.stderr.splitlines() if line.startswith("Error")]


@pytest.mark.parametrize("keep_times", [True, False], ids=["cp -a", "cp -r, new times"])
def test_copied_project_plans_nothing(finished_tiny, tmp_path, keep_times):
    copy = finished_tiny.copy(tmp_path / "elsewhere" / "project", keep_times=keep_times)
    assert copy.planned_jobs() == {}


def test_touching_every_code_file_plans_nothing(finished_tiny, tmp_path):
    copy = finished_tiny.copy(tmp_path / "wf")
    later = time.time() + 10
    for folder in ("scripts", "rules"):
        for path in copy.path(folder).rglob("*"):
            os.utime(path, (later, later))
    os.utime(copy.path("Snakefile"), (later, later))
    assert copy.planned_jobs() == {}


def test_single_target_without_options_reads_local_config(finished_tiny, tmp_path):
    copy = finished_tiny.copy(tmp_path / "wf")
    assert copy.config["cifar10"]["path"] is None  # the data path is in local.yaml only
    copy.path("results/fig_n_200.png").unlink()
    assert copy.planned_jobs("results/fig_n_200.png") == {"plot_history": 1}


def test_other_data_source_is_one_line_and_deletes_nothing(finished_tiny, tmp_path):
    copy = finished_tiny.copy(tmp_path / "wf")
    copy.path("local.yaml").unlink()  # back to the Keras download: other data
    prepared = copy.path("results/data/cifar10.npz")
    before = prepared.stat().st_mtime_ns
    result = copy.snakemake("results/fig_n_100.png", check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    (line,) = errors(result)
    assert "cifar10.path is null (keras.datasets.cifar10)" in line
    assert "results/data/cifar10.npz was prepared from" in line and "local.yaml" in line
    assert prepared.stat().st_mtime_ns == before
    assert copy.path("results/runs/baseline_n100_w0.0001_e1_s0/model.keras").exists()
    # What needs no data plans no job, so it does not check the data: --unlock after a kill
    # works without the settings the runs were made with.
    result = copy.snakemake("--unlock")
    assert "Unlocked working directory." in result.stdout + result.stderr


def test_same_data_moved_elsewhere_prepares_nothing(finished_tiny, tmp_path):
    copy = finished_tiny.copy(tmp_path / "wf")
    data = yaml.safe_load(copy.path("local.yaml").read_text())["cifar10"]["path"]
    moved = shutil.copytree(data, tmp_path / "scratch" / "cifar")
    copy.write_config({"cifar10": {"path": str(moved)}}, name="local.yaml")
    assert copy.planned_jobs() == {}
    # Read once for its fingerprint, then known by its size and time (convlab.datasource).
    seen = json.loads(copy.path(".snakemake/convlab/cifar10.seen.json").read_text())
    assert seen["path"] == str(moved) and seen["stat"][0] == len(list(moved.rglob("*.png")))
    next(moved.glob("train/cat/*")).unlink()  # now it is other data
    result = copy.snakemake("-n", check=False)
    (line,) = errors(result)
    assert f"cifar10.path is '{moved}'" in line and "other data" in line


def test_report_after_a_part1_only_run(workflow):
    workflow.snakemake("results/fig_conv_kernel1.png")
    unfinished = workflow.snakemake("--report", "results/report.html", check=False)
    assert unfinished.returncode != 0 and "does not exist" in unfinished.stderr
    result = workflow.snakemake("--report", "results/report.html", "built_so_far")
    assert "are not built yet and are left out" in result.stderr
    html = workflow.path("results/report.html").read_text(encoding="utf-8")
    assert "fig_conv_kernel1.png" in html and "fig_conv_kernel2.png" not in html


def test_nested_number_from_the_command_line_says_how_to_set_it(workflow):
    result = workflow.snakemake("-n", "--config", 'defaults={"n": 500}', check=False)
    (line,) = errors(result)
    assert "'500' is not of type 'integer'" in line and "local.yaml" in line

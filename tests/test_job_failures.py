"""Mistakes that only a job can find: one line on the screen naming the culprit, no
traceback, nothing in results/ that looks finished, nothing computed before lost."""

import numpy as np

from convlab.prepared import load_npz


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.startswith("Error:")]


def test_a_file_that_is_not_a_picture(workflow):
    workflow.path("picture.png").write_text("not a picture\n")
    config = workflow.config
    config["conv"]["image"] = "picture.png"
    workflow.write_config(config)
    result = workflow.snakemake("results/fig_heart.png", check=False)
    assert result.returncode != 0
    assert error_lines(result) == [
        "Error: conv.image: 'picture.png' is not a readable image (PNG, JPEG, ...): cannot "
        "identify image file 'picture.png'"
    ], result.stderr[-2000:]
    assert "Traceback" not in result.stderr + result.stdout
    assert not workflow.path("results/fig_heart.png").exists()


def test_a_download_without_network_access(workflow, tmp_path):
    config = workflow.config
    config["cifar10"]["path"] = None  # the default: Keras downloads CIFAR-10
    workflow.write_config(config)
    unreachable = "http://127.0.0.1:9"  # nothing listens there: as a compute node offline
    env = {
        "KERAS_HOME": str(tmp_path / "keras"),
        "http_proxy": unreachable,
        "https_proxy": unreachable,
        "HTTPS_PROXY": unreachable,
        "no_proxy": "",
    }
    result = workflow.snakemake("results/data/cifar10.npz", check=False, env=env)
    assert result.returncode != 0
    errors = error_lines(result)
    assert len(errors) == 1, result.stderr[-3000:]
    assert errors[0].startswith(
        "Error: cifar10.path is null, so Keras downloads CIFAR-10, and "
        "that failed (URL fetch failure on https://"
    )
    assert "set cifar10.path to it" in errors[0] and "in local.yaml" in errors[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert not workflow.path("results/data").exists() or not any(
        workflow.path("results/data").iterdir()
    )


def test_a_truncated_prepared_file_stops_the_plan_until_repaired_and_nothing_retrains(
    finished_tiny, tmp_path
):
    project = finished_tiny.copy(tmp_path / "copy")
    prepared = project.path("results/data/cifar10.npz")
    intact = prepared.read_bytes()
    prepared.write_bytes(intact[: len(intact) // 2])
    metrics = sorted(project.path("results/runs").glob("*/metrics.json"))
    times = [m.stat().st_mtime_ns for m in metrics]
    damaged = (
        f"results/data/cifar10.npz is damaged ({len(intact) // 2:,} bytes where "
        f"{len(intact):,} were written)"
    )

    # Any plan that reads it stops in one line that says how to prepare it again.
    for args in (["-n"], []):
        result = project.snakemake(*args, check=False)
        assert result.returncode != 0 and error_lines(result) == [
            f"Error: {damaged}; prepare it again from its source with `snakemake --cores 1 "
            "repair_data` (no run is trained again), then run this again"
        ], result.stderr[-3000:]
    assert prepared.stat().st_size == len(intact) // 2

    # As it says: the file comes back as it was, and then nothing is trained.
    project.snakemake("--cores", "1", "repair_data")
    assert prepared.read_bytes() == intact
    result = project.snakemake()
    assert "rule train:" not in result.stdout + result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert [m.stat().st_mtime_ns for m in metrics] == times
    (x_train, y_train), _ = load_npz(prepared)
    assert len(x_train) == len(y_train) == 200 and np.all(x_train.shape[1:] == (32, 32, 3))

"""The baseline on the real CIFAR-10 (../shared/data), as the assignment reports it: almost 50 %.

Skipped where the archive is absent, as in a user's fresh clone.
"""

import json

import pytest

from conftest import REPO

ARCHIVE = REPO.parent / "shared" / "data" / "cifar10-images.tar.gz"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not ARCHIVE.is_file(), reason=f"{ARCHIVE} is absent"),
]


def test_baseline_n5000_20_epochs_reaches_the_assignment_accuracy(workflow):
    config = workflow.config
    config["cifar10"]["path"] = str(ARCHIVE)
    workflow.write_config(config)
    # A lone training: it takes every core by itself (training.cpu_threads: auto).
    workflow.snakemake("results/fig_n_5000.png", timeout=900)
    metrics = json.loads(
        workflow.path("results/runs/baseline_n5000_w0.0001_e20_s0/metrics.json").read_text()
    )
    print(
        f"baseline n=5000: test accuracy {metrics['test_accuracy']:.4f}, "
        f"fit {metrics['fit_seconds']:.1f} s on {metrics['threads']} thread(s)"
    )
    assert metrics["params"] == 37146
    assert 0.44 <= metrics["test_accuracy"] <= 0.56
    assert metrics["dummy_test_accuracy"] == pytest.approx(0.1)

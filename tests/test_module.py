"""This workflow used as a Snakemake module by another workflow in a folder of its own, as
the Snakemake workflow catalog deploys workflows: real snakemake, the library imported as the
installed package (no copy of it in the user's folder)."""

import os
import subprocess
import sys

import yaml

from conftest import REPO, tiny_config
from convlab.lookalikes import write_image_tree

USER_SNAKEFILE = """\
configfile: "config.yaml"


module convlab:
    snakefile:
        {snakefile!r}
    config:
        config


use rule * from convlab as convlab_*


# A rule fitted to the user's cluster, the catalog's way: Snakemake replaces its resources.
use rule train from convlab as convlab_train with:
    resources:
        mem_mb=3000,


rule notes:
    output:
        "notes.txt",
    shell:
        "echo mine > {{output}}"
"""


def test_a_workflow_elsewhere_builds_a_figure_of_its_own_config_into_its_own_folder(tmp_path):
    """...and trains with the resources it gave the training rule."""
    user = tmp_path / "mine"
    user.mkdir()
    (user / "Snakefile").write_text(USER_SNAKEFILE.format(snakefile=str(REPO / "Snakefile")))
    config = tiny_config(yaml.safe_load((REPO / "config.yaml").read_text()), None)
    config["cifar10"]["path"] = str(write_image_tree(tmp_path / "data"))
    config["defaults"]["n"] = 150  # a training-set size of the user's, not in this repository's
    (user / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    # Without PYTHONPATH: the jobs import convlab as installed (requirements.txt: -e .).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["CONVLAB_SLOTS"] = str(tmp_path / "slots")
    targets = ["results/fig_n_150.png", "notes.txt"]
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *targets],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # The user's own rule made the user's file: no catch-all rule of the module took it.
    assert (user / "notes.txt").read_text() == "mine\n"
    assert "rule notes:" in result.stderr
    assert "mem_mb=3000" in result.stderr and "pool=" not in result.stderr
    # The figure and its run, of the user's config, in the user's folder.
    assert (user / "results/fig_n_150.png").stat().st_size > 10_000
    metrics = user / "results/runs/baseline_n150_w0.0001_e1_s0/metrics.json"
    assert metrics.exists() and not (REPO / "results/runs/baseline_n150_w0.0001_e1_s0").exists()
    # A second run plans nothing.
    again = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "-n", *targets],
        cwd=user,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert "Nothing to be done" in again.stdout + again.stderr, again.stderr[-2000:]

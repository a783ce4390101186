"""The workflow on a real one-node SLURM cluster, through the profile users run it with.

tests/slurm/cluster.sh installs SLURM from Debian's packages if needed and starts munged,
slurmctld and slurmd by hand. Where the machine cannot (not root, no apt-get), the test
skips. The daemons are stopped by their PID files afterwards.
"""

import re
import shutil
import subprocess

import pytest
import yaml

from cifar_fixtures import write_image_tree
from conftest import REPO, Workflow, tiny_training_config

CLUSTER = REPO / "tests" / "slurm" / "cluster.sh"
TARGETS = ["results/fig_l1_0.png", "results/table_kernel2_stride10.tsv", "results/summary_baseline.txt"]


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    state = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(["bash", str(CLUSTER), "start", str(state)],
                             capture_output=True, text=True, timeout=600)
    if started.returncode == 3:
        pytest.skip(f"this machine cannot run SLURM: {started.stderr.strip()}")
    assert started.returncode == 0, started.stderr
    yield state
    subprocess.run(["bash", str(CLUSTER), "stop", str(state)], timeout=60)


@pytest.fixture(scope="module")
def two_workflows(tmp_path_factory):
    """The same tiny config twice: one to run on SLURM, one to run locally."""
    root = tmp_path_factory.mktemp("slurmwf")
    data = write_image_tree(root / "data")
    copies = []
    for name in ("cluster", "local"):
        workflow = Workflow(root / name)
        workflow.write_config(tiny_training_config(workflow.config, str(data)))
        copies.append(workflow)
    return copies


def test_profile_plans_the_full_default_dag(two_workflows):
    workflow = two_workflows[0]
    jobs = workflow.planned_jobs(options=("--profile", "profiles/slurm", "--workflow-profile", "none"))
    assert jobs["train"] == 7 and jobs["prepare_data"] == 1 and jobs["claims"] == 1


def test_jobs_go_through_sbatch_and_match_a_local_run(slurm, two_workflows):
    cluster, local = two_workflows
    profile = yaml.safe_load((cluster.root / "profiles/slurm/config.yaml").read_text())
    # This cluster has no accounting database (no sacct) and one small partition.
    profile.update({"slurm-status-command": "squeue", "slurm-no-account": True,
                    "slurm-init-seconds-before-status-checks": 1, "latency-wait": 5})
    profile["default-resources"].update(slurm_partition="debug", mem_mb=1000)
    for resources in profile["set-resources"].values():
        resources["mem_mb"] = 2000
    (cluster.root / "profiles/test-slurm").mkdir()
    (cluster.root / "profiles/test-slurm/config.yaml").write_text(yaml.safe_dump(profile))

    result = cluster.snakemake("--profile", "profiles/test-slurm", "--workflow-profile", "none",
                               "--verbose", *TARGETS, timeout=400)
    output = result.stdout + result.stderr
    job_ids = {rule: job for job, rule in re.findall(
        r"has been submitted with SLURM jobid (\d+) \(log: \S*/rule_([a-z_]+)", output)}
    assert {"prepare_data", "train", "plot_history", "conv_table", "model_summary"} <= set(job_ids), output[-3000:]
    sbatch_train = [line for line in output.splitlines() if "sbatch call:" in line and "rule_train" in line]
    assert sbatch_train and "--gpus=1" in sbatch_train[0] and "-p debug" in sbatch_train[0], sbatch_train
    print("sbatch call of the training job:", sbatch_train[0].split("sbatch call:", 1)[1].strip())
    controller_log = (slurm / "slurmctld.log").read_text()
    for job in job_ids.values():
        assert re.search(rf"_job_complete: JobId={job} WEXITSTATUS 0", controller_log), job

    local.snakemake(*TARGETS)
    for name in ["results/table_kernel2_stride10.tsv", "results/summary_baseline.txt",
                 "results/runs/baseline_n100_w0_e1_s0/history.csv",
                 "results/runs/baseline_n100_w0_e1_s0/confusion_test.csv"]:
        assert cluster.path(name).read_bytes() == local.path(name).read_bytes(), name
    cluster_metrics = yaml.safe_load(cluster.path("results/runs/baseline_n100_w0_e1_s0/metrics.json").read_text())
    local_metrics = yaml.safe_load(local.path("results/runs/baseline_n100_w0_e1_s0/metrics.json").read_text())
    assert cluster_metrics["test_accuracy"] == local_metrics["test_accuracy"]

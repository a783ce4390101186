"""The workflow on a real one-node SLURM cluster, through the profile users run it with.

tests/slurm/cluster.sh installs SLURM from Debian's packages if needed and starts munged,
slurmctld and slurmd by hand. That changes the machine, so it runs only when asked:
CONVLAB_TEST_SLURM=1 (.ci/run sets it). Where the machine cannot (not root, no apt-get), the
test skips. The daemons are stopped by their PID files afterwards.
"""

import os
import re
import shutil
import subprocess
import sys
import time

import pytest
import yaml

from cifar_fixtures import write_image_tree
from conftest import REPO, Workflow, installed_apart, tiny_config

CLUSTER = REPO / "tests" / "slurm" / "cluster.sh"
# On the cluster only: the 2-epoch run of the net that fig_l1_0 draws, which continues from it.
CONTINUED = "results/runs/baseline_n100_w0_e{epochs}_s0/metrics.json"
TARGETS = [
    "results/fig_l1_0.png",
    "results/table_kernel2_stride10.tsv",
    "results/summary_baseline.txt",
]


@pytest.fixture(scope="module", autouse=True)
def slurm_plugin(tmp_path_factory):
    """The SLURM executor plugin, as a cluster user installs it (requirements-slurm.txt), for
    this module's Snakemake runs and their nodes' jobs only: in a folder of its own on
    PYTHONPATH, so that the other tests' Snakemake does not import it at every start."""
    with installed_apart("requirements-slurm.txt", tmp_path_factory.mktemp("slurm-plugin")) as at:
        yield at


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    if os.environ.get("CONVLAB_TEST_SLURM") != "1":
        pytest.skip(
            "installs SLURM with apt-get and starts its daemons on this machine (as "
            "root): run with CONVLAB_TEST_SLURM=1 to allow it"
        )
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    state = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(
        ["bash", str(CLUSTER), "start", str(state)], capture_output=True, text=True, timeout=600
    )
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
        config = tiny_config(workflow.config, str(data))
        # The local runs on the thread count of the cluster's jobs (the threads they ask
        # for), which the last digits of a result can depend on.
        config["training"]["cpu_threads"] = 1 if name == "local" else "auto"
        workflow.write_config(config)
        copies.append(workflow)
    return copies


def test_profile_plans_the_full_default_dag_with_a_gpu_per_training_job(two_workflows):
    workflow = two_workflows[0]
    profile = ("--profile", "profiles/slurm", "--workflow-profile", "none")
    jobs = workflow.planned_jobs(options=profile)
    assert jobs["train"] == 7 and jobs["prepare_data"] == 1 and jobs["claims"] == 1

    def train_resources(*options):
        lines = workflow.snakemake("-n", *profile, *options).stdout.splitlines()
        train = [
            next(line for line in lines[i:] if line.strip().startswith("resources:"))
            for i, line in enumerate(lines)
            if line == "rule train:"
        ]
        assert len(train) == 7, lines[-20:]
        return [{part.strip() for part in line.split(":", 1)[1].split(",")} for line in train]

    # This machine has no GPU; the cluster's nodes may: with device: gpu each job asks for one.
    # Either way each takes the place its scheduler gives it.
    on_gpus = train_resources("--config", "device=gpu")
    assert all({"gpu=1", "pool=scheduler"} <= each for each in on_gpus), on_gpus[:1]
    on_cpus = train_resources()
    assert all({"gpu=0", "pool=scheduler"} <= each for each in on_cpus), on_cpus[:1]


@pytest.fixture(scope="module")
def cluster_profile(two_workflows):
    """profiles/slurm as a site would adapt it: this cluster has no accounting database (no
    sacct) and one small partition. Its node's GPU is /dev/null: the config keeps device:
    auto, which on this GPU-less submitting host trains on the CPU."""
    cluster, _ = two_workflows
    profile = yaml.safe_load((cluster.root / "profiles/slurm/config.yaml").read_text())
    profile.update(
        {
            "slurm-status-command": "squeue",
            "slurm-no-account": True,
            "slurm-init-seconds-before-status-checks": 1,
            "latency-wait": 5,
        }
    )
    profile["default-resources"].update(slurm_partition="debug", mem_mb=1000)
    for resources in profile["set-resources"].values():
        resources["mem_mb"] = 2000
    (cluster.root / "profiles/test-slurm").mkdir()
    (cluster.root / "profiles/test-slurm/config.yaml").write_text(yaml.safe_dump(profile))
    return ("--profile", "profiles/test-slurm", "--workflow-profile", "none")


def test_jobs_go_through_sbatch_match_a_local_run_and_share_its_store(
    slurm, two_workflows, cluster_profile, tmp_path
):
    cluster, local = two_workflows
    continued = CONTINUED.format(epochs=2)
    # The cluster's runs go into a shared store of runs, which the nodes' jobs write.
    shared = tmp_path / "store"
    shared.mkdir()
    store = {"SNAKEMAKE_OUTPUT_CACHE": str(shared)}
    # Named: a bare --cache (all rules) does not reach the nodes' jobs (see docs/studies.md).
    cached = ("--cache", "train", "prepare_data")
    result = cluster.snakemake(
        *cluster_profile, "--verbose", *TARGETS, continued, *cached, timeout=400, env=store
    )
    output = result.stdout + result.stderr
    job_ids = {
        rule: job
        for job, rule in re.findall(
            r"has been submitted with SLURM jobid (\d+) \(log: \S*/rule_([a-z_]+)", output
        )
    }
    assert {"train", "plot_history", "conv_table", "model_summary"} <= set(job_ids), output[-3000:]
    # The data job may download: it runs on the submitting host (localrules), not a node.
    assert "prepare_data" not in job_ids and "localrule prepare_data:" in output
    sbatch_train = [
        line for line in output.splitlines() if "sbatch call:" in line and "rule_train" in line
    ]
    assert sbatch_train and "-p debug" in sbatch_train[0] and "--gpus" not in sbatch_train[0]
    controller_log = (slurm / "slurmctld.log").read_text()
    for job in job_ids.values():
        assert re.search(rf"_job_complete: JobId={job} WEXITSTATUS 0", controller_log), job

    # With 50 job slots, the 2-epoch run still waited for the 1-epoch one and went on from its
    # final state.
    longer, shorter = (
        yaml.safe_load(cluster.path(CONTINUED.format(epochs=e)).read_text()) for e in (2, 1)
    )
    assert longer["resumed_from_epoch"] == 1 and longer["job_start"] > shorter["fit_end"]

    local.snakemake(*TARGETS)
    for name in [
        "results/table_kernel2_stride10.tsv",
        "results/summary_baseline.txt",
        "results/runs/baseline_n100_w0_e1_s0/history.csv",
        "results/runs/baseline_n100_w0_e1_s0/confusion_test.csv",
    ]:
        assert cluster.path(name).read_bytes() == local.path(name).read_bytes(), name
    cluster_metrics = yaml.safe_load(
        cluster.path("results/runs/baseline_n100_w0_e1_s0/metrics.json").read_text()
    )
    local_metrics = yaml.safe_load(
        local.path("results/runs/baseline_n100_w0_e1_s0/metrics.json").read_text()
    )
    assert cluster_metrics["test_accuracy"] == local_metrics["test_accuracy"]

    # The nodes' training jobs moved their runs into the shared store and linked them back.
    for run in ("baseline_n100_w0_e1_s0", "baseline_n100_w0_e2_s0"):
        for name in ("metrics.json", "model.keras", "state.npz"):
            path = cluster.path(f"results/runs/{run}/{name}")
            assert path.is_symlink() and path.resolve().parent == shared, path

    # One store key on every machine: a workstation sharing the store takes the nodes' runs
    # and trains nothing; a node's job takes what the workstation stored and trains nothing
    # either (Snakemake fetches from the store in the job, so the job is still submitted):
    # neither adds an entry, which a run trained under another key would.
    workstation = Workflow(tmp_path / "workstation")
    workstation.write_config(local.config)
    entries = set(shared.iterdir())
    fetched = workstation.snakemake(continued, *cached, env=store)
    output = fetched.stdout + fetched.stderr
    assert "to cache" not in output and set(shared.iterdir()) == entries
    for run in ("baseline_n100_w0_e1_s0", "baseline_n100_w0_e2_s0"):
        assert f"file results/runs/{run}/metrics.json from cache" in output, output[-3000:]
    other = "results/runs/baseline_n200_w0_e1_s0/metrics.json"
    workstation.snakemake(other, *cached, env=store)
    entries = set(shared.iterdir())
    cluster.snakemake(*cluster_profile, other, *cached, env=store)
    assert set(shared.iterdir()) == entries
    assert cluster.path(other).resolve().parent == shared
    assert cluster.path(other).with_name("train.log").read_text() == ""  # no script ran


def test_a_job_given_a_gpu_that_tensorflow_cannot_see_stops_in_one_line(
    slurm, two_workflows, cluster_profile
):
    cluster, _ = two_workflows
    run = "baseline_n100_w0.001_e1_s0"
    result = cluster.snakemake(
        *cluster_profile,
        "--verbose",
        f"results/runs/{run}/metrics.json",
        "--retries",
        "0",
        "--config",
        "device=gpu",  # a cluster with GPU nodes: each training job asks for one
        check=False,
        timeout=300,
    )
    output = result.stdout + result.stderr
    sbatch = [line for line in output.splitlines() if "sbatch call:" in line]
    assert result.returncode != 0 and sbatch and "--gpus=1" in sbatch[0], output[-3000:]
    log = cluster.path(f"results/runs/{run}/train.log").read_text()
    (line,) = [line for line in log.splitlines() if line.startswith("Error: ")]
    assert line.startswith("Error: this training job holds ") and "sees no GPU" in line, log
    assert "Traceback" not in log and not cluster.path(f"results/runs/{run}/metrics.json").exists()


def test_cancelled_training_job_is_retried_and_resumes(slurm, two_workflows, cluster_profile):
    from convlab.checkpoints import read_meta

    cluster, local = two_workflows
    run = "results/runs/baseline_n200_w0_e24_s0"
    checkpoint = cluster.path("results/checkpoints/baseline_n200_w0_e24_s0/state.npz")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "snakemake",
            "--cores",
            "2",
            *cluster_profile,
            f"{run}/metrics.json",
        ],
        cwd=cluster.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.time() + 300
    while (read_meta(checkpoint) or {}).get("epoch", 0) < 3:
        assert time.time() < deadline and process.poll() is None, process.stdout.read()[-3000:]
        time.sleep(0.1)
    jobs = subprocess.run(
        ["squeue", "-h", "-o", "%i"], capture_output=True, text=True
    ).stdout.split()
    assert len(jobs) == 1, jobs
    subprocess.run(["scancel", jobs[0]], check=True)  # as a time limit would end it
    output = process.communicate(timeout=400)[0]
    assert process.returncode == 0, output[-3000:]
    metrics = yaml.safe_load(cluster.path(f"{run}/metrics.json").read_text())
    assert metrics["resumed_from_epoch"] >= 3, output[-3000:]

    local.snakemake(f"{run}/metrics.json")
    for name in ("history.csv", "confusion_test.csv", "report_test.txt"):
        assert (
            cluster.path(f"{run}/{name}").read_bytes() == local.path(f"{run}/{name}").read_bytes()
        )

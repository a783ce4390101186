"""The workflow on a real one-node SLURM cluster, through the profile users run it with.

tests/slurm/cluster.sh installs SLURM from Debian's packages if needed and starts munged,
slurmctld and slurmd by hand. That changes the machine, so it runs only when asked:
CONVLAB_TEST_SLURM=1 (.ci/run sets it). Where the machine cannot (not root, no apt-get), the
test skips. The daemons are stopped by their PID files afterwards.
"""

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import yaml

from cifar_fixtures import write_image_tree
from conftest import REPO, Workflow, installed_apart, tiny_config
from convlab.runs import Run

CLUSTER = REPO / "tests" / "slurm" / "cluster.sh"
# On the cluster only: the 2-epoch run of the net that fig_l1_0 draws, which continues from it.
CONTINUED = "results/runs/baseline_n100_w0_e{epochs}_s0/metrics.json"
# A run that the test stops in its first job until SLURM's time limit ends that job, and its
# jobs' SLURM logs.
TIMED = "results/runs/baseline_n200_w0_e100_s0"
TIMED_JOBS = "rule_train/baseline_200_0_100__0/"
TARGETS = [
    "results/fig_l1_0.png",
    "results/table_kernel2_stride10.tsv",
    "results/summary_baseline.txt",
]


def writer(log: str) -> int | None:
    """The process that has the file ``log`` open, if one has."""
    for handle in Path("/proc").glob("[0-9]*/fd/*"):
        try:
            if os.readlink(handle) == log:
                return int(handle.parts[2])
        except OSError:
            continue  # a process that ended meanwhile
    return None


def stop_once_saved(log: Path, state: Path, stopped: list, seconds=600) -> None:
    """Stop the first process that writes ``log`` (SIGSTOP, as a hung job) once it has saved
    the training's ``state``: the run's first job, which SLURM then ends at its limit. A later
    job's process is never stopped: if the first ends before it saved a state, ``stopped``
    stays empty."""
    deadline, log, first = time.time() + seconds, str(log.resolve()), None
    while time.time() < deadline:
        if first is None:
            first = writer(log)
        elif state.exists():
            try:
                os.kill(first, signal.SIGSTOP)
            except ProcessLookupError:
                return  # it ended as it saved
            stopped.append(first)
            return
        elif not Path(f"/proc/{first}").exists():
            return  # the first job ended before it saved a state
        time.sleep(0.1)


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

    # This machine has no GPU; the cluster's nodes may: with device: gpu each job asks for one,
    # in the form the site wants. Either way each takes the place its scheduler gives it, and
    # a job on the CPU asks for no GPU at all.
    on_gpus = train_resources("--config", "device=gpu")
    assert all({"gpu=1", "pool=scheduler"} <= each for each in on_gpus), on_gpus[:1]
    on_gres = train_resources("--config", "device=gpu", "gpu_request=gres")
    assert all("gres=gpu:1" in each and "gpu=1" not in each for each in on_gres), on_gres[:1]
    on_model = train_resources("--config", "device=gpu", "gpu_request=a100")
    assert all({"gpu=1", "gpu_model=a100"} <= each for each in on_model), on_model[:1]
    on_cpus = train_resources()
    assert all("pool=scheduler" in each for each in on_cpus), on_cpus[:1]
    assert not any(part.startswith("gpu") for each in on_cpus for part in each), on_cpus[:1]
    # Each asks for its own time: these tiny runs for the floor of a few minutes.
    assert all("runtime=5" in each for each in on_cpus), on_cpus[:1]


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
    # Beside them a run whose first job the test stops (SIGSTOP) once it has saved a state, so
    # that SLURM ends it at its time limit of two minutes (120 to 150 s: on a loaded machine
    # the job may take more than one to save its first state); submitted again with seven
    # minutes, it resumes (the rule's own runtime would give it the floor of 5: the dry run
    # above checks that). Only that run (the only one of its epochs) gets the short limit: on
    # a loaded machine another training may well take longer.
    timed, timed_run = f"{TIMED}/metrics.json", Run.parse(TIMED.split("/")[-1])
    runtime = f"5 * attempt - (3 if wildcards.epochs == '{timed_run.epochs}' else 0)"
    limits = (f"train:runtime={runtime}", "train:pool=scheduler", "train:mem_mb=2000")
    stopped = []
    state = cluster.path(timed_run.checkpoint)
    watch = (cluster.path(f"{TIMED}/train.log"), state, stopped)
    threading.Thread(target=stop_once_saved, args=watch, daemon=True).start()
    result = cluster.snakemake(
        *cluster_profile,
        "--verbose",
        *TARGETS,
        continued,
        timed,
        *cached,
        "--set-resources",
        *limits,
        timeout=900,
        env=store,
    )
    output = result.stdout + result.stderr
    assert stopped, f"the first job ended before it saved a state\n{output[-3000:]}"
    submitted = re.findall(
        r"has been submitted with SLURM jobid (\d+) \(log: \S*/rule_([a-z_]+)", output
    )
    # Only the trainings went through the queue: the jobs of a second or two ran on the
    # submitting host (local rules), the data job too, which may download.
    assert submitted and {rule for _, rule in submitted} == {"train"}, output[-3000:]
    for rule in ("prepare_data", "plot_history", "conv_table", "model_summary"):
        assert f"localrule {rule}" in output, rule  # plot_history: plot_history_<kind>
    sbatch_train = [
        line for line in output.splitlines() if "sbatch call:" in line and "rule_train" in line
    ]
    assert sbatch_train and "-p debug" in sbatch_train[0] and "--gpus" not in sbatch_train[0]
    controller_log = (slurm / "slurmctld.log").read_text()

    # The stopped training: SLURM ended its first job at the limit, and the job submitted
    # again, with seven minutes, resumed at its last finished epoch and finished.
    timed_calls = [line for line in sbatch_train if TIMED_JOBS in line]
    assert len(timed_calls) >= 2, output[-3000:]
    assert re.search(r" -t 2\b", timed_calls[0]) and re.search(r" -t 7\b", timed_calls[1])
    first = re.search(rf"jobid (\d+) \(log: \S*{TIMED_JOBS}", output).group(1)
    assert re.search(rf"Time limit exhausted for JobId={first}\b", controller_log), first
    metrics = yaml.safe_load(cluster.path(timed).read_text())
    assert metrics["epochs"] == timed_run.epochs, output[-3000:]
    assert metrics["resumed_from_epoch"] > 0, output[-3000:]
    log = cluster.path(f"{TIMED}/train.log").read_text()
    assert f"resuming from epoch {metrics['resumed_from_epoch']} of results/checkpoints/" in log
    for job, _ in submitted:
        if job != first:
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

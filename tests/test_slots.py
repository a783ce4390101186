"""What a training job takes as it starts (convlab.slots): real processes holding real lock
files, with the pool's GPUs and cores given (no GPU needed)."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convlab.slots import Pool, parse_pool, pool_text, share

SCRIPTS = Path(__file__).parents[1] / "scripts"

# A job: takes its place in the pool of argv[1] (in folder argv[2], holding argv[3] `gpu`
# units), prints the GPU it was bound to (CUDA_VISIBLE_DEVICES) or its threads, then waits to
# be told to decide or end.
JOB = """
import os, sys
from pathlib import Path
from convlab.slots import take_place
place = take_place(sys.argv[1], 1, int(sys.argv[3]), folder=Path(sys.argv[2]))
print(os.environ["CUDA_VISIBLE_DEVICES"] or "cpu", flush=True)
for line in sys.stdin:
    print(place.threads(), flush=True)
"""


class Job:
    def __init__(self, pool: str, folder: Path, gpu_units=0, env=()):
        self.process = subprocess.Popen(
            [sys.executable, "-c", JOB, pool, str(folder), str(gpu_units)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(SCRIPTS), "PATH": "/usr/bin:/bin", **dict(env)},
        )
        self.started = self.process.stdout.readline().strip()

    def threads(self) -> int:
        self.process.stdin.write("decide\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def end(self):
        self.process.stdin.close()
        self.process.wait()


@pytest.fixture
def jobs():
    started = []

    def start(pool, folder, **options):
        started.append(Job(pool, folder, **options))
        return started[-1]

    yield start
    for job in started:
        if job.process.poll() is None:
            job.kill()


@pytest.mark.parametrize(
    "pool",
    [Pool("cpu"), Pool("cpu", 8), Pool("scheduler"), Pool("gpu", gpus=("0", "1"), per_gpu=2)],
)
def test_the_resource_string_says_the_whole_pool(pool):
    assert parse_pool(pool_text(pool)) == pool


@pytest.mark.parametrize("text", ["", "gpu", "gpu 0", "cpu 2 3", "slurm"])
def test_a_resource_string_that_is_no_pool_is_refused(text):
    with pytest.raises(ValueError, match="is none of"):
        parse_pool(text)


def test_a_scheduler_job_keeps_the_gpu_it_was_given_or_none(jobs, tmp_path):
    given = {"CUDA_VISIBLE_DEVICES": "0"}  # as SLURM sets it for each job's own GPU
    assert [jobs("scheduler", tmp_path, gpu_units=1, env=given).started for _ in "ab"] == [
        "0",
        "0",
    ]  # two jobs on one node, each on its own GPU: no slot taken, none waits
    job = jobs("scheduler", tmp_path, env=given)
    assert job.started == "cpu" and job.threads() == 1  # no `gpu` unit: its threads
    assert not list(tmp_path.iterdir())


def test_gpu_jobs_get_different_gpus_and_a_killed_jobs_gpu_goes_to_the_next(jobs, tmp_path):
    first, second = jobs("gpu 0,1 x1", tmp_path), jobs("gpu 0,1 x1", tmp_path)
    assert {first.started, second.started} == {"0", "1"}
    freed = first.started
    first.kill()  # SIGKILL: no clean-up of its own; the kernel releases its lock
    assert jobs("gpu 0,1 x1", tmp_path).started == freed


def test_jobs_per_gpu_spread_over_the_gpus_first_and_one_more_waits_for_a_slot(jobs, tmp_path):
    holders = [jobs("gpu 3,5 x2", tmp_path) for _ in range(4)]
    assert [job.started for job in holders] == ["3", "5", "3", "5"]
    late = jobs("gpu 3,5 x2", tmp_path)  # as from another project on this host
    assert late.started.startswith("waiting for a GPU: all 4 slots (2 per GPU) of GPUs 3, 5")
    holders[1].kill()
    assert late.process.stdout.readline().strip() == "5"


def test_a_cpu_job_records_the_cpu_as_its_device(tmp_path):
    # What the backend places work on, as train.py records it, after the job took its place.
    code = (
        "from convlab.slots import take_place\n"
        "take_place('cpu 2', 1)\n"
        "from convlab.backends import start\n"
        "print(start(1, gpu=False).device)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SCRIPTS), "CONVLAB_SLOTS": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.stdout.strip().splitlines()[-1] == "CPU", done.stderr[-2000:]


def test_a_job_alone_takes_every_core_and_jobs_started_together_share(jobs, tmp_path):
    alone = jobs("cpu 4", tmp_path)
    assert alone.threads() == 4
    alone.end()
    together = [jobs("cpu 4", tmp_path) for _ in range(2)]
    # Both registered before either decides (as jobs that Snakemake starts together, which
    # decide after importing TensorFlow): half the cores each.
    assert [job.threads() for job in together] == [2, 2]
    late = jobs("cpu 4", tmp_path)
    assert late.threads() == 1  # every core taken: the one Snakemake reserved for it
    together[0].kill()
    assert jobs("cpu 4", tmp_path).threads() == 1  # 4 cores, two running (2 and 1 threads)


def test_a_cpu_job_hides_every_gpu_and_a_fixed_pool_keeps_the_reserved_threads(jobs, tmp_path):
    job = jobs("cpu", tmp_path)
    assert job.started == "cpu" and job.threads() == 1
    assert not list(tmp_path.iterdir())  # nothing registered: threads fixed by Snakemake


@given(
    cores=st.integers(1, 64),
    reserved=st.integers(1, 8),
    others=st.lists(st.integers(1, 16), max_size=10),
)
def test_share_of_the_cores(cores, reserved, others):
    threads = share(cores, reserved, others)
    assert threads >= reserved  # never fewer than Snakemake counted
    if threads > reserved:  # more only out of free cores, and no more than an equal share
        assert sum(others) + threads <= cores and threads <= cores // (len(others) + 1)
    if not others:
        assert threads == max(cores, reserved)

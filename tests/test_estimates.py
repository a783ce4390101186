"""Estimates of the planned trainings' time, and the progress of running ones."""

import itertools
import json
import platform
import time
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convlab.estimates import (
    REFERENCE_PACE,
    Command,
    Finished,
    Pace,
    Planned,
    build_end_line,
    cluster_minutes,
    crowds,
    estimate_line,
    finished_runs,
    makespan,
    planned_trainings,
    side_by_side,
)
from convlab.progress import Progress, clock, duration, running, status_lines
from convlab.runs import Run
from convlab.slots import Pool


def brute_force_makespan(seconds, workers):
    """The makespan of longest-first list scheduling, by trying every assignment that the
    greedy rule allows: each job, longest first, to a least-loaded worker."""
    loads = [0.0] * workers
    for job in sorted(seconds, reverse=True):
        loads[loads.index(min(loads))] += job
    return max(loads)


@given(st.lists(st.floats(0.1, 1000), max_size=12), st.integers(1, 6))
def test_makespan_is_longest_first_list_scheduling(seconds, workers):
    span = makespan(seconds, workers)
    assert span == pytest.approx(brute_force_makespan(seconds, workers) if seconds else 0.0)
    if seconds:  # never shorter than the longest job or than perfect sharing
        assert span >= max(max(seconds), sum(seconds) / workers) - 1e-9


def test_makespan_is_within_four_thirds_of_the_best_split():
    seconds = [7, 7, 6, 6, 5, 5, 4, 4, 4]
    best = min(
        max(sum(s for s, w in zip(seconds, split) if w == k) for k in range(3))
        for split in itertools.product(range(3), repeat=len(seconds))
    )
    assert makespan(seconds, 3) <= 4 / 3 * best


def run(arch="baseline", threads=1, workload=5000, start=5.0, fit=10.0, end=8.0):
    return Finished(arch, threads, workload, start, fit, end)


def test_pace_fits_a_line_through_its_runs_and_falls_back_to_the_reference():
    # fit = 2 s + workload / 1000: two workloads, exactly on the line
    pace = Pace([run(workload=1000, fit=3.0), run(workload=3000, fit=5.0)])
    assert pace.fit("baseline", 1, 10000) == pytest.approx(12.0)
    assert pace.job("baseline", 1, 10000) == pytest.approx(5.0 + 12.0 + 8.0)
    # one workload: through 0; another thread count: the architecture's runs
    assert Pace([run(workload=2000, fit=4.0)]).fit("baseline", 2, 6000) == pytest.approx(12.0)
    # no run of the architecture: the reference pace
    assert pace.fit("maxpool", 1, 100000) == pytest.approx(100000 / REFERENCE_PACE["maxpool"])


def test_finished_runs_are_read_from_their_metrics(tmp_path):
    folder = tmp_path / "runs" / "baseline_n100_w0_e3_s0"
    folder.mkdir(parents=True)
    metrics = {"arch": "baseline", "n": 100, "epochs": 3, "resumed_from_epoch": 1, "threads": 2}
    metrics |= {
        "job_start": 100.0,
        "fit_start": 104.0,
        "fit_end": 110.0,
        "job_end": 113.0,
        "fit_seconds_this_job": 6.0,
    }
    (folder / "metrics.json").write_text(json.dumps(metrics))
    (tmp_path / "runs" / "old").mkdir()
    (tmp_path / "runs" / "old" / "metrics.json").write_text('{"arch": "baseline"}')
    assert finished_runs(tmp_path / "runs") == [
        Finished("baseline", 2, 200, 4.0, 6.0, 3.0, crowd=2.0)
    ]


PROBED = {
    "baseline": {
        "start": 5.0,
        "fit_per_workload": 0.001,
        "fit_per_workload_range": [0.0008, 0.0012],
        "fit_fixed": 2.0,
        "end_fixed": 3.0,
        "end_per_image": 0.0002,
    },
}


def test_the_estimate_line_says_how_many_how_long_and_from_what():
    jobs = [("baseline", 1, 5000 * 20, 5000)] * 4
    line = estimate_line(jobs, Pace([], cores=2), at_once=2, more_later=False)
    seconds = 6.0 + 5000 * 20 / REFERENCE_PACE["baseline"] + 10.0
    assert line == (
        f"Estimate: 4 training(s) to run, 2 at a time, and 0 other job(s): about "
        f"{duration(2 * seconds)}, from a reference pace (2-core machine; none finished here yet)"
    )
    cluster = estimate_line(jobs, Pace([run()]), at_once=None, more_later=True)
    assert "4 training(s) to run, " in cluster and "the longest" in cluster
    assert cluster.endswith(
        "from the pace of 1 run(s) finished here; more if the claims' looks ask for more seeds"
    )
    cluster = estimate_line(jobs, Pace([]), at_once=None, more_later=False)
    assert cluster.endswith(
        "from a reference pace (2-core machine; a cluster's nodes are not probed)"
    )


def test_a_probed_pace_times_the_parts_of_a_job_and_its_spread():
    pace = Pace([], cores=2, probed=PROBED, small_job=4.0)
    # start, build and tracing + workload at the probe's pace, evaluation of 2 x 10,000 + n
    assert pace.job("baseline", 1, 100_000, n=5000) == pytest.approx(5 + 2 + 100 + 3 + 1)
    jobs = [("baseline", 1, 100_000, 5000)] * 4
    line = estimate_line(jobs, pace, at_once=2, more_later=False, small=10)
    # two jobs after two on two cores, then 10 small jobs of 4 s on the 2 cores
    assert line == (
        "Estimate: 4 training(s) to run, 2 at a time, and 10 other job(s): about "
        f"{duration(2 * 111 + 20)} ({duration(2 * 91 + 20)} to {duration(2 * 131 + 20)} at its "
        "fastest and slowest epoch), from this machine's probed pace (none finished here yet)"
    )
    # A run finished here outranks the probe for its architecture.
    assert Pace([run()], probed=PROBED).fit("baseline", 1, 5000) == pytest.approx(10.0)


def test_the_build_s_end_counts_running_waiting_and_other_jobs():
    now = 1000.0
    planned = [
        Planned(Run("baseline", n, 0.0001, 20, "", 0), 1, Pool("cpu", 2), 0)
        for n in (5000, 10000, 20000)
    ]
    command = Command(planned, at_once=2, others=10, more_later=False, configfiles=())
    records = [{"run": planned[2].run.name, "expected_end": now + 100, "epoch": 4}]
    pace = Pace([], cores=2, probed=PROBED, small_job=4.0)
    line = build_end_line(records, command, pace, now)
    waiting = [pace.job("baseline", 1, n * 20, at_once=2, n=n) for n in (5000, 10000)]
    left = makespan(waiting, 2, [100.0]) + 20
    assert line == (
        f"The build: 1 training(s) running, 2 waiting, 10 other job(s); all done "
        f"~{clock(now + left)} (in {duration(left)})"
    )


def test_makespan_starts_after_the_running_jobs():
    assert makespan([10.0, 10.0], 2, busy=[5.0]) == 15.0
    assert makespan([], 2, busy=[7.0, 3.0]) == 7.0


@pytest.mark.parametrize(
    "seconds, said",
    [(0.2, "1 s"), (40, "40 s"), (89.5, "90 s"), (600, "10 min"), (3901, "1 h 06 min")],
)
def test_durations_read_as_one_says_them(seconds, said):
    assert duration(seconds) == said


def test_progress_of_a_running_training_is_listed_until_it_ends(tmp_path):
    folder = tmp_path / "checkpoints" / "baseline_n100_w0_e4_s0"
    progress = Progress.begin(folder, folder.name, first=1, epochs=4)
    assert "starting" in status_lines(running(tmp_path / "checkpoints"), 3)[1]
    progress.started -= 20  # two epochs of 10 s
    line = progress.epoch_done(3, {"accuracy": [0.1, 0.2, 0.3], "loss": [2.0, 1.9, 1.8]})
    assert " epoch 3/4  accuracy 0.3000  loss 1.8000  10.0 s/epoch, ends ~" in line
    assert line.endswith("(in 10 s)")
    (record,) = running(tmp_path / "checkpoints")
    assert record["epoch"] == 3 and record["host"] == platform.node()
    lines = status_lines([record], finished=3)
    assert lines[0] == "1 training(s) running; 3 run(s) finished in results/runs/."
    assert "baseline_n100_w0_e4_s0  epoch 3/4  10.0 s/epoch, ends ~" in lines[1]
    progress.end()
    assert running(tmp_path / "checkpoints") == []


def test_a_training_that_shares_the_cores_says_so_in_the_status(tmp_path):
    folder = tmp_path / "checkpoints" / "baseline_n100_w0_e4_s0"
    note = "sharing 2 cores: 1 other training(s) on this host hold 2 thread(s)"
    progress = Progress.begin(folder, folder.name, first=0, epochs=4, note=note)
    assert status_lines(running(tmp_path / "checkpoints"), 0)[1].endswith(f"; {note}")
    progress.end()


def test_a_record_of_another_host_counts_while_it_is_fresh(tmp_path):
    folder = tmp_path / "baseline_n100_w0_e4_s0"
    folder.mkdir()
    now = time.time()
    record = {"run": folder.name, "host": "node-7", "pid": 1, "started": now - 50, "epoch": 2}
    record |= {"epochs": 4, "seconds_per_epoch": 20.0, "expected_end": now + 40}
    for updated, listed in ((now - 30, True), (now - 600, False)):
        (folder / "progress.json").write_text(json.dumps({**record, "updated": updated}))
        assert bool(running(tmp_path, now)) == listed


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0.1, 50), st.integers(1, 4)), max_size=30))
def test_crowds_count_the_threads_of_every_overlapping_fit(runs):
    intervals = [(a, a + length) for a, length, _ in runs]
    threads = [t for *_, t in runs]
    expected = [
        sum(t for (c, d), t in zip(intervals, threads) if c < b and d > a) for a, b in intervals
    ]
    assert crowds(intervals, threads) == pytest.approx(expected)


def test_a_crowded_machine_s_runs_predict_a_lone_job_and_a_crowded_one():
    # Four one-thread fits at once on 2 cores took 8 s each: alone, each would take 4 s.
    crowded = [run(workload=1000, fit=8.0, start=2.0, end=2.0, threads=1)]
    crowded = [Finished(**{**r.__dict__, "crowd": 4.0}) for r in crowded]
    pace = Pace(crowded, cores=2)
    assert pace.job("baseline", 1, 1000, at_once=1) == pytest.approx(1 + 4 + 1)
    assert pace.job("baseline", 1, 1000, at_once=4) == pytest.approx(2 * (1 + 4 + 1))
    assert pace.job("baseline", 1, 1000, at_once=None) == pytest.approx(1 + 4 + 1)


DRY_RUN = """\
[Thu Dec  3 05:38:44 2026]
rule train:
    input: results/data/cifar10.npz, scripts/train.py
    output: results/runs/deep_n100_w0.0001_e1_s0/model.keras
    log: results/runs/deep_n100_w0.0001_e1_s0/train.log
    wildcards: arch=deep, n=100, l1=0.0001, epochs=1, variant=, seed=0
    resources: tmpdir=/tmp, gpu=1, pool=gpu 0,1 x2, mem_mb=1141
[Thu Dec  3 05:38:44 2026]
rule train:
    input: data/cifar10.npz, results/runs/deep_n100_w0.0001_e1_s0/state.npz (retrieve from storage)
    output: results/runs/deep_n100_w0.0001_e2_s0/model.keras
    log: results/runs/deep_n100_w0.0001_e2_s0/train.log
    wildcards: arch=deep, n=100, l1=0.0001, epochs=2, variant=, seed=0
    threads: 4
    resources: tmpdir=/tmp, gpu=1, pool=gpu 0,1 x2, mem_mb=1141
[Thu Dec  3 05:38:44 2026]
checkpoint look:
    input: results/runs/deep_n100_w0.0001_e2_s0/metrics.json
    output: results/claims/look0.json
    log: results/logs/claims_look0.log
DAG of jobs will be updated after completion.

[Thu Dec  3 05:38:44 2026]
rule plot_history:
    input: results/runs/deep_n100_w0.0001_e2_s0/history.csv
    log: results/logs/fig_deep_n100_e2.log
"""


def test_a_dry_run_s_training_jobs_are_read_with_the_epochs_trained_before_them():
    first, second = planned_trainings(DRY_RUN)
    assert first.run == Run("deep", 100, 0.0001, 1, "", 0) and first.done == 0
    assert second.run == first.run.but(epochs=2) and second.done == 1
    assert (first.threads, second.threads) == (1, 4)
    assert second.pool == Pool("gpu", gpus=("0", "1"), per_gpu=2)
    assert side_by_side([first, second], cores=8, gpu_units=8) == 4  # 2 GPUs, 2 slots each
    assert side_by_side([first, second], cores=8, gpu_units=3) == 3  # --resources gpu=3
    assert side_by_side([first, second], cores=2, gpu_units=8) == 2  # one thread each
    cpu = [replace(first, pool=Pool("cpu", 2), threads=2)]
    assert side_by_side(cpu, cores=5, gpu_units=1) == 2
    assert side_by_side([replace(first, pool=Pool("scheduler"))], cores=5, gpu_units=1) is None


def test_a_cluster_job_asks_for_its_size_at_the_reference_pace_with_a_margin():
    """The default target's trainings (workloads: n x the epochs each job trains) ask for
    times that differ by their size, none under the floor or over two hours, and more at
    each resubmission."""
    runs = [("baseline", 5000 * 20), ("baseline", 40000 * 20), ("maxpool", 5000 * 20)]
    runs += [("deep", 50000 * 20), ("deep", 50000 * 40)]  # 60 epochs, 20 of them done before
    minutes = [cluster_minutes(arch, 1, workload) for arch, workload in runs]
    assert len(set(minutes)) == len(minutes) and 5 <= min(minutes) and max(minutes) <= 120
    fit = 50000 * 40 / REFERENCE_PACE["deep"] / 60
    assert 3 * fit <= minutes[-1] <= 3 * fit + 2  # 3x the time at the reference pace
    assert cluster_minutes("baseline", 1, 100, attempt=1) == 5  # a tiny run: the floor
    assert [cluster_minutes("deep", 1, 10**6, attempt=a) for a in (1, 2, 3)] == [
        a * minutes[3] for a in (1, 2, 3)
    ]

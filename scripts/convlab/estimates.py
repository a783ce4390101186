"""How long the planned trainings will take, from the pace of the runs finished here.

A training job is three parts: start-up (Python, TensorFlow, the data), the fit, and the
evaluation and saving. Each finished run's metrics.json records when its job and its fit
started and ended, so every finished run is a measurement. The fit of an architecture takes
``a + w / pace`` seconds for a workload ``w`` of n times the epochs trained in the job (least
squares over the runs of that architecture and thread count, or of that architecture;
through 0 when all its runs had one workload); start-up and evaluation take their mean.
With no run of an architecture finished here, the pace is the reference below, measured on
a 2-core machine.
"""

import bisect
import heapq
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from convlab.progress import duration
from convlab.runs import Run
from convlab.slots import Pool, parse_pool

# Measured 2026-11-30 on a 2-core AMD EPYC (TensorFlow 2.21, one thread per job, two jobs at
# once, n = 5000, 20 epochs, real CIFAR-10): n x epochs per second of fit; start-up and
# evaluation in seconds. An architecture not listed takes the baseline's.
REFERENCE_PACE = {"baseline": 1100.0, "maxpool": 500.0, "deep": 1200.0}
REFERENCE_START, REFERENCE_END = 6.0, 10.0
# A cluster job asks for this many times its time at the reference pace (a node may be slower
# than the reference machine, or shared), never under the floor, and for as much again at
# each resubmission (it resumes at its last finished epoch, so a retry needs less).
CLUSTER_MARGIN, CLUSTER_FLOOR_MINUTES = 3.0, 5


@dataclass(frozen=True)
class Finished:
    """One finished training job, as its metrics.json recorded it, and ``crowd``: the
    threads of every training job that overlapped it (its own included)."""

    arch: str
    threads: int
    workload: float  # n x epochs trained in this job
    start: float  # seconds from the job's start to its fit's
    fit: float
    end: float | None  # seconds from the fit's end to the job's end (None: not recorded)
    crowd: float = 1.0


def crowds(intervals, threads) -> list[float]:
    """For each (start, end) interval, the sum of ``threads`` of the intervals that overlap
    it, itself included: by sorting, O(n log n)."""
    starts = sorted((a, t) for (a, _), t in zip(intervals, threads))
    ends = sorted((b, t) for (_, b), t in zip(intervals, threads))
    begun = np.cumsum([0.0] + [t for _, t in starts])  # threads of intervals started before
    done = np.cumsum([0.0] + [t for _, t in ends])  # threads of intervals ended by
    start_keys, end_keys = [a for a, _ in starts], [b for b, _ in ends]
    return [
        float(begun[bisect.bisect_left(start_keys, b)] - done[bisect.bisect_right(end_keys, a)])
        for a, b in intervals
    ]


def finished_runs(runs_folder) -> list[Finished]:
    """Every run in ``runs_folder`` with the times a job records (older runs without them
    are left out)."""
    found, intervals = [], []
    for path in sorted(Path(runs_folder).glob("*/metrics.json")):
        try:
            m = json.loads(path.read_text(encoding="utf-8"))
            run = Finished(
                arch=m["arch"],
                threads=int(m.get("threads") or 1),
                workload=m["n"] * (m["epochs"] - m.get("resumed_from_epoch", 0)),
                start=m["fit_start"] - m["job_start"],
                fit=m["fit_seconds_this_job"],
                end=m["job_end"] - m["fit_end"] if "job_end" in m else None,
            )
            interval = (float(m["job_start"]), float(m.get("job_end", m["fit_end"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        found.append(run)
        intervals.append(interval)
    shared = crowds(intervals, [run.threads for run in found])
    return [replace(run, crowd=crowd) for run, crowd in zip(found, shared)]


@dataclass(frozen=True)
class Pace:
    """Seconds of a job from its architecture, threads and workload, on ``cores`` cores.

    A run's times count as if its machine had not been crowded: those of a job that shared
    the cores with more threads than there are are scaled by cores / threads (8 trainings
    on 2 cores each took 4 times as long); a planned job is slowed by as much when the jobs
    that run with it ask for more threads than there are cores."""

    runs: list[Finished]
    cores: int = 1

    def _alone(self, run: Finished) -> float:
        return min(1.0, self.cores / max(run.crowd, 1.0))

    def fit(self, arch: str, threads: int, workload: float) -> float:
        same = [r for r in self.runs if r.arch == arch and r.threads == threads]
        same = same or [r for r in self.runs if r.arch == arch]
        if not same:
            pace = REFERENCE_PACE.get(arch, REFERENCE_PACE["baseline"])
            return workload / pace
        work = np.array([r.workload for r in same], dtype=float)
        seconds = np.array([r.fit * self._alone(r) for r in same], dtype=float)
        if len(set(work)) > 1:
            slope, intercept = np.polyfit(work, seconds, 1)
            if slope > 0 and intercept >= 0:
                return float(intercept + slope * workload)
        return float(seconds.sum() / max(work.sum(), 1.0) * workload)

    def job(self, arch: str, threads: int, workload: float, at_once: int | None = 1) -> float:
        """A job's seconds, with ``at_once`` jobs of ``threads`` each at a time (None: a
        cluster job, on a node of its own)."""
        starts = [r.start * self._alone(r) for r in self.runs]
        ends = [r.end * self._alone(r) for r in self.runs if r.end is not None]
        start = np.mean(starts) if starts else REFERENCE_START
        end = np.mean(ends) if ends else REFERENCE_END
        crowded = 1.0 if at_once is None else max(1.0, at_once * threads / self.cores)
        return float(crowded * (start + self.fit(arch, threads, workload) + end))


def cluster_minutes(arch: str, threads: int, workload: float, attempt: int = 1) -> int:
    """Minutes that a cluster job of this architecture, threads and workload (n x the epochs
    it trains) asks for on its ``attempt``-th submission: its time at the reference pace
    (none finished on a node counts: the plan reads no run folder) times CLUSTER_MARGIN."""
    seconds = Pace([]).job(arch, threads, workload, at_once=None)
    return attempt * max(CLUSTER_FLOOR_MINUTES, math.ceil(CLUSTER_MARGIN * seconds / 60))


def makespan(seconds, at_once: int) -> float:
    """The time ``seconds`` of jobs take on ``at_once`` workers, longest first (as the train
    rule's priority starts the largest n first), each job to the first free worker."""
    workers = [0.0] * max(1, min(at_once, len(seconds)))
    for job in sorted(seconds, reverse=True):
        heapq.heappush(workers, heapq.heappop(workers) + job)
    return max(workers) if seconds else 0.0


def estimate_line(jobs, pace: Pace, at_once: int | None, more_later: bool) -> str:
    """One line: how many trainings will run and how long they take. ``jobs`` are
    (arch, threads, workload); ``at_once`` how many run side by side (None: a cluster,
    where the queue decides); ``more_later``: the plan has looks of the claims, which add
    seeds when ``replicates`` sets a start and a max."""
    seconds = [pace.job(*job, at_once=min(at_once, len(jobs)) if at_once else None) for job in jobs]
    source = (
        f"the pace of {len(pace.runs)} run(s) finished here"
        if pace.runs
        else "a reference pace (2-core machine; none finished here yet)"
    )
    later = "; more if the claims' looks ask for more seeds" if more_later else ""
    if at_once is None:
        return (
            f"Estimate: {len(jobs)} training(s) to run, {duration(sum(seconds))} of jobs in all, "
            f"the longest {duration(max(seconds))}, from {source}{later}"
        )
    return (
        f"Estimate: {len(jobs)} training(s) to run, {min(at_once, len(jobs))} at a time, about "
        f"{duration(makespan(seconds, at_once))}, from {source}{later}"
    )


@dataclass(frozen=True)
class Planned:
    """A training job of a dry run's plan: its run, threads and pool, and the epochs that the
    shorter run it continues from trains before it (0: none)."""

    run: Run
    threads: int
    pool: Pool
    done: int


def planned_trainings(dry_run: str) -> list[Planned]:
    """The training jobs in the text that `snakemake --dry-run` prints, one block per job."""
    planned = []
    for block in re.split(r"\n(?=\[[^\]]+\]\nrule |rule )", dry_run):
        if not block.lstrip().splitlines() or not re.search(r"^rule train:", block, re.M):
            continue
        lines = dict(re.findall(r"^    (\w+): (.*)$", block, re.M))
        run = Run.parse(lines["log"].split("/")[-2])
        shorter = [
            Run.parse(path.split("/")[-2])
            for path in lines.get("input", "").split(", ")
            # "... (retrieve from storage)" under a default storage provider
            if path.split(" (")[0].endswith("/state.npz")
        ]
        resources = dict(
            item.split("=", 1)
            for item in re.split(r", (?=\w+=)", lines.get("resources", ""))
            if item
        )
        planned.append(
            Planned(
                run,
                int(lines.get("threads", 1)),
                parse_pool(resources.get("pool", "cpu")),
                shorter[0].epochs if shorter else 0,
            )
        )
    return planned


def side_by_side(planned: list[Planned], cores: int, gpu_units: int) -> int | None:
    """How many of the planned trainings run at once: the cores over each job's threads,
    on GPUs no more than their slots and the `gpu` units given (each job holds one); None on
    a cluster, where the queue decides."""
    pool = planned[0].pool
    if pool.device == "scheduler":
        return None
    at_once = max(1, cores // planned[0].threads)
    if pool.device == "gpu":
        return min(at_once, len(pool.gpus) * pool.per_gpu, gpu_units)
    return at_once

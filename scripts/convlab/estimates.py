"""How long the planned trainings will take, from the pace of the runs finished here, else
this machine's probed pace.

A training job is three parts: start-up (Python, TensorFlow, the data), the fit, and the
evaluation and saving. Each finished run's metrics.json records when its job and its fit
started and ended, so every finished run is a measurement. The fit of an architecture takes
``a + w / pace`` seconds for a workload ``w`` of n times the epochs trained in the job (least
squares over the runs of that architecture and thread count, or of that architecture;
through 0 when all its runs had one workload); start-up and evaluation take their mean.
With no run of an architecture finished here, the pace and the parts are the probe's
(convlab.probe: a miniature job timed on this machine); without a probe (a cluster's
nodes), the reference below, measured on a 2-core machine.
"""

import argparse
import bisect
import heapq
import json
import math
import re
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import yaml

from convlab.probe import measured_pace
from convlab.progress import clock, duration
from convlab.project import merged
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
    probed: dict = field(default_factory=dict)  # {arch: convlab.probe's figures}
    small_job: float = 0.0  # seconds of a local job other than a training (the probe's)
    bound: str = "fit_per_workload"  # or "low"/"high": the probe's fastest/slowest epoch

    def _alone(self, run: Finished) -> float:
        return min(1.0, self.cores / max(run.crowd, 1.0))

    def fit(self, arch: str, threads: int, workload: float) -> float:
        same = [r for r in self.runs if r.arch == arch and r.threads == threads]
        same = same or [r for r in self.runs if r.arch == arch]
        if not same and arch in self.probed:
            probed = self.probed[arch]
            low, high = probed["fit_per_workload_range"]
            per = {"low": low, "high": high}.get(self.bound, probed["fit_per_workload"])
            return probed["fit_fixed"] + workload * per
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

    def job(
        self, arch: str, threads: int, workload: float, at_once: int | None = 1, n: int = 0
    ) -> float:
        """A job's seconds, with ``at_once`` jobs of ``threads`` each at a time (None: a
        cluster job, on a node of its own); ``n``, its training images, sizes its
        evaluation where the probe's figures time it."""
        starts = [r.start * self._alone(r) for r in self.runs]
        ends = [r.end * self._alone(r) for r in self.runs if r.end is not None]
        probed = self.probed.get(arch)
        start = np.mean(starts) if starts else probed["start"] if probed else REFERENCE_START
        end = (
            np.mean(ends)
            if ends
            else probed["end_fixed"] + n * probed["end_per_image"]
            if probed
            else REFERENCE_END
        )
        crowded = 1.0 if at_once is None else max(1.0, at_once * threads / self.cores)
        return float(crowded * (start + self.fit(arch, threads, workload) + end))

    def others(self, count: int) -> float:
        """The seconds ``count`` local jobs other than trainings add, sharing the cores."""
        return count * self.small_job / self.cores


def cluster_minutes(arch: str, threads: int, workload: float, attempt: int = 1) -> int:
    """Minutes that a cluster job of this architecture, threads and workload (n x the epochs
    it trains) asks for on its ``attempt``-th submission: its time at the reference pace
    (none finished on a node counts: the plan reads no run folder) times CLUSTER_MARGIN."""
    seconds = Pace([]).job(arch, threads, workload, at_once=None)
    return attempt * max(CLUSTER_FLOOR_MINUTES, math.ceil(CLUSTER_MARGIN * seconds / 60))


def makespan(seconds, at_once: int, busy=()) -> float:
    """The time ``seconds`` of jobs take on ``at_once`` workers, longest first (as the train
    rule's priority starts the largest n first), each job to the first free worker; ``busy``
    holds the seconds left of the jobs running now, each on a worker of its own."""
    idle = max(1, min(at_once, len(seconds) + len(busy))) - len(busy)
    workers = [*busy, *[0.0] * max(0, idle)]
    heapq.heapify(workers)
    for job in sorted(seconds, reverse=True):
        heapq.heappush(workers, heapq.heappop(workers) + job)
    return max(workers) if workers else 0.0


def estimate_line(jobs, pace: Pace, at_once: int | None, more_later: bool, small=0) -> str:
    """One line: how many trainings will run and how long the build takes. ``jobs`` are
    (arch, threads, workload, n); ``at_once`` how many run side by side (None: a cluster,
    where the queue decides); ``more_later``: the plan has looks of the claims, which add
    seeds when ``replicates`` sets a start and a max; ``small``: how many other jobs the
    plan has (each a local job of the probe's seconds, sharing the cores)."""

    def seconds(pace, at_once):
        return [
            pace.job(arch, threads, work, at_once=at_once, n=n) for arch, threads, work, n in jobs
        ]

    later = "; more if the claims' looks ask for more seeds" if more_later else ""
    if at_once is None:
        each = seconds(pace, None)
        source = (
            f"the pace of {len(pace.runs)} run(s) finished here"
            if pace.runs
            else "a reference pace (2-core machine; a cluster's nodes are not probed)"
        )
        return (
            f"Estimate: {len(jobs)} training(s) to run, {duration(sum(each))} of jobs in all, "
            f"the longest {duration(max(each))}, from {source}{later}"
        )
    side = min(at_once, len(jobs))

    def build(pace):
        return makespan(seconds(pace, side), at_once) + pace.others(small)

    sources = [f"the pace of {len(pace.runs)} run(s) finished here"] if pace.runs else []
    spread = ""
    if pace.probed:
        sources.append(
            f"this machine's probed pace{'' if pace.runs else ' (none finished here yet)'}"
        )
        low, high = (build(replace(pace, bound=bound)) for bound in ("low", "high"))
        if duration(low) != duration(high):
            spread = f" ({duration(low)} to {duration(high)} at its fastest and slowest epoch)"
    source = " and ".join(sources) or "a reference pace (2-core machine; none finished here yet)"
    return (
        f"Estimate: {len(jobs)} training(s) to run, {side} at a time, and {small} other "
        f"job(s): about {duration(build(pace))}{spread}, from {source}{later}"
    )


def job_counts(dry_run: str) -> dict[str, int]:
    """Rule name -> jobs planned, from the table that `snakemake --dry-run` prints."""
    counts, in_table = {}, False
    for line in dry_run.splitlines():
        parts = line.split()
        if parts[:2] == ["job", "count"]:
            in_table = True
        elif in_table and len(parts) == 2 and parts[1].isdigit():
            if parts[0] != "total":
                counts[parts[0]] = int(parts[1])
        elif in_table and parts and not set(parts[0]) <= {"-"}:
            in_table = False
    return counts


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
    for block in re.split(r"\n(?=(?:\[[^\]]+\]\n)?(?:local)?(?:rule|checkpoint) \w+:)", dry_run):
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


@dataclass(frozen=True)
class Command:
    """A snakemake command's plan as its dry run prints it: the trainings, how many run at
    once, the other jobs, and the config files it reads (config.yaml, local.yaml, then
    --configfile's)."""

    planned: list[Planned]
    at_once: int | None
    others: int
    more_later: bool
    configfiles: tuple[str, ...]

    @classmethod
    def dry_run(cls, words: list[str], cores: int, *extra: str) -> "Command":
        """Plan ``words`` (a snakemake command's options and targets) with ``extra`` options;
        a failed dry run exits with its first error line."""
        options = argparse.ArgumentParser(add_help=False)
        options.add_argument("--cores", "-c", "--jobs", "-j", default="all")
        options.add_argument("--resources", "--res", nargs="*", default=[])
        options.add_argument("--workflow-profile", default="profiles/default")
        options.add_argument("--configfile", "--configfiles", nargs="*", default=[])
        known = options.parse_known_args(words)[0]
        # GPU trainings at once: --resources gpu=N, else the workflow profile's, else no limit.
        profile = Path(known.workflow_profile, "config.yaml")
        profile = yaml.safe_load(profile.read_text(encoding="utf-8")) if profile.is_file() else {}
        gpu_units = int(
            dict(item.split("=", 1) for item in known.resources if "=" in item).get(
                "gpu", profile.get("resources", {}).get("gpu", sys.maxsize)
            )
        )
        done = subprocess.run(
            [sys.executable, "-m", "snakemake", "--dry-run", *extra, *words],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if line.startswith("Error")]
            sys.exit(errors[0] if errors else done.stderr[-2000:])
        printed = done.stdout + done.stderr
        planned = planned_trainings(printed)
        given = cores if known.cores == "all" else int(known.cores)
        return cls(
            planned,
            side_by_side(planned, given, gpu_units) if planned else 1,
            sum(jobs for rule, jobs in job_counts(printed).items() if rule not in ("train", "all")),
            "checkpoint jobs" in printed,
            ("config.yaml", "local.yaml", *known.configfile),
        )

    def jobs(self) -> list[tuple]:
        """(arch, threads, workload, n) of each planned training (see ``estimate_line``)."""
        return [
            (p.run.arch, p.threads, p.run.n * (p.run.epochs - p.done), p.run.n)
            for p in self.planned
        ]

    def config(self) -> dict:
        """The config the dry run read."""
        config = {}
        for name in self.configfiles:
            if Path(name).is_file():
                config = merged(config, yaml.safe_load(Path(name).read_text(encoding="utf-8")))
        return config

    def pace(self, finished: list[Finished], cores: int, measure: bool = True) -> Pace:
        """The pace of the ``finished`` runs, and for the planned architectures without one
        this machine's probed pace: measured now if need be (``measure``), else as kept."""
        if self.at_once is None:  # a cluster's nodes are not probed
            return Pace(finished, cores)
        config = self.config()
        unmeasured = sorted({p.run.arch for p in self.planned} - {r.arch for r in finished})
        probed, small_job = measured_pace(
            {arch: config["architectures"][arch] for arch in unmeasured},
            self.planned[0].threads,
            self.planned[0].pool.device == "gpu",
            min(self.at_once, len(self.planned)),
            config["training"],
            measure=measure,
        )
        return Pace(finished, cores, probed, small_job)


def build_end_line(records: list[dict], command: Command, pace: Pace, now: float) -> str:
    """When the build should end: the running trainings (their progress ``records``) at
    their expected ends, the waiting ones each to the first free place, then the other jobs
    on the cores."""
    running_now = {record["run"] for record in records}
    waiting = [
        job for p, job in zip(command.planned, command.jobs()) if p.run.name not in running_now
    ]
    at_once = command.at_once or len(command.planned)
    busy = []
    for record in records:
        if record["expected_end"] is None:  # still starting: its whole job's time
            run = Run.parse(record["run"])
            whole = pace.job(run.arch, 1, run.n * (run.epochs - record["epoch"]), at_once, run.n)
            busy.append(max(0.0, whole - (now - record["started"])))
        else:
            busy.append(max(0.0, record["expected_end"] - now))
    seconds = [pace.job(*job[:3], at_once=at_once, n=job[3]) for job in waiting]
    left = makespan(seconds, at_once, busy[:at_once]) + pace.others(command.others)
    return (
        f"The build: {len(records)} training(s) running, {len(waiting)} waiting, "
        f"{command.others} other job(s); all done ~{clock(now + left)} (in {duration(left)})"
    )

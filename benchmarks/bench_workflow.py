"""The workflow's own overheads, each against bare Snakemake measured in the same invocation.

    .venv/bin/python benchmarks/bench_workflow.py --workdir DIR [--configfile ...] [--rss-n 50000]

- planning: a dry run of the full default DAG with nothing built yet (a fresh copy);
- no-op rerun: `snakemake` in DIR, where the default target is complete (nothing to do);
- one cluster job: the planning that each SLURM job does on its node before its script
  starts (the command the executor gives sbatch, for one finished training, dry; needs
  requirements-slurm.txt installed);
- baseline: a dry run of a one-rule Snakefile, i.e. Snakemake's own start-up;
- peak memory (RSS) of one training job on --rss-n images (1 epoch), as the `train` rule runs it.

Exits non-zero if the no-op rerun takes 5 s or more, or the training job's peak RSS is
2.5 GB or more.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
sys.path.insert(0, str(REPO / "scripts"))
from convlab.runs import RUN_FIELDS, RUN_NAME  # noqa: E402 (the library is found above)


def cluster_job(workdir: Path, config: list) -> list:
    """A training job's command as the SLURM executor gives it to sbatch (its own snakemake
    in remote mode, for one job of the rule), for the first finished run in ``workdir``, with
    --dry-run: what the job does before its script starts."""
    pattern = re.escape(RUN_NAME).replace(r"\{", "{").replace(r"\}", "}")
    pattern = pattern.format(**{key: f"(?P<{key}>{regex})" for key, regex in RUN_FIELDS.items()})
    run = sorted(workdir.glob("results/runs/*/metrics.json"))[0].parent.name
    fields = re.fullmatch(pattern, run).groupdict()
    spec = "train:" + ",".join(f"{key}={value}" for key, value in fields.items())
    return [
        *SNAKEMAKE,
        "--snakefile",
        str(workdir / "Snakefile"),
        "--target-jobs",
        spec,
        "--allowed-rules",
        "train",
        "--cores",
        "all",
        "--force-use-threads",
        "--force",
        "--target-files-omit-workdir-adjustment",
        "--max-inventory-time",
        "0",
        "--nocolor",
        "--no-hooks",
        "--nolock",
        "--ignore-incomplete",
        "--rerun-triggers",
        "mtime",
        "params",
        "input",
        "software-env",
        "--configfiles",
        *config[1:],
        "--executor",
        "slurm-jobstep",
        "--jobs",
        "1",
        "--mode",
        "remote",
        "--dry-run",
    ]


def timed(command, cwd, repeats=3) -> float:
    """Median wall time of a command that must succeed."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir",
        required=True,
        type=Path,
        help="a copy of the workflow where the default target is complete",
    )
    parser.add_argument(
        "--configfile",
        nargs="+",
        default=["config.yaml"],
        help="config files, relative to --workdir",
    )
    parser.add_argument("--rss-n", type=int, default=50000)
    parser.add_argument(
        "--data", type=Path, help="prepared .npz (default: WORKDIR/results/data/cifar10.npz)"
    )
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    config = ["--configfile", *args.configfile]

    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp, "bare")
        bare.mkdir()
        (bare / "Snakefile").write_text(
            'rule a:\n    output: "a.txt"\n    shell: "touch {output}"\n'
        )
        baseline = timed([*SNAKEMAKE, "-n", "--cores", "1"], bare)

    # A fresh copy beside the original, so that relative data paths in the config still hold.
    fresh = Path(tempfile.mkdtemp(prefix=f".{workdir.name}-plan-", dir=workdir.parent))
    try:
        shutil.copytree(
            workdir,
            fresh,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("results", ".snakemake", ".venv"),
        )
        planning = timed([*SNAKEMAKE, "-n", "--cores", "2", *config], fresh)
    finally:
        shutil.rmtree(fresh)
    noop = timed([*SNAKEMAKE, "--cores", "2", *config], workdir)
    job = timed(cluster_job(workdir, config), workdir)

    data = args.data or workdir / "results" / "data" / "cifar10.npz"
    rss_run = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_training.py"),
            "--child",
            "workflow",
            "--data",
            str(data),
            "--n",
            str(args.rss_n),
            "--epochs",
            "1",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    rss_mb = json.loads(rss_run.stdout.strip().splitlines()[-1])["max_rss_mb"]

    print("| measure | seconds | ratio to bare Snakemake start-up |")
    print("|---|---|---|")
    print(f"| bare Snakemake dry run (one rule) | {baseline:.2f} | 1.00 |")
    print(
        "| planning the full default DAG (nothing built) "
        f"| {planning:.2f} | {planning / baseline:.2f} |"
    )
    print(f"| no-op rerun of the full default target | {noop:.2f} | {noop / baseline:.2f} |")
    print(f"| one cluster job, planned on its node | {job:.2f} | {job / baseline:.2f} |")
    print(f"\npeak RSS of a training job on {args.rss_n} images: {rss_mb:.0f} MB")
    missed = []
    if noop >= 5:
        missed.append(f"no-op rerun {noop:.1f} s >= 5 s")
    if rss_mb >= 2500:
        missed.append(f"peak RSS {rss_mb:.0f} MB >= 2500 MB")
    if missed:
        print("target missed: " + "; ".join(missed))
        sys.exit(1)


if __name__ == "__main__":
    main()

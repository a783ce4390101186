"""The wheels that a GPU machine without internet, with its own JAX or PyTorch and no
TensorFlow, needs to run this workflow: every package of requirements.txt but TensorFlow,
and theirs, that the machine lacks, built for its Python.

    .venv/bin/python benchmarks/gpu_wheels.py --python 3.12 --have have.txt [--dest wheels]

``have.txt`` is the GPU machine's ``python3 -m pip list --format=freeze`` (a name per line
will do): those packages stay as they are there. The rest is resolved here by pip, from
requirements.txt's pins, and each is fetched as a wheel for that Python: the manylinux
x86-64 one where the package is compiled, else its pure-Python wheel (built here from its
source when PyPI has none). On the GPU machine (docs/compute.md):

    python3 -m pip install --no-index --no-deps --target /tmp/site wheels/*.whl
    export PYTHONPATH=/tmp/site
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip(*args):
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True)


def needed(have: set[str]) -> list[str]:
    """name==version of every package that requirements.txt without TensorFlow installs,
    resolved here, that ``have`` lacks."""
    with tempfile.TemporaryDirectory() as folder:
        requirements = Path(folder, "requirements.txt")
        lines = (REPO / "requirements.txt").read_text().splitlines()
        requirements.write_text("\n".join(x for x in lines if not x.startswith("tensorflow")))
        report = Path(folder, "report.json")
        done = pip(
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--report",
            str(report),
            "-r",
            str(requirements),
        )
        if done.returncode:
            sys.exit(f"pip could not resolve requirements.txt:\n{done.stderr[-2000:]}")
        found = [item["metadata"] for item in json.loads(report.read_text())["install"]]
    return sorted(f"{m['name']}=={m['version']}" for m in found if canonical(m["name"]) not in have)


def fetch(requirement: str, python: str, dest: Path) -> str:
    """The wheel of ``requirement`` for ``python`` into ``dest``; how it was got."""
    platforms = [option for platform in PLATFORMS for option in ("--platform", platform)]
    binary = pip(
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--python-version",
        python,
        "--implementation",
        "cp",
        *platforms,
        "-d",
        str(dest),
        requirement,
    )
    if binary.returncode == 0:
        return "wheel"
    built = pip("wheel", "--no-deps", "-w", str(dest), requirement)
    if built.returncode:
        sys.exit(f"no wheel of {requirement} for Python {python}:\n{built.stderr[-1500:]}")
    return "built here"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="the GPU machine's Python, e.g. 3.12")
    parser.add_argument("--have", type=Path, help="its `pip list --format=freeze`")
    parser.add_argument("--dest", type=Path, default=Path("wheels"))
    args = parser.parse_args()
    have = set()
    if args.have:
        for line in args.have.read_text().splitlines():
            if name := re.split(r"[=<>@ ]", line.strip(), maxsplit=1)[0]:
                have.add(canonical(name))
    args.dest.mkdir(parents=True, exist_ok=True)
    for requirement in needed(have):
        print(f"{requirement}: {fetch(requirement, args.python, args.dest)}", flush=True)
    size = sum(path.stat().st_size for path in args.dest.glob("*.whl")) / 2**20
    print(f"{len(list(args.dest.glob('*.whl')))} wheels, {size:.1f} MiB in {args.dest}")


if __name__ == "__main__":
    main()

"""The whole workflow in a few minutes, on generated images, in a scratch folder of its own:

    .venv/bin/python scripts/tiny_run.py [FOLDER] [snakemake options]

FOLDER (default: convlab-tiny beside this checkout) gets a copy of the workflow (not your
results), the tiny configuration of tests/tiny.yaml (one replicate, n = 100 and 200, one or
two epochs) as its config.yaml, 200 + 50 generated CIFAR-10-like images, and then a build
with this checkout's Snakemake. Run it again with the same FOLDER to see a rerun that does
nothing; delete the folder when done. Works whatever this checkout's folder is called.
"""

import subprocess
import sys
from pathlib import Path

import yaml

from convlab.lookalikes import write_image_tree
from convlab.project import copy_workflow, merged

ROOT = Path(__file__).resolve().parents[1]

words = sys.argv[1:]
given = words.pop(0) if words and not words[0].startswith("-") else None
folder = Path(given or ROOT.parent / "convlab-tiny").resolve()
if not (folder / "Snakefile").exists():
    if folder.exists() and any(folder.iterdir()):
        sys.exit(f"Error: {folder} is neither empty nor a tiny project; name a new folder")
    copy_workflow(ROOT, folder)
    config = merged(
        yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")),
        yaml.safe_load((ROOT / "tests" / "tiny.yaml").read_text(encoding="utf-8")),
    )
    config["cifar10"]["path"] = str(write_image_tree(folder / "tiny-cifar10"))
    (folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    print(f"made the tiny project in {folder}", flush=True)
sys.exit(subprocess.run([sys.executable, "-m", "snakemake", *words], cwd=folder).returncode)

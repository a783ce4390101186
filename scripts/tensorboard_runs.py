"""results/tensorboard/: every configured run for TensorBoard (convlab.tensorboard_runs)."""

from pathlib import Path

from convlab.jobs import start_job
from convlab.tensorboard_runs import write_runs

start_job(snakemake.log[0])
write_runs([Path(path).parent for path in snakemake.input.histories], snakemake.output[0])

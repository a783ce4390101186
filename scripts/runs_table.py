"""results/runs.csv: every trained run in results/runs/, configured or not, with its settings."""

from pathlib import Path

from convlab.experiments import all_runs
from convlab.jobs import start_job
from convlab.pages import write_page

start_job(snakemake.log[0])
# The configured runs' folders as the job was handed them (in a default storage, local copies
# of both files), then the other runs found in results/runs/ here.
folders = [Path(path).parent for path in snakemake.input.metrics]
folders += [Path("results/runs", name) for name, _ in snakemake.params.others]
all_runs(folders, snakemake.params.configured).to_csv(snakemake.output.table, index=False)
write_page(snakemake.output.table, snakemake.output.page, "Every trained run")

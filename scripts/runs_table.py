"""results/runs.csv: every trained run in results/runs/, configured or not, with its settings."""

from convlab.experiments import all_runs
from convlab.jobs import start_job
from convlab.pages import write_page

start_job(snakemake.log[0])
names = [*snakemake.params.configured, *(name for name, _ in snakemake.params.others)]
folders = [f"results/runs/{name}" for name in names]
all_runs(folders, snakemake.params.configured).to_csv(snakemake.output.table, index=False)
write_page(snakemake.output.table, snakemake.output.page, "Every trained run")
